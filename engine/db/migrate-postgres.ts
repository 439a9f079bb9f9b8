import path from 'node:path';
import pg from 'pg';
import { VitrineError } from '../errors.ts';
import { postgresConfig } from './database-url.ts';
import { readMigrations, type AppliedMigration } from './migration-files.ts';
import { postgresError } from './postgres-error.ts';

/** The folder of PostgreSQL migrations shipped with Vitrine. */
export const POSTGRES_MIGRATIONS_DIR = path.resolve(import.meta.dirname, '..', '..', 'prisma', 'postgres', 'migrations');

/** Session-level advisory lock held while migrating: instances starting together take turns. */
const LOCK = "pg_advisory_lock(hashtext('vitrine_migrations'))";
const UNLOCK = "pg_advisory_unlock(hashtext('vitrine_migrations'))";

async function applyOne(client: pg.Client, name: string, sql: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(sql);
    await client.query('INSERT INTO "_vitrine_migrations" ("name") VALUES ($1)', [name]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new VitrineError('VT_ERR_DATABASE', `Migration ${name} failed: ${(err as Error).message}`, { cause: err, context: { migration: name } });
  }
}

/**
 * Applies `prisma/postgres/migrations/<name>/migration.sql` files that a PostgreSQL
 * database has not had yet, in name order, each in its own transaction, and records
 * them in `_vitrine_migrations`. Holds an advisory lock meanwhile, so several
 * instances starting at once apply each migration once. Safe to run at every start.
 *
 * @example
 * ```ts
 * const applied = await migratePostgres('postgresql://app@localhost:5432/shop');
 * console.log(applied.map((m) => m.name));
 * ```
 */
export async function migratePostgres(url: string, migrationsDir: string = POSTGRES_MIGRATIONS_DIR): Promise<AppliedMigration[]> {
  const migrations = readMigrations(migrationsDir);
  const config = postgresConfig(url);
  const client = new pg.Client({ connectionString: config.connectionString, connectionTimeoutMillis: config.connectTimeoutMs, options: config.sessionOptions });
  client.on('error', () => undefined); // a dropped connection fails the query in progress; nothing else to do
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw postgresError('Could not connect to', config, err);
  }
  try {
    await client.query(`SELECT ${LOCK}`);
    await client.query('CREATE TABLE IF NOT EXISTS "_vitrine_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ name: string }>('SELECT "name" FROM "_vitrine_migrations"')).rows.map((r) => r.name));
    const applied: AppliedMigration[] = [];
    for (const { name, sql } of migrations) {
      if (done.has(name)) continue;
      await applyOne(client, name, sql);
      applied.push({ name });
    }
    return applied;
  } catch (err) {
    if (err instanceof VitrineError) throw err;
    throw postgresError('Could not migrate', config, err);
  } finally {
    await client.query(`SELECT ${UNLOCK}`).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
