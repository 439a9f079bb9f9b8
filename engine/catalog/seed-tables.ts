import type { LoadedBusiness } from '../config/load-bot.ts';
import type { PlainParam } from '../db/plain-query.ts';
import type { UpsertTable } from '../db/upsert-rows.ts';
import { parseMinorUnits } from '../money.ts';
import { productImageUrl } from '../config/product-image.ts';
import { rowId } from '../db/row-id.ts';

/**
 * The catalog tables as {@link seedBot} writes them with plain SQL, and the
 * rows of a business file. New rows get an id here (existing rows keep
 * theirs: a conflict updates the other columns); `updatedAt` is set here, as
 * Prisma would.
 *
 * @example
 * ```ts
 * await upsertRows(tx, BUSINESS_TABLE, [businessRow(botId, business, hash, now)]);
 * ```
 */
export const BUSINESS_TABLE: UpsertTable = {
  table: 'Business',
  columns: ['id', 'botId', 'slug', 'name', 'description', 'category', 'tags', 'city', 'country', 'locale', 'currency', 'phone', 'catalogHash', 'notify', 'hours', 'handoff', 'fulfilment', 'active', 'updatedAt'],
  conflict: ['botId', 'slug'],
  update: ['name', 'description', 'category', 'tags', 'city', 'country', 'locale', 'currency', 'phone', 'catalogHash', 'notify', 'hours', 'handoff', 'fulfilment', 'active', 'updatedAt'],
  returning: ['id', 'slug'],
};

/** See {@link BUSINESS_TABLE}. */
export const CATEGORY_TABLE: UpsertTable = {
  table: 'Category',
  columns: ['id', 'businessId', 'slug', 'name', 'position'],
  conflict: ['businessId', 'slug'],
  update: ['name', 'position'],
  returning: ['id', 'businessId', 'slug'],
};

/** See {@link BUSINESS_TABLE}. */
export const PRODUCT_TABLE: UpsertTable = {
  table: 'Product',
  columns: ['id', 'businessId', 'categoryId', 'sku', 'name', 'description', 'priceMinor', 'currency', 'stock', 'imageUrl', 'position', 'active', 'updatedAt'],
  conflict: ['businessId', 'sku'],
  update: ['categoryId', 'name', 'description', 'priceMinor', 'currency', 'stock', 'imageUrl', 'position', 'active', 'updatedAt'],
  changedIn: ['categoryId', 'name', 'description', 'priceMinor', 'currency', 'stock', 'imageUrl', 'position', 'active'],
};

/** {@link PRODUCT_TABLE} for rows whose searched words stay: the search index's triggers do not fire. */
export const PRODUCT_FIGURES_TABLE: UpsertTable = {
  ...PRODUCT_TABLE,
  update: ['priceMinor', 'currency', 'stock', 'imageUrl', 'position', 'updatedAt'],
  changedIn: ['priceMinor', 'currency', 'stock', 'imageUrl', 'position'],
};

/**
 * A Business row of {@link BUSINESS_TABLE}, with a new id (kept only if the business is new).
 *
 * @example
 * ```ts
 * const [{ id }] = await upsertRows<{ id: string }>(tx, BUSINESS_TABLE, [businessRow('directory', bakery, hash, storedTime(new Date()))]);
 * ```
 */
export function businessRow(botId: string, b: LoadedBusiness, hash: string, now: string): PlainParam[] {
  return [rowId(), botId, b.slug, b.name, b.description, b.category, JSON.stringify(b.tags), b.city, b.country ?? '', b.locale, b.currency, b.phone ?? null, hash, JSON.stringify(b.notify ?? {}), JSON.stringify(b.hours ?? {}), JSON.stringify(b.handoff ?? {}), JSON.stringify(b.fulfilment ?? {}), true, now];
}

/**
 * The Category rows of a business, of {@link CATEGORY_TABLE}, in file order.
 *
 * @example
 * ```ts
 * const categories = await upsertRows<{ id: string; slug: string }>(tx, CATEGORY_TABLE, categoryRows(businessId, bakery));
 * ```
 */
export function categoryRows(businessId: string, b: LoadedBusiness): PlainParam[][] {
  return b.categories.map((c, position) => [rowId(), businessId, c.slug, c.name, position]);
}

/**
 * The Product rows of a business, of {@link PRODUCT_TABLE}, given its category ids by slug.
 * An image file of the bot is stored as the path it is served at (see {@link productImageUrl}).
 *
 * @example
 * ```ts
 * await upsertRows(tx, PRODUCT_TABLE, productRows('corner-bakery', businessId, bakery, new Map([['bread', categoryId]]), now));
 * ```
 */
export function productRows(botId: string, businessId: string, b: LoadedBusiness, categoryIds: ReadonlyMap<string, string>, now: string): PlainParam[][] {
  return b.products.map((p, position) => [
    rowId(), businessId, categoryIds.get(p.category) ?? '', p.sku, p.name, p.description, parseMinorUnits(p.price, b.currency),
    b.currency, p.stock ?? null, p.image === undefined ? null : productImageUrl(botId, p.image), position, true, now,
  ]);
}
