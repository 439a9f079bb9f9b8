import type { Statement } from 'better-sqlite3';
import type { SqliteConnection } from '../db/sqlite-connection.ts';
import type { ProductRecord } from './catalog-service.ts';
import type { SearchBackend } from './search-backend.ts';
import { foldForSearch } from './folded-search.ts';
import { INDEXED_WORD_LENGTH, trigrams } from './search-text.ts';
import type { Spelling } from './spelling.ts';

interface BusinessHit {
  id: string; name: string; category: string; tags: string; city: string; country: string; description: string;
}

/**
 * The FTS5 indexes of the search migration: candidates ranked by bm25 (weights
 * in the tables' `rank` setting), joined to their rows by rowid; and the same
 * unranked, in the order they were stored, for when all the matches fit in one
 * answer (bm25 first counts each term's rows in the whole index: most of a
 * search's time when few rows match, and the services re-rank them anyway;
 * FTS5 returns matches in rowid order unless told otherwise).
 *
 * `CROSS JOIN` makes the matches the outer loop, so the rows come in their
 * order. Left to itself, the planner may instead read every row of the bot or
 * shop by its index and look each up in the matches, through a temporary
 * index built for each query.
 */
function statements(connection: SqliteConnection): { businesses: Statement; allBusinesses: Statement; products: Statement; allProducts: Statement } {
  return {
    businesses: connection.prepare(`SELECT b."id", b."name", b."category", b."tags", b."city", b."country", b."description"
      FROM (SELECT "rowid" AS "r", "rank" FROM "BusinessSearch" WHERE "BusinessSearch" MATCH ? AND "bot" = ? ORDER BY "rank" LIMIT ?) s
      CROSS JOIN "Business" b ON b."rowid" = s."r" WHERE b."botId" = ? AND b."active" ORDER BY s."rank"`),
    allBusinesses: connection.prepare(`SELECT b."id", b."name", b."category", b."tags", b."city", b."country", b."description"
      FROM (SELECT "rowid" AS "r" FROM "BusinessSearch" WHERE "BusinessSearch" MATCH ? AND "bot" = ? LIMIT ?) s
      CROSS JOIN "Business" b ON b."rowid" = s."r" WHERE b."botId" = ? AND b."active"`),
    products: connection.prepare(`SELECT p."id", p."businessId", p."categoryId", p."sku", p."name", p."description", p."priceMinor", p."currency", p."stock", p."imageUrl"
      FROM (SELECT "rowid" AS "r", "rank" FROM "ProductSearch" WHERE "ProductSearch" MATCH ? ORDER BY "rank" LIMIT ?) s
      CROSS JOIN "Product" p ON p."rowid" = s."r" WHERE p."businessId" = ? AND p."active" ORDER BY s."rank"`),
    allProducts: connection.prepare(`SELECT p."id", p."businessId", p."categoryId", p."sku", p."name", p."description", p."priceMinor", p."currency", p."stock", p."imageUrl"
      FROM (SELECT "rowid" AS "r" FROM "ProductSearch" WHERE "ProductSearch" MATCH ? LIMIT ?) s
      CROSS JOIN "Product" p ON p."rowid" = s."r" WHERE p."businessId" = ? AND p."active"`),
  };
}

const prepared = new WeakMap<SqliteConnection, ReturnType<typeof statements>>();

/** An FTS5 string: a phrase, which the trigram tokenizer matches as a substring. */
const phrase = (text: string): string => `"${text.replaceAll('"', '""')}"`;

/** Rows matching any of `terms` in `columns`. */
const anyOf = (columns: string, terms: readonly string[]): string => `{${columns}} : (${terms.map(phrase).join(' OR ')})`;

/**
 * Rows of `scope` in `scopeColumn` matching any of `terms` in `columns`. A shop's
 * id as a phrase narrows the match at once (few rows have it); a bot, which may
 * hold every row, is filtered on its stored value instead (see the businesses statement).
 */
const matching = (scopeColumn: string, scope: string, columns: string, terms: readonly string[]): string =>
  `${scopeColumn} : ${phrase(scope)} AND ${anyOf(columns, terms)}`;

/**
 * Whole words first: each is a substring phrase, fast and exact (accents aside).
 * A word none of those candidates contains is misspelt or unknown: a second
 * query looks for the words `spelling` says were meant, beside the words that
 * were found; a word it knows nothing close to is looked for by its trigrams,
 * so that a word with an edit or two still finds what shares most of its
 * trigrams (slower: common trigrams match most rows). The rows of that second
 * query come first, as they match more of what was meant; at most `limit` in all.
 */
function candidates<T extends { id: string }>(words: readonly string[], run: (terms: readonly string[]) => T[], text: (row: T) => string, limit: number, spelling?: Spelling): T[] {
  const indexed = words.filter((w) => [...w].length >= INDEXED_WORD_LENGTH);
  if (indexed.length === 0) return [];
  const exact = run(indexed);
  const texts = exact.map((row) => foldForSearch(text(row)));
  const missing = indexed.filter((w) => !texts.some((t) => t.includes(w)));
  if (missing.length === 0) return exact;
  const found = indexed.filter((w) => !missing.includes(w));
  const meant = missing.map((w) => ({ word: w, meant: spelling?.correct(w) ?? [] }));
  const terms = [...found, ...meant.flatMap((m) => (m.meant.length > 0 ? m.meant : trigrams(m.word)))];
  const more = run([...new Set(terms)]);
  const seen = new Set(more.map((row) => row.id));
  return [...more, ...exact.filter((row) => !seen.has(row.id))].slice(0, limit);
}

/**
 * The {@link SearchBackend} of a SQLite database: FTS5 tables with the trigram
 * tokenizer, queried with prepared statements on the native connection.
 *
 * @example
 * ```ts
 * const backend = sqliteSearch(sqliteConnection(db)!);
 * ```
 */
export function sqliteSearch(connection: SqliteConnection): SearchBackend {
  let q = prepared.get(connection);
  if (!q) {
    q = statements(connection);
    prepared.set(connection, q);
  }
  const { businesses, allBusinesses, products, allProducts } = q;
  return {
    async businesses(botId, words, limit, spelling) {
      const run = (terms: readonly string[]): BusinessHit[] => {
        const match = anyOf('name keywords description', terms);
        // Every match of the bot, when they fit: the services re-rank them anyway. Else the best by bm25.
        const all = allBusinesses.all(match, botId, limit + 1, botId) as BusinessHit[];
        return all.length <= limit ? all : (businesses.all(match, botId, limit, botId) as BusinessHit[]);
      };
      const text = (b: BusinessHit) => `${b.name} ${b.category} ${b.tags} ${b.city} ${b.country} ${b.description}`;
      return candidates(words, run, text, limit, spelling).map((b) => b.id);
    },
    async products(businessId, words, limit) {
      const run = (terms: readonly string[]): ProductRecord[] => {
        const match = matching('shop', businessId, 'name body', terms);
        // Every match of the shop, when they fit: the services re-rank them anyway. Else the best by bm25.
        const all = allProducts.all(match, limit + 1, businessId) as ProductRecord[];
        return all.length <= limit ? all : (products.all(match, limit, businessId) as ProductRecord[]);
      };
      return candidates(words, run, (p) => `${p.name} ${p.sku} ${p.description}`, limit);
    },
  };
}
