import { createHash } from 'node:crypto';
import type { Db } from '../db/open-database.ts';
import type { LoadedBot, LoadedBusiness } from '../config/load-bot.ts';
import { parseMinorUnits } from '../money.ts';

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

/** Ids per statement: well under SQLite's limit of bound parameters (999 in older builds). */
const CHUNK = 500;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

function catalogHash(b: LoadedBusiness): string {
  const { file: _file, ...content } = b;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/**
 * Writes a bot's businesses, categories and products into the database.
 * Idempotent: running it twice gives the same data; a business whose files did
 * not change is skipped; products removed from a file stop being for sale
 * (orders keep referring to them).
 *
 * @example
 * ```ts
 * const report = await seedBot(db, await loadBot('bots/directory'));
 * console.log(`${report.updated.length} updated, ${report.unchanged.length} unchanged`);
 * ```
 */
export async function seedBot(db: Db, bot: LoadedBot, onProgress?: (line: string) => void): Promise<SeedReport> {
  const report: SeedReport = { botId: bot.runtime.id, updated: [], unchanged: [], deactivated: [] };
  // One read for the whole bot: re-loading unchanged files costs one query, not one per business.
  const stored = new Map((await db.business.findMany({ where: { botId: bot.runtime.id }, select: { slug: true, catalogHash: true, active: true } }))
    .map((row) => [row.slug, row]));
  for (const b of bot.businesses) {
    const hash = catalogHash(b);
    const existing = stored.get(b.slug);
    if (existing && existing.catalogHash === hash && existing.active) {
      report.unchanged.push(b.slug);
      continue;
    }
    await db.$transaction(async (tx) => {
      const fields = {
        name: b.name, description: b.description, category: b.category, tags: JSON.stringify(b.tags), city: b.city,
        country: b.country ?? '', locale: b.locale, currency: b.currency, phone: b.phone ?? null, catalogHash: hash, active: true,
      };
      const business = await tx.business.upsert({
        where: { botId_slug: { botId: bot.runtime.id, slug: b.slug } },
        create: { botId: bot.runtime.id, slug: b.slug, ...fields },
        update: fields,
      });
      const categoryIds = new Map<string, string>();
      for (const [position, c] of b.categories.entries()) {
        const row = await tx.category.upsert({
          where: { businessId_slug: { businessId: business.id, slug: c.slug } },
          create: { businessId: business.id, slug: c.slug, name: c.name, position },
          update: { name: c.name, position },
        });
        categoryIds.set(c.slug, row.id);
      }
      for (const [position, p] of b.products.entries()) {
        const fieldsP = {
          name: p.name, description: p.description, categoryId: categoryIds.get(p.category) ?? '',
          priceMinor: parseMinorUnits(p.price, b.currency), currency: b.currency, stock: p.stock ?? null,
          imageUrl: p.image ?? null, position, active: true,
        };
        await tx.product.upsert({
          where: { businessId_sku: { businessId: business.id, sku: p.sku } },
          create: { businessId: business.id, sku: p.sku, ...fieldsP },
          update: fieldsP,
        });
      }
      // Compared here, not in SQL: a `notIn` list of every SKU outgrows the driver's parameter limit.
      const listed = new Set(b.products.map((p) => p.sku));
      const forSale = await tx.product.findMany({ where: { businessId: business.id, active: true }, select: { id: true, sku: true } });
      for (const ids of chunks(forSale.filter((p) => !listed.has(p.sku)).map((p) => p.id))) {
        await tx.product.updateMany({ where: { id: { in: ids } }, data: { active: false } });
      }
    }, { timeout: 60_000 });
    report.updated.push(b.slug);
    onProgress?.(`  ${bot.runtime.id}/${b.slug}: ${b.products.length} products`);
  }
  const listed = new Set(bot.businesses.map((b) => b.slug));
  const open = await db.business.findMany({ where: { botId: bot.runtime.id, active: true }, select: { id: true, slug: true } });
  for (const g of open.filter((b) => !listed.has(b.slug))) {
    await db.business.update({ where: { id: g.id }, data: { active: false } });
    report.deactivated.push(g.slug);
  }
  return report;
}
