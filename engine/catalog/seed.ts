import { createHash } from 'node:crypto';
import type { Db } from '../db/open-database.ts';
import type { DbClient } from '../db/db-client.ts';
import { plainQuery } from '../db/plain-query.ts';
import { forEachChunk, upsertRows } from '../db/upsert-rows.ts';
import type { LoadedBot, LoadedBusiness } from '../config/load-bot.ts';
import type { OnLoadProgress } from '../config/load-progress.ts';
import { BUSINESS_TABLE, businessRow, CATEGORY_TABLE, categoryRows, PRODUCT_FIGURES_TABLE, PRODUCT_TABLE, productRows } from './seed-tables.ts';
import { storedTime } from '../db/stored-time.ts';
import { productChanges } from './product-changes.ts';

/** What {@link seedBot} did. */
export interface SeedReport {
  botId: string;
  /** Businesses whose catalog changed and was written. */
  updated: string[];
  /** Businesses already up to date. */
  unchanged: string[];
  /** Businesses no longer in the files, now hidden. */
  deactivated: string[];
}

/** Businesses per transaction, and products after which a transaction takes no further business. */
const BATCH_BUSINESSES = 500;
const BATCH_PRODUCTS = 5_000;

/** A business of the files as the database had it before this load. */
interface Stored {
  id: string;
  catalogHash: string;
  active: boolean;
}

function catalogHash(b: LoadedBusiness): string {
  const { file: _file, ...content } = b;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** The changed businesses in groups written one transaction each. */
function batches(list: readonly LoadedBusiness[]): LoadedBusiness[][] {
  const out: LoadedBusiness[][] = [];
  let current: LoadedBusiness[] = [];
  let products = 0;
  for (const b of list) {
    current.push(b);
    products += b.products.length;
    if (current.length >= BATCH_BUSINESSES || products >= BATCH_PRODUCTS) {
      out.push(current);
      current = [];
      products = 0;
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The businesses of a bot in the database, by slug, in one query. */
async function storedBusinesses(db: Db, botId: string): Promise<Map<string, Stored>> {
  const rows = await plainQuery<{ id: string; slug: string; catalogHash: string; active: unknown }>(db,
    'SELECT "id", "slug", "catalogHash", "active" FROM "Business" WHERE "botId" = $1', [botId]);
  return new Map(rows.map((r) => [r.slug, { id: r.id, catalogHash: r.catalogHash, active: Boolean(r.active) }]));
}

/** A write of one batch: what it needs besides the transaction. */
interface BatchWrite {
  botId: string;
  hashes: ReadonlyMap<LoadedBusiness, string>;
  stored: ReadonlyMap<string, Stored>;
  now: string;
  /** Called with the number of products written so far in this batch. */
  onProducts: (written: number) => void;
}

/** Writes one batch of businesses with their categories and products; products no longer listed stop being for sale. */
async function writeBatch(tx: DbClient, batch: readonly LoadedBusiness[], w: BatchWrite): Promise<void> {
  const written = await upsertRows<{ id: string; slug: string }>(tx, BUSINESS_TABLE, batch.map((b) => businessRow(w.botId, b, w.hashes.get(b) ?? '', w.now)));
  const ids = new Map(written.map((r) => [r.slug, r.id]));
  const idOf = (b: LoadedBusiness) => ids.get(b.slug) ?? '';
  const categories = await upsertRows<{ id: string; businessId: string; slug: string }>(tx, CATEGORY_TABLE, batch.flatMap((b) => categoryRows(idOf(b), b)));
  const categoryIds = new Map<string, Map<string, string>>();
  for (const c of categories) {
    const of = categoryIds.get(c.businessId) ?? new Map<string, string>();
    categoryIds.set(c.businessId, of.set(c.slug, c.id));
  }
  const rows = batch.flatMap((b) => productRows(w.botId, idOf(b), b, categoryIds.get(idOf(b)) ?? new Map(), w.now));
  // Only businesses that were stored before can hold products: compared first, so that what did not change is not written.
  const changes = await productChanges(tx, batch.filter((b) => w.stored.has(b.slug)).map(idOf), rows);
  const writes = [...changes.whole.map((row) => ({ row, table: PRODUCT_TABLE })), ...changes.figures.map((row) => ({ row, table: PRODUCT_FIGURES_TABLE }))];
  for (let i = 0; i < writes.length; i += BATCH_PRODUCTS) {
    const slice = writes.slice(i, i + BATCH_PRODUCTS);
    for (const table of [PRODUCT_TABLE, PRODUCT_FIGURES_TABLE]) await upsertRows(tx, table, slice.filter((x) => x.table === table).map((x) => x.row));
    w.onProducts(Math.round(((i + slice.length) / writes.length) * rows.length));
  }
  if (writes.length === 0) w.onProducts(rows.length);
  await forEachChunk(tx, 'UPDATE "Product" SET "active" = FALSE, "updatedAt" = $1 WHERE "id" IN ($list)', [w.now], changes.gone);
}

/**
 * Writes a bot's businesses, categories and products into the database, with
 * batched plain SQL (one transaction per batch of businesses). Idempotent:
 * running it twice gives the same rows and ids; a business whose files did
 * not change is skipped (one query reads every business's catalog hash);
 * products removed from a file stop being for sale (orders keep referring to
 * them), and so do businesses removed from the files. The search indexes
 * follow through the database's own triggers and indexes.
 *
 * @example
 * ```ts
 * const report = await seedBot(db, await loadBot('bots/directory'));
 * console.log(`${report.updated.length} updated, ${report.unchanged.length} unchanged`);
 * ```
 */
export async function seedBot(db: Db, bot: LoadedBot, onProgress?: OnLoadProgress): Promise<SeedReport> {
  const botId = bot.runtime.id;
  const report: SeedReport = { botId, updated: [], unchanged: [], deactivated: [] };
  const stored = await storedBusinesses(db, botId);
  const hashes = new Map(bot.businesses.map((b) => [b, catalogHash(b)]));
  const changed: LoadedBusiness[] = [];
  for (const b of bot.businesses) {
    const before = stored.get(b.slug);
    if (before?.active && before.catalogHash === hashes.get(b)) report.unchanged.push(b.slug);
    else changed.push(b);
  }
  const totalProducts = changed.reduce((n, b) => n + b.products.length, 0);
  let businessesDone = report.unchanged.length;
  let productsDone = 0;
  const now = storedTime(new Date());
  onProgress?.({ phase: 'businesses', done: businessesDone, total: bot.businesses.length });
  for (const batch of batches(changed)) {
    const before = productsDone;
    await db.$transaction((tx) => writeBatch(tx, batch, {
      botId, hashes, stored, now,
      onProducts: (n) => onProgress?.({ phase: 'products', done: before + n, total: totalProducts }),
    }), { timeout: 300_000 });
    productsDone = before + batch.reduce((n, b) => n + b.products.length, 0);
    businessesDone += batch.length;
    report.updated.push(...batch.map((b) => b.slug));
    onProgress?.({ phase: 'businesses', done: businessesDone, total: bot.businesses.length });
  }
  const listed = new Set(bot.businesses.map((b) => b.slug));
  const gone = [...stored].filter(([slug, s]) => s.active && !listed.has(slug));
  await forEachChunk(db, 'UPDATE "Business" SET "active" = FALSE, "updatedAt" = $1 WHERE "id" IN ($list)', [now], gone.map(([, s]) => s.id));
  report.deactivated.push(...gone.map(([slug]) => slug));
  return report;
}
