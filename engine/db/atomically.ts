import type { DbClient } from './db-client.ts';

/**
 * Runs `work` in a transaction of its own, unless `db` already is a
 * transaction's client (then in that transaction): a write of several rows
 * that callers may also make part of a larger one.
 *
 * @example
 * ```ts
 * await atomically(db, async (tx) => { await tx.order.update(…); await noticeShop(tx, …); });
 * ```
 */
export function atomically<T>(db: DbClient, work: (tx: DbClient) => Promise<T>): Promise<T> {
  return '$transaction' in db ? db.$transaction((tx) => work(tx)) : work(db);
}
