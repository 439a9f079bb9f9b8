import type { DbClient } from './db-client.ts';
import { plainExecute, type PlainParam } from './plain-query.ts';

/** A table written by {@link upsertRows}: its columns in row order, its unique key, what a conflict updates. */
export interface UpsertTable {
  table: string;
  /** The columns of each row, in order. */
  columns: readonly string[];
  /** The unique key a row may already exist under. */
  conflict: readonly string[];
  /** The columns an existing row takes from the new one (the others, its id first, stay). */
  update: readonly string[];
  /** Columns to read back from every row written, new or existing (not with `changedIn`). */
  returning?: readonly string[];
  /**
   * When given, an existing row is updated only when one of these columns
   * differs (null-safe), so that rows the files did not change keep their
   * `updatedAt` and cost their triggers nothing.
   */
  changedIn?: readonly string[];
}

/**
 * Bound parameters per statement: well under SQLite's limit (32,766 in builds
 * since 3.32) and PostgreSQL's (65,535), and small enough to prepare quickly.
 */
const MAX_PARAMS = 8_000;
const MAX_ROWS = 500;

const quote = (name: string) => `"${name}"`;

function statement(spec: UpsertTable, rows: number): string {
  const width = spec.columns.length;
  const values = Array.from({ length: rows }, (_, r) => `(${spec.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
  const set = spec.update.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ');
  return `INSERT INTO ${quote(spec.table)} (${spec.columns.map(quote).join(', ')}) VALUES ${values.join(', ')}` +
    ` ON CONFLICT (${spec.conflict.map(quote).join(', ')}) DO UPDATE SET ${set}` +
    (spec.changedIn ? ` WHERE ${spec.changedIn.map((c) => `${quote(spec.table)}.${quote(c)} IS DISTINCT FROM excluded.${quote(c)}`).join(' OR ')}` : '') +
    (spec.returning ? ` RETURNING ${spec.returning.map(quote).join(', ')}` : '');
}

/**
 * Inserts rows, or updates the row already under the same unique key, with
 * multi-row `INSERT … ON CONFLICT … DO UPDATE` statements (the same text on
 * SQLite and PostgreSQL) of at most a few thousand parameters each. Runs in
 * the transaction of `db` when it is one; triggers fire as for any write.
 *
 * @example
 * ```ts
 * const ids = await upsertRows<{ id: string; slug: string }>(tx, {
 *   table: 'Category', columns: ['id', 'businessId', 'slug', 'name', 'position'],
 *   conflict: ['businessId', 'slug'], update: ['name', 'position'], returning: ['id', 'slug'],
 * }, [[randomUUID(), businessId, 'bread', 'Bread', 0]]);
 * ```
 */
export async function upsertRows<Row = never>(db: DbClient, spec: UpsertTable, rows: readonly (readonly PlainParam[])[]): Promise<Row[]> {
  const per = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / spec.columns.length)));
  const out: Row[] = [];
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    out.push(...(await plainExecute<Row>(db, statement(spec, chunk.length), chunk.flat())));
  }
  return out;
}

/**
 * Runs `sql` once per chunk of `values`, each chunk's values in place of
 * `$list` as `$n, $n+1, …` after the fixed `params` (`$1` … `$k`): for
 * `IN (…)` lists longer than a statement may bind.
 *
 * @example
 * ```ts
 * await forEachChunk(tx, 'UPDATE "Product" SET "active" = FALSE, "updatedAt" = $1 WHERE "id" IN ($list)', [now], gone);
 * ```
 */
export async function forEachChunk<Row = never>(db: DbClient, sql: string, params: readonly PlainParam[], values: readonly PlainParam[]): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < values.length; i += MAX_ROWS) {
    const chunk = values.slice(i, i + MAX_ROWS);
    const list = chunk.map((_, j) => `$${params.length + j + 1}`).join(', ');
    out.push(...(await plainExecute<Row>(db, sql.replace('$list', () => list), [...params, ...chunk])));
  }
  return out;
}
