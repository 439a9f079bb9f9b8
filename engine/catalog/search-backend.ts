import type { DbClient } from '../db/db-client.ts';
import { sqliteConnection } from '../db/sqlite-connection.ts';
import type { ProductRecord } from './catalog-service.ts';
import { postgresSearch } from './postgres-search.ts';
import type { Spelling } from './spelling.ts';
import { sqliteSearch } from './sqlite-search.ts';

/**
 * Where search candidates come from: the seam a deployment that outgrows the
 * database's own indexes replaces (with Meilisearch, OpenSearch …). Words come
 * folded (lower case, no accents) and bounded (see `queryWords`); a backend
 * returns what matches any of them, typos included, best first. The services
 * re-rank what it returns with Fuse.js and never look further, so a backend
 * that returns nothing for a word keeps unrelated rows out.
 *
 * @example
 * ```ts
 * const backend: SearchBackend = {
 *   businesses: async (botId, words, limit) => (await meili.index(botId).search(words.join(' '), { limit })).hits.map((h) => h.id),
 *   products: async (businessId, words, limit) => loadProducts(await meili.index(businessId).search(words.join(' '), { limit })),
 * };
 * ```
 */
export interface SearchBackend {
  /**
   * Ids of active businesses of `botId` matching `words`, best first, at most
   * `limit`. `spelling` knows the words of the bot's businesses: a backend
   * without typo tolerance of its own may look for the words it says a
   * misspelt one meant.
   */
  businesses(botId: string, words: readonly string[], limit: number, spelling?: Spelling): Promise<string[]>;
  /** Products for sale at `businessId` matching `words`, best first, at most `limit`. */
  products(businessId: string, words: readonly string[], limit: number): Promise<ProductRecord[]>;
}

/** Makes the search backend of one turn's database client. */
export type SearchBackendFactory = (db: DbClient) => SearchBackend;

/**
 * The backend over the database's own indexes: FTS5 on SQLite (prepared
 * statements on the native connection), pg_trgm on PostgreSQL.
 *
 * @example
 * ```ts
 * const ids = await databaseSearch(db).businesses('directory', ['padaria', 'sao', 'paulo'], 40);
 * ```
 */
export function databaseSearch(db: DbClient): SearchBackend {
  const native = sqliteConnection(db);
  return native ? sqliteSearch(native) : postgresSearch(db);
}
