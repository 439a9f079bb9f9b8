import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migratePostgres, openDatabase, POSTGRES_MIGRATIONS_DIR } from '../../engine/db/index.ts';
import { postgresConfig } from '../../engine/db/database-url.ts';
import { readMigrations } from '../../engine/db/migration-files.ts';
import { SEARCH_OBJECTS } from '../../engine/db/search-objects.ts';
import { POSTGRES_SCHEMA_PATH, postgresSchema, SCHEMA_PATH } from '../../scripts/postgres-schema.mjs';
import { latestSnapshot } from '../../scripts/postgres-snapshot.ts';
import { diffPostgresDatamodels } from '../../scripts/schema-engine.ts';
import { databases, tableColumns, type FreshDatabase } from '../support/databases.ts';

const postgres = databases.find((d) => d.name === 'postgresql')!;
const sqlite = databases.find((d) => d.name === 'sqlite')!;
const currentSchema = async (): Promise<string> => postgresSchema(await readFile(SCHEMA_PATH, 'utf8'));

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Everything a migration can shape, read from PostgreSQL's catalogue, sorted. */
async function catalogue(url: string): Promise<{ columns: string[]; indexes: string[]; constraints: string[] }> {
  const lines = async (sql: string) => (await query<{ line: string }>(url, sql)).map((r) => r.line).sort();
  return {
    columns: await lines(`SELECT concat_ws(' ', table_name, column_name, data_type, datetime_precision, is_nullable, column_default) AS line
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_vitrine_migrations'`),
    // The search migration's trigram indexes are raw SQL that the schema cannot describe.
    indexes: (await lines("SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_vitrine_migrations'"))
      .filter((line) => !SEARCH_OBJECTS.postgresIndexes.some((name) => line.includes(`INDEX "${name}"`))),
    constraints: await lines(`SELECT concat_ws(' ', conrelid::regclass::text, conname, pg_get_constraintdef(oid)) AS line
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_vitrine_migrations'`),
  };
}

const fresh: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of fresh) await db.cleanup();
});
async function create(): Promise<FreshDatabase> {
  const db = await postgres.create();
  fresh.push(db);
  return db;
}

describe('the PostgreSQL schema', () => {
  it('is prisma/schema.prisma with the postgresql provider (otherwise: npm run db:generate)', async () => {
    const written = await readFile(POSTGRES_SCHEMA_PATH, 'utf8');
    expect(written, 'prisma/postgres/schema.prisma is stale: run npm run db:generate').toBe(await currentSchema());
    expect(written).toMatch(/provider = "postgresql"/);
    expect(written).toMatch(/output\s+= "\.\.\/\.\.\/engine\/db\/generated-pg"/);
  });

  it('is what the PostgreSQL migrations reach (otherwise: npm run db:migration -- <name>)', async () => {
    const last = await latestSnapshot(POSTGRES_MIGRATIONS_DIR);
    expect(last).not.toBeNull();
    const sql = await diffPostgresDatamodels(last!.schema, await currentSchema());
    expect(sql, `prisma/postgres/migrations/ (last: ${last!.migration}) lag behind prisma/schema.prisma: run npm run db:migration -- <name>`).toBe('');
  });

  it('reads pool size and timeout from the URL and hides the password', () => {
    const config = postgresConfig('postgres://app:s3cret@db.internal:6432/shop?connection_limit=25&connect_timeout=3&sslmode=require');
    expect(config).toEqual({
      connectionString: 'postgres://app:s3cret@db.internal:6432/shop?sslmode=require', poolSize: 25, connectTimeoutMs: 3000, sessionOptions: '-c TimeZone=UTC -c pg_trgm.word_similarity_threshold=0.35',
      display: 'postgres://app:***@db.internal:6432/shop?connection_limit=25&connect_timeout=3&sslmode=require',
    });
    expect(postgresConfig('postgresql://app@localhost/shop').poolSize).toBe(10);
  });
});

describe.skipIf(postgres.skip)('PostgreSQL migrations on a real server', () => {
  it('build the same columns, indexes and constraints as the schema itself', async () => {
    const migrated = await create();
    const direct = await create();
    await migratePostgres(migrated.url);
    await query(direct.url, await diffPostgresDatamodels(null, await currentSchema()));
    const expected = await catalogue(direct.url);
    expect(expected.columns.length).toBeGreaterThan(50);
    expect(await catalogue(migrated.url)).toEqual(expected);
  });

  it('give the same tables and columns as the SQLite migrations', async () => {
    const onPostgres = await create();
    await migratePostgres(onPostgres.url);
    const { url, cleanup } = await sqlite.open();
    try {
      expect(await tableColumns(onPostgres.url)).toEqual(await tableColumns(url));
    } finally {
      await cleanup();
    }
  });

  it('are applied once when several instances start at the same moment', async () => {
    const { url } = await create();
    const runs = await Promise.all([1, 2, 3, 4].map(() => migratePostgres(url)));
    const names = readMigrations(POSTGRES_MIGRATIONS_DIR).map((m) => m.name);
    expect(runs.flat().map((m) => m.name).sort()).toEqual(names);
    expect((await query<{ name: string }>(url, 'SELECT name FROM "_vitrine_migrations" ORDER BY name')).map((r) => r.name)).toEqual(names);
    const dbs = await Promise.all([1, 2, 3].map(() => openDatabase({ url })));
    expect(await Promise.all(dbs.map((db) => db.business.count()))).toEqual([0, 0, 0]);
    await Promise.all(dbs.map((db) => db.$disconnect()));
  });

  it('roll a failing migration back, name it, and apply it once it is fixed', async () => {
    const { url } = await create();
    const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-pg-migrations-'));
    try {
      const write = (name: string, sql: string) => {
        mkdirSync(path.join(dir, name), { recursive: true });
        writeFileSync(path.join(dir, name, 'migration.sql'), sql);
      };
      write('1_first', 'CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);');
      write('2_broken', 'CREATE TABLE "B" ("id" INTEGER PRIMARY KEY);\nINSERT INTO "Nowhere" VALUES (1);');
      await expect(migratePostgres(url, dir)).rejects.toMatchObject({ code: 'VT_ERR_DATABASE', message: expect.stringMatching(/^Migration 2_broken failed: relation "Nowhere" does not exist/) });
      const tables = async () => (await query<{ t: string }>(url, "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((r) => r.t);
      expect(await tables()).toEqual(['A', '_vitrine_migrations']);
      write('2_broken', 'CREATE TABLE "B" ("id" INTEGER PRIMARY KEY);');
      expect(await migratePostgres(url, dir)).toEqual([{ name: '2_broken' }]);
      expect(await tables()).toEqual(['A', 'B', '_vitrine_migrations']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keep timestamps in UTC even when the server runs in another time zone', async () => {
    const { url } = await create();
    const name = new URL(url).pathname.slice(1);
    await query(url, `ALTER DATABASE "${name}" SET TimeZone = 'America/New_York'`);
    const db = await openDatabase({ url });
    try {
      const before = Date.now();
      await db.$executeRawUnsafe(`INSERT INTO "Customer" ("id", "channel", "externalId") VALUES ('sql-default', 'console', 'tz')`);
      const byPrisma = await db.customer.create({ data: { channel: 'console', externalId: 'tz-prisma' } });
      const bySql = await db.customer.findUniqueOrThrow({ where: { id: 'sql-default' } });
      for (const row of [bySql, byPrisma]) expect(Math.abs(row.createdAt.getTime() - before)).toBeLessThan(60_000);
    } finally {
      await db.$disconnect();
    }
  });

  it('say which database is missing', async () => {
    const url = new URL((await create()).url);
    url.pathname = '/vt_no_such_database';
    await expect(openDatabase({ url: url.toString() })).rejects.toMatchObject({
      code: 'VT_ERR_DATABASE', message: expect.stringMatching(/^Could not connect to PostgreSQL at .*\/vt_no_such_database: database "vt_no_such_database" does not exist/),
    });
  });
});
