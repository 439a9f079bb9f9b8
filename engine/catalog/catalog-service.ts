import type Fuse from 'fuse.js';
import type { DbClient } from '../db/db-client.ts';
import { plainQuery } from '../db/plain-query.ts';
import { VitrineError } from '../errors.ts';
import { SEARCH_BOUNDS } from './directory-service.ts';
import { foldedFuse, foldForSearch } from './folded-search.ts';

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

/** Search indexes, one per business, rebuilt when the catalog changes (its hash changes). */
export class ProductIndexCache {
  private readonly indexes = new Map<string, { hash: string; fuse: Fuse<ProductRecord> }>();

  async get(db: DbClient, businessId: string): Promise<Fuse<ProductRecord>> {
    // Plain SQL (the same on SQLite and PostgreSQL): this runs on every product search.
    const [business] = await plainQuery<{ catalogHash: string }>(db, 'SELECT "catalogHash" FROM "Business" WHERE "id" = $1', [businessId]);
    const hash = business?.catalogHash ?? '';
    const cached = this.indexes.get(businessId);
    if (cached && cached.hash === hash) return cached.fuse;
    const products = await db.product.findMany({ where: { businessId, active: true }, select: productSelect, orderBy: { position: 'asc' } });
    const fuse = foldedFuse(products, {
      keys: [{ name: 'name', weight: 3 }, { name: 'sku', weight: 1 }, { name: 'description', weight: 1 }],
      threshold: 0.35,
      ignoreLocation: true,
      includeScore: true,
    });
    this.indexes.set(businessId, { hash, fuse });
    return fuse;
  }
}

/**
 * The catalog service over the database.
 *
 * @example
 * ```ts
 * const catalog = createCatalogService(db, new ProductIndexCache());
 * const [first] = await catalog.categories(businessId);
 * ```
 */
export function createCatalogService(db: DbClient, cache: ProductIndexCache): CatalogService {
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
      const fuse = await cache.get(db, businessId);
      return fuse.search(foldForSearch(query.slice(0, SEARCH_BOUNDS.chars)), { limit }).map((r) => r.item);
    },
  };
}
