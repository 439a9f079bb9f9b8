import type { DbClient } from '../db/db-client.ts';
import { plainQuery } from '../db/plain-query.ts';
import { VitrineError } from '../errors.ts';
import { rerank } from './rerank.ts';
import { databaseSearch, type SearchBackend, type SearchBackendFactory } from './search-backend.ts';
import { queryWords } from './search-text.ts';

/** A category with how many products are for sale in it. */
export interface CategorySummary {
  id: string;
  slug: string;
  name: string;
  productCount: number;
}

/** A product row as services return it. */
export interface ProductRecord {
  id: string;
  businessId: string;
  categoryId: string;
  sku: string;
  name: string;
  description: string;
  priceMinor: number;
  currency: string;
  stock: number | null;
  imageUrl: string | null;
}

/** One page of products. */
export interface ProductPage {
  items: ProductRecord[];
  page: number;
  pageCount: number;
  total: number;
}

/** Reads a business's catalog. Prices come only from here. */
export interface CatalogService {
  categories(businessId: string): Promise<CategorySummary[]>;
  /** Products of a category, `pageSize` at a time (page 0 first). */
  products(businessId: string, categoryId: string, page: number, pageSize: number): Promise<ProductPage>;
  /** A product for sale, or a `VT_ERR_PRODUCT_UNKNOWN` error. */
  product(businessId: string, productId: string): Promise<ProductRecord>;
  /** Fuzzy search on product names, SKUs and descriptions (typos included). */
  search(businessId: string, query: string, limit?: number): Promise<ProductRecord[]>;
}

const productSelect = {
  id: true, businessId: true, categoryId: true, sku: true, name: true, description: true,
  priceMinor: true, currency: true, stock: true, imageUrl: true,
} as const;
/** The columns of a {@link ProductRecord}, for the plain SQL of the hot path. */
const PRODUCT_COLUMNS = Object.keys(productSelect).map((c) => `"${c}"`).join(', ');

/** How many candidates a product search asks its backend for, before re-ranking. */
const CANDIDATES = 40;

/** What a product search re-ranks on, and how much each counts. */
const PRODUCT_KEYS = [{ name: 'name', weight: 3 }, { name: 'sku', weight: 1 }, { name: 'description', weight: 1 }];

/**
 * The catalog service over the database. A search takes its candidates from
 * `search` (by default the database's own index, see {@link databaseSearch})
 * and re-ranks them with Fuse.js on name, SKU and description.
 *
 * @example
 * ```ts
 * const catalog = createCatalogService(db);
 * const [first] = await catalog.categories(businessId);
 * ```
 */
export function createCatalogService(db: DbClient, options: { search?: SearchBackendFactory } = {}): CatalogService {
  let backend: SearchBackend | undefined;
  return {
    async categories(businessId) {
      const rows = await plainQuery<{ id: string; slug: string; name: string; products: unknown }>(db, `
        SELECT c."id", c."slug", c."name", COUNT(p."id") AS "products"
        FROM "Category" c JOIN "Product" p ON p."categoryId" = c."id" AND p."active" = TRUE
        WHERE c."businessId" = $1
        GROUP BY c."id", c."slug", c."name", c."position"
        ORDER BY c."position", c."id"`, [businessId]);
      return rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, productCount: Number(r.products) }));
    },
    async products(businessId, categoryId, page, pageSize) {
      const [count] = await plainQuery<{ total: unknown }>(db,
        'SELECT COUNT(*) AS "total" FROM "Product" WHERE "businessId" = $1 AND "categoryId" = $2 AND "active" = TRUE', [businessId, categoryId]);
      const total = Number(count?.total ?? 0);
      const pageCount = Math.max(1, Math.ceil(total / pageSize));
      const current = Math.min(Math.max(0, page), pageCount - 1);
      const items = await plainQuery<ProductRecord>(db, `SELECT ${PRODUCT_COLUMNS} FROM "Product"
        WHERE "businessId" = $1 AND "categoryId" = $2 AND "active" = TRUE ORDER BY "position" LIMIT $3 OFFSET $4`,
      [businessId, categoryId, pageSize, current * pageSize]);
      return { items, page: current, pageCount, total };
    },
    async product(businessId, productId) {
      const [row] = await plainQuery<ProductRecord>(db,
        `SELECT ${PRODUCT_COLUMNS} FROM "Product" WHERE "id" = $1 AND "businessId" = $2 AND "active" = TRUE`, [productId, businessId]);
      if (!row) throw new VitrineError('VT_ERR_PRODUCT_UNKNOWN', `No product ${productId} for sale`, { context: { businessId, productId } });
      return row;
    },
    async search(businessId, query, limit = 5) {
      const words = queryWords(query);
      if (words.length === 0) return [];
      backend ??= (options.search ?? databaseSearch)(db);
      const candidates = await backend.products(businessId, words, CANDIDATES);
      return rerank(candidates, words, { keys: PRODUCT_KEYS, threshold: 0.35 }, limit);
    },
  };
}
