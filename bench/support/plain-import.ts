import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { LoadedBot } from '../../engine/config/load-bot.ts';
import { migrateSqlite } from '../../engine/db/migrate.ts';
import type { PlainParam } from '../../engine/db/plain-query.ts';
import type { UpsertTable } from '../../engine/db/upsert-rows.ts';
import { BUSINESS_TABLE, businessRow, CATEGORY_TABLE, categoryRows, PRODUCT_TABLE, productRows } from '../../engine/catalog/seed-tables.ts';
import { storedTime } from '../../engine/db/stored-time.ts';

const insert = (db: Database.Database, t: UpsertTable) =>
  db.prepare(`INSERT INTO "${t.table}" (${t.columns.map((c) => `"${c}"`).join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`);
const bindable = (row: PlainParam[]) => row.map((v) => (typeof v === 'boolean' ? Number(v) : v));

/**
 * The floor a load of a bot is measured against: the same rows written into
 * a fresh SQLite file with the project's migrations (search triggers included)
 * by prepared single-row INSERT statements in one better-sqlite3 transaction,
 * with no reading back, no hashing and no conflict handling. Returns the time
 * of the transaction.
 *
 * @example
 * ```ts
 * const ms = plainImport('/tmp/plain.db', await loadBot(dir));
 * ```
 */
export function plainImport(file: string, bot: LoadedBot): number {
  migrateSqlite(file);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const [business, category, product] = [insert(db, BUSINESS_TABLE), insert(db, CATEGORY_TABLE), insert(db, PRODUCT_TABLE)];
    const now = storedTime(new Date());
    const t0 = performance.now();
    db.transaction(() => {
      for (const b of bot.businesses) {
        const row = businessRow(bot.runtime.id, b, '', now);
        const id = String(row[0]);
        business.run(bindable(row));
        const categoryIds = new Map<string, string>();
        for (const c of categoryRows(id, b)) {
          category.run(bindable(c));
          categoryIds.set(String(c[2]), String(c[0]));
        }
        for (const p of productRows(bot.runtime.id, id, b, categoryIds, now)) product.run(bindable(p));
      }
    })();
    return performance.now() - t0;
  } finally {
    db.close();
  }
}
