import type { DbClient } from '../db/db-client.ts';
import type { ProductRecord } from './catalog-service.ts';
import type { SearchBackend } from './search-backend.ts';
import { INDEXED_WORD_LENGTH } from './search-text.ts';

/** The expressions the search migration's GIN indexes are built on: a query must use them as written. */
const BUSINESS_TEXT = 'vitrine_business_text("name", "category", "tags", "city", "country", "description")';
const PRODUCT_TEXT = 'vitrine_product_text("name", "sku", "description")';

/**
 * `word <% text` for any word (index-backed), and the sum of their similarities to rank by.
 * Words are bound parameters from `$first` on; only their count shapes the SQL text.
 */
function similar(count: number, text: string, first: number): { any: string; score: string } {
  const params = Array.from({ length: count }, (_, i) => `$${first + i}::text`);
  return { any: params.map((p) => `${p} <% ${text}`).join(' OR '), score: params.map((p) => `word_similarity(${p}, ${text})`).join(' + ') };
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
      const { any, score } = similar(kept.length, BUSINESS_TEXT, 3);
      const rows = await db.$queryRawUnsafe<{ id: string }[]>(`SELECT "id" FROM "Business"
        WHERE "botId" = $1 AND "active" AND (${any}) ORDER BY ${score} DESC, "name" LIMIT $2`, botId, limit, ...kept);
      return rows.map((r) => r.id);
    },
    async products(businessId, words, limit) {
      const kept = indexed(words);
      if (kept.length === 0) return [];
      const { any, score } = similar(kept.length, PRODUCT_TEXT, 3);
      return db.$queryRawUnsafe<ProductRecord[]>(`SELECT "id", "businessId", "categoryId", "sku", "name", "description", "priceMinor", "currency", "stock", "imageUrl"
        FROM "Product" WHERE "businessId" = $1 AND "active" AND (${any}) ORDER BY ${score} DESC, "position" LIMIT $2`, businessId, limit, ...kept);
    },
  };
}
