import type { DbClient } from '../db/db-client.ts';
import { Prisma } from '../db/generated-pg/client.ts';
import type { ProductRecord } from './catalog-service.ts';
import type { SearchBackend } from './search-backend.ts';
import { INDEXED_WORD_LENGTH } from './search-text.ts';

/** The expressions the search migration's GIN indexes are built on: a query must use them as written. */
const BUSINESS_TEXT = Prisma.sql`vitrine_business_text("name", "category", "tags", "city", "country", "description")`;
const PRODUCT_TEXT = Prisma.sql`vitrine_product_text("name", "sku", "description")`;

/** `word <% text` for any word (index-backed), and the sum of their similarities to rank by. */
function similar(words: readonly string[], text: Prisma.Sql): { any: Prisma.Sql; score: Prisma.Sql } {
  return {
    any: Prisma.join(words.map((w) => Prisma.sql`${w}::text <% ${text}`), ' OR '),
    score: Prisma.join(words.map((w) => Prisma.sql`word_similarity(${w}::text, ${text})`), ' + '),
  };
}

/**
 * The {@link SearchBackend} of a PostgreSQL database: pg_trgm's word similarity
 * over the unaccented text of active rows (GIN indexes), typos included. How
 * similar a word must be is the session's `pg_trgm.word_similarity_threshold`
 * (set when connecting).
 *
 * @example
 * ```ts
 * const ids = await postgresSearch(db).businesses('directory', ['padaria'], 40);
 * ```
 */
export function postgresSearch(db: DbClient): SearchBackend {
  const indexed = (words: readonly string[]) => words.filter((w) => [...w].length >= INDEXED_WORD_LENGTH);
  return {
    async businesses(botId, words, limit) {
      const kept = indexed(words);
      if (kept.length === 0) return [];
      const { any, score } = similar(kept, BUSINESS_TEXT);
      const rows = await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Business"
        WHERE "botId" = ${botId} AND "active" AND (${any}) ORDER BY ${score} DESC, "name" LIMIT ${limit}`;
      return rows.map((r) => r.id);
    },
    async products(businessId, words, limit) {
      const kept = indexed(words);
      if (kept.length === 0) return [];
      const { any, score } = similar(kept, PRODUCT_TEXT);
      return db.$queryRaw<ProductRecord[]>`SELECT "id", "businessId", "categoryId", "sku", "name", "description", "priceMinor", "currency", "stock", "imageUrl"
        FROM "Product" WHERE "businessId" = ${businessId} AND "active" AND (${any}) ORDER BY ${score} DESC, "position" LIMIT ${limit}`;
    },
  };
}
