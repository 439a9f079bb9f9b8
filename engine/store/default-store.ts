import type { Db } from '../db/open-database.ts';
import { sqliteConnection } from '../db/sqlite-connection.ts';
import { systemClock, type Clock } from '../services.ts';
import type { ConversationStore } from './conversation-store.ts';
import { createPrismaStore } from './prisma-store.ts';
import { createSqliteStore } from './sqlite-store.ts';

/**
 * The store the engine uses by default for a database opened by
 * `openDatabase`: native statements on SQLite, Prisma on PostgreSQL.
 *
 * @example
 * ```ts
 * const store = defaultStore(await openDatabase({ url: process.env.DATABASE_URL }));
 * ```
 */
export function defaultStore(db: Db, clock: Clock = systemClock): ConversationStore {
  const native = sqliteConnection(db);
  return native ? createSqliteStore(db, native, clock) : createPrismaStore(db, clock);
}
