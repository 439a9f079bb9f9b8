/**
 * Writes the next migration for both databases after a change to `prisma/schema.prisma`:
 * - SQLite, `prisma/migrations/<stamp>_<name>/`: the SQL from the state of those migrations
 *   (run in an in-memory database) to the schema;
 * - PostgreSQL, `prisma/postgres/migrations/<stamp>_<name>/`: the SQL from the latest
 *   `snapshot.prisma` there to the PostgreSQL variant of the schema, plus the new snapshot.
 * Both are computed offline by Prisma's WebAssembly schema engine (no engine download, no server).
 *
 * @example
 * npm run db:migration -- add_gift_notes
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR } from '../engine/db/index.ts';
import { POSTGRES_SCHEMA_PATH, SCHEMA_PATH, writePostgresSchema } from './postgres-schema.mjs';
import { SNAPSHOT_FILE, latestSnapshot, snapshotText } from './postgres-snapshot.ts';
import { diffPostgresDatamodels, diffSqliteMigrations } from './schema-engine.ts';

const root = path.resolve(import.meta.dirname, '..');

async function writeMigration(dir: string, provider: string, sql: string, extra: Record<string, string> = {}): Promise<void> {
  await mkdir(dir, { recursive: false });
  await writeFile(path.join(dir, 'migration.sql'), `${sql}\n`);
  for (const [file, text] of Object.entries(extra)) await writeFile(path.join(dir, file), text);
  await writeFile(path.join(path.dirname(dir), 'migration_lock.toml'), `provider = "${provider}"\n`);
  console.log(`wrote ${path.relative(root, dir)}/migration.sql (${sql.split('\n').length} lines)`);
}

async function main(): Promise<void> {
  const name = (process.argv[2] ?? '').trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  if (!name) {
    console.error('usage: npm run db:migration -- <name>   (e.g. add_gift_notes)');
    process.exit(2);
  }
  writePostgresSchema();
  const sqliteSchema = await readFile(SCHEMA_PATH, 'utf8');
  const postgresSchema = await readFile(POSTGRES_SCHEMA_PATH, 'utf8');
  await mkdir(MIGRATIONS_DIR, { recursive: true });
  await mkdir(POSTGRES_MIGRATIONS_DIR, { recursive: true });
  const sqliteSql = await diffSqliteMigrations(MIGRATIONS_DIR, sqliteSchema);
  const postgresSql = await diffPostgresDatamodels((await latestSnapshot(POSTGRES_MIGRATIONS_DIR))?.schema ?? null, postgresSchema);
  if (sqliteSql === '' && postgresSql === '') {
    console.log('schema.prisma and the migrations of both databases already agree: no migration written.');
    return;
  }
  const folder = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${name}`;
  if (sqliteSql !== '') await writeMigration(path.join(MIGRATIONS_DIR, folder), 'sqlite', sqliteSql);
  else console.log('SQLite: its migrations already reach schema.prisma.');
  if (postgresSql !== '') await writeMigration(path.join(POSTGRES_MIGRATIONS_DIR, folder), 'postgresql', postgresSql, { [SNAPSHOT_FILE]: snapshotText(postgresSchema) });
  else console.log('PostgreSQL: its migrations already reach schema.prisma.');
  console.log('Next: npm run db:generate (regenerates both clients).');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
