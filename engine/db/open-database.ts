import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client.ts';
import { VitrineError } from '../errors.ts';
import { migrateSqlite, type AppliedMigration } from './migrate.ts';

/** The Prisma client type used across Vitrine. */
export type Db = PrismaClient;

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** `file:./data/vitrine.db` (default) or `file::memory:`-like paths. */
  url?: string;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
  /** Called once per migration applied. */
  onMigration?: (migration: AppliedMigration) => void;
}

/** The default database: an embedded SQLite file. */
export const DEFAULT_DATABASE_URL = 'file:./data/vitrine.db';

/**
 * Resolves a `file:` URL to a file path.
 *
 * @example
 * ```ts
 * sqlitePath('file:./data/vitrine.db'); // '/abs/path/data/vitrine.db'
 * ```
 */
export function sqlitePath(url: string): string {
  if (!url.startsWith('file:')) {
    throw new VitrineError('VT_ERR_DATABASE', `Unsupported DATABASE_URL "${url}": expected file:<path> for SQLite`);
  }
  return path.resolve(url.slice('file:'.length));
}

/**
 * Opens the database, creating and migrating an SQLite file on first use.
 *
 * @example
 * ```ts
 * const db = await openDatabase({ url: process.env.DATABASE_URL });
 * const count = await db.business.count();
 * await db.$disconnect();
 * ```
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Db> {
  const url = options.url ?? DEFAULT_DATABASE_URL;
  const file = sqlitePath(url);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    if (options.migrate !== false) {
      for (const migration of migrateSqlite(file)) options.onMigration?.(migration);
    }
    const adapter = new PrismaBetterSqlite3({ url: `file:${file}` });
    const db = new PrismaClient({ adapter });
    await db.$connect();
    return db;
  } catch (err) {
    if (err instanceof VitrineError) throw err;
    throw new VitrineError('VT_ERR_DATABASE', `Could not open the database at ${file}: ${(err as Error).message}`, { cause: err });
  }
}
