import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client.ts';
import { VitrineError } from '../errors.ts';
import { sqlitePath } from './database-url.ts';
import { migrateSqlite } from './migrate.ts';
import { withStatementCache } from './statement-cache.ts';
import { attachSqliteConnection, withSqliteConnection } from './sqlite-connection.ts';
import type { AppliedMigration } from './migration-files.ts';

/**
 * Opens a SQLite file (`file:<path>`), creating its folder and applying pending
 * migrations first unless `migrate` is false.
 *
 * @example
 * ```ts
 * const db = await openSqlite('file:./data/vitrine.db', { migrate: true });
 * ```
 */
export async function openSqlite(url: string, options: { migrate: boolean; onMigration?: (m: AppliedMigration) => void }): Promise<PrismaClient> {
  const file = sqlitePath(url);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    if (options.migrate) {
      for (const migration of migrateSqlite(file)) options.onMigration?.(migration);
    }
    const factory = withStatementCache(new PrismaBetterSqlite3({ url: `file:${file}` }));
    const connection = withSqliteConnection(factory);
    const db = new PrismaClient({ adapter: factory });
    await db.$connect();
    return attachSqliteConnection(db, await connection);
  } catch (err) {
    if (err instanceof VitrineError) throw err;
    throw new VitrineError('VT_ERR_DATABASE', `Could not open the database at ${file}: ${(err as Error).message}`, { cause: err });
  }
}
