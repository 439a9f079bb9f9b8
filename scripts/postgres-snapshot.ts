/**
 * Each PostgreSQL migration folder keeps `snapshot.prisma`: the PostgreSQL schema its
 * migration reaches. The next migration is the offline diff from the latest snapshot to
 * the current schema, so no PostgreSQL server is needed to write it (SQLite's side is
 * diffed from its migrations, which run in memory).
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/** The snapshot's file name inside a migration folder. */
export const SNAPSHOT_FILE = 'snapshot.prisma';

const SNAPSHOT_HEADER =
  '// The PostgreSQL schema that this folder\'s migration.sql reaches, written by `npm run db:migration`.\n' +
  '// The next PostgreSQL migration is diffed from the latest of these. Do not edit.\n';

/** The latest snapshot of a migrations folder. */
export interface PostgresSnapshot {
  /** The migration folder it belongs to. */
  migration: string;
  /** The schema text. */
  schema: string;
}

/**
 * The snapshot of the last migration, or `null` for a folder without migrations. A last
 * migration without one (written by hand) is an error: copy the previous snapshot into it,
 * changed as its SQL changes the schema.
 *
 * @example
 * ```ts
 * const last = await latestSnapshot('prisma/postgres/migrations');
 * const sql = await diffPostgresDatamodels(last?.schema ?? null, current);
 * ```
 */
export async function latestSnapshot(migrationsDir: string): Promise<PostgresSnapshot | null> {
  if (!existsSync(migrationsDir)) return null;
  const names = (await readdir(migrationsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const migration = names.at(-1);
  if (migration === undefined) return null;
  const file = path.join(migrationsDir, migration, SNAPSHOT_FILE);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: it must hold the PostgreSQL schema that ${migration}/migration.sql reaches (copy the previous migration's ${SNAPSHOT_FILE} and apply the same change)`);
  }
  return { migration, schema: await readFile(file, 'utf8') };
}

/**
 * The text of a snapshot file for a schema.
 *
 * @example
 * ```ts
 * await writeFile(path.join(dir, SNAPSHOT_FILE), snapshotText(postgresSchemaText));
 * ```
 */
export function snapshotText(schema: string): string {
  return SNAPSHOT_HEADER + schema;
}
