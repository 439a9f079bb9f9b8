/**
 * `vitrine/db`: the database. Opens SQLite or PostgreSQL from a URL (through
 * Prisma), applies the migrations, and gives the engine its conversation store.
 * Kept out of the core entry so that importing `vitrine` loads no database client.
 *
 * @example
 * ```ts
 * import { openDatabase } from 'vitrine/db';
 * const db = await openDatabase({ url: process.env.DATABASE_URL });
 * ```
 *
 * @packageDocumentation
 */

// Opening a database
export { openDatabase, DEFAULT_DATABASE_URL } from './open-database.ts';
export type { Db, OpenDatabaseOptions } from './open-database.ts';
export type { DbClient } from './db-client.ts';

// Migrations
export { migrateSqlite, MIGRATIONS_DIR } from './migrate.ts';
export { migratePostgres, POSTGRES_MIGRATIONS_DIR } from './migrate-postgres.ts';

// Conversation stores
export { defaultStore } from '../store/default-store.ts';
export { createPrismaStore } from '../store/prisma-store.ts';
export type { ConversationStore, JournalInput, JournalEntry, JournalPayload, Admission, OutboxInput, OutboxEntry, Backlog, ReplyRoute, ConversationRow } from '../store/conversation-store.ts';
