import type { DbClient } from '../db/db-client.ts';
import type { PlainParam } from '../db/plain-query.ts';
import { forEachChunk } from '../db/upsert-rows.ts';
import { PRODUCT_TABLE } from './seed-tables.ts';

/** Columns of a product its search index row is made of (with its business and SKU, the key). */
const SEARCHED = ['categoryId', 'name', 'description', 'active'] as const;
/** The other columns the files set. */
const FIGURES = ['priceMinor', 'currency', 'stock', 'imageUrl', 'position'] as const;

type Stored = Record<(typeof SEARCHED)[number] | (typeof FIGURES)[number] | 'id' | 'businessId' | 'sku', unknown>;

/** What a load must write of a batch's product rows, against what the database holds. */
export interface ProductChanges {
  /** New rows, and rows whose searched words changed: written whole (their index rows follow). */
  whole: PlainParam[][];
  /** Rows whose price, stock, image or position alone changed: the index is left alone. */
  figures: PlainParam[][];
  /** Ids of products for sale that the files no longer list. */
  gone: string[];
}

const column = (name: string) => PRODUCT_TABLE.columns.indexOf(name);
/** Values as both drivers give them back: booleans as 0/1 or true/false, numbers possibly as text. */
const same = (stored: unknown, row: PlainParam) =>
  typeof row === 'boolean' ? Boolean(stored) === row : typeof row === 'number' ? stored !== null && Number(stored) === row : stored === row;
const differs = (stored: Stored, row: PlainParam[], names: readonly string[]) => names.some((n) => !same(stored[n as keyof Stored], row[column(n)] ?? null));

/**
 * Sorts the product rows of a batch (of {@link PRODUCT_TABLE}) by what must
 * be written, reading the products the batch's already stored businesses
 * hold: a catalog whose first line was removed shifts every position, which
 * should not rewrite every search index row.
 *
 * @example
 * ```ts
 * const { whole, figures, gone } = await productChanges(tx, [businessId], rows);
 * ```
 */
export async function productChanges(tx: DbClient, storedBusinessIds: readonly string[], rows: PlainParam[][]): Promise<ProductChanges> {
  if (storedBusinessIds.length === 0) return { whole: rows, figures: [], gone: [] };
  const stored = await forEachChunk<Stored>(tx,
    `SELECT ${['id', 'businessId', 'sku', ...SEARCHED, ...FIGURES].map((c) => `"${c}"`).join(', ')} FROM "Product" WHERE "businessId" IN ($list)`, [], storedBusinessIds);
  const byKey = new Map(stored.map((p) => [`${String(p.businessId)} ${String(p.sku)}`, p]));
  const changes: ProductChanges = { whole: [], figures: [], gone: [] };
  const listed = new Set<string>();
  for (const row of rows) {
    const key = `${String(row[column('businessId')])} ${String(row[column('sku')])}`;
    listed.add(key);
    const before = byKey.get(key);
    if (!before || differs(before, row, SEARCHED)) changes.whole.push(row);
    else if (differs(before, row, FIGURES)) changes.figures.push(row);
  }
  for (const [key, p] of byKey) if (!listed.has(key) && p.active) changes.gone.push(String(p.id));
  return changes;
}
