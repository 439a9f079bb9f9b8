import type { PrismaClient } from './generated/client.ts';
import { databaseFlavourOf } from './database-url.ts';
import { rememberFlavour } from './database-flavour.ts';
import type { AppliedMigration } from './migration-files.ts';
import { openPostgres } from './open-postgres.ts';
import { openSqlite } from './open-sqlite.ts';

/**
 * The Prisma client type used across Vitrine: the SQLite client's type, also for
 * PostgreSQL (both clients are generated from the same models, so their model API is
 * the same). Use {@link databaseFlavour} for the rare query that must differ.
 */
export type Db = PrismaClient;

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** `file:./data/vitrine.db` (default), another `file:` path, or `postgresql://user:pass@host:5432/db`. */
  url?: string;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
  /** Called once per migration applied. */
  onMigration?: (migration: AppliedMigration) => void;
}

/** The default database: an embedded SQLite file. */
export const DEFAULT_DATABASE_URL = 'file:./data/vitrine.db';

/**
 * Opens the database named by a URL, applying pending migrations first: `file:<path>`
 * opens (and creates) a SQLite file, `postgresql://` or `postgres://` a PostgreSQL
 * database (pool size `?connection_limit=`, default 10). A bad URL or an unreachable
 * server gives a `VT_ERR_DATABASE` error.
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
  const migrate = options.migrate !== false;
  const onMigration = options.onMigration;
  const flavour = databaseFlavourOf(url);
  if (flavour === 'sqlite') return rememberFlavour(await openSqlite(url, { migrate, onMigration }), flavour);
  const db = await openPostgres(url, { migrate, onMigration });
  // The PostgreSQL client has the same model API (same models, same runtime); its types only add
  // PostgreSQL extras such as `mode: 'insensitive'`. Vitrine is written against the common part.
  return rememberFlavour(db as unknown as Db, flavour);
}
