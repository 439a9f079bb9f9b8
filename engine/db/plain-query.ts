import type { DbClient } from './db-client.ts';
import { sqliteConnection } from './sqlite-connection.ts';

/** A parameter of {@link plainQuery}: what both databases bind the same way. */
export type PlainParam = string | number | boolean | null;

/**
 * Runs a read of the hot path written once in plain SQL for both databases,
 * with PostgreSQL's numbered parameters (`$1`, `$2` …), in the transaction of
 * `db` when it is a turn's. On SQLite it is a statement prepared once on the
 * connection under Prisma (a few microseconds); on PostgreSQL it goes through
 * `$queryRawUnsafe`. A query built by the Prisma client costs a hundred
 * microseconds or more of CPU on either, which a turn that runs a few of them
 * feels.
 *
 * Column values come back as each driver gives them: on SQLite booleans are
 * `0`/`1` and times are ISO text; on PostgreSQL counts are `bigint` and times
 * are `Date`s. Type such columns `unknown` and convert them (`Number(…)`).
 *
 * @example
 * ```ts
 * const rows = await plainQuery<{ id: string; products: unknown }>(tx,
 *   'SELECT "categoryId" AS "id", COUNT(*) AS "products" FROM "Product" WHERE "businessId" = $1 AND "active" = $2 GROUP BY "categoryId"',
 *   [businessId, true]);
 * ```
 */
export async function plainQuery<Row>(db: DbClient, sql: string, params: readonly PlainParam[] = []): Promise<Row[]> {
  const connection = sqliteConnection(db);
  if (!connection) return db.$queryRawUnsafe<Row[]>(sql, ...params);
  const statement = connection.cached(sql, () => positional(sql));
  return statement.all(...bound(parameterOrder(sql), params)) as Row[];
}

/** The text better-sqlite3 prepares: each `$n` as a `?`. */
const positional = (sql: string): string => sql.replace(/\$\d+/g, '?');
/** better-sqlite3 binds `?` by position: which `$n` each one stands for, in order. */
const numbering = (sql: string): number[] => [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
/** The values to bind, in the order of `numbering`. */
const bound = (order: readonly number[], params: readonly PlainParam[]) => order.map((n) => sqliteValue(params[n - 1] ?? null));

/** {@link numbering} remembered per text (a fixed set written in the code). */
const orders = new Map<string, number[]>();
function parameterOrder(sql: string): number[] {
  let order = orders.get(sql);
  if (!order) {
    order = numbering(sql);
    orders.set(sql, order);
  }
  return order;
}

const sqliteValue = (value: PlainParam): string | number | null => (typeof value === 'boolean' ? Number(value) : value);

/**
 * Runs a write written once in plain SQL for both databases (`$1`, `$2` …
 * parameters, like {@link plainQuery}), in the transaction of `db` when it is
 * one, and returns the rows of its `RETURNING` clause (none without one). Its
 * texts may vary (a multi-row `INSERT` per chunk size), so on SQLite the
 * statement is prepared for this call only rather than kept.
 *
 * @example
 * ```ts
 * const rows = await plainExecute<{ id: string }>(tx,
 *   'INSERT INTO "Category" ("id", "businessId", "slug", "name", "position") VALUES ($1, $2, $3, $4, $5) ' +
 *   'ON CONFLICT ("businessId", "slug") DO UPDATE SET "name" = excluded."name" RETURNING "id"',
 *   [randomUUID(), businessId, 'bread', 'Bread', 0]);
 * ```
 */
export async function plainExecute<Row = never>(db: DbClient, sql: string, params: readonly PlainParam[] = []): Promise<Row[]> {
  const connection = sqliteConnection(db);
  if (!connection) return db.$queryRawUnsafe<Row[]>(sql, ...params);
  const statement = connection.prepare(positional(sql));
  const values = bound(numbering(sql), params);
  if (statement.reader) return statement.all(...values) as Row[];
  statement.run(...values);
  return [];
}
