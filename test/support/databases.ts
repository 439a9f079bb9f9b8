import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase, type Db } from '../../engine/db/index.ts';
import { databaseFlavourOf, sqlitePath } from '../../engine/db/database-url.ts';
import { SEARCH_OBJECTS } from '../../engine/db/search-objects.ts';

/** The environment variable naming the PostgreSQL server tests create their databases on. */
export const POSTGRES_URL_VARIABLE = 'VITRINE_TEST_POSTGRES_URL';

/** A fresh, empty database that nothing has opened yet. */
export interface FreshDatabase {
  /** Its `DATABASE_URL`. */
  url: string;
  /** Deletes it (the file, or `DROP DATABASE … WITH (FORCE)`). */
  cleanup(): Promise<void>;
}

/** A fresh database, migrated and opened. */
export interface OpenedDatabase extends FreshDatabase {
  db: Db;
}

/** One database flavour the tests run against. */
export interface TestDatabase {
  name: 'sqlite' | 'postgresql';
  /**
   * True when this flavour cannot run here and the suite should be skipped: PostgreSQL
   * without `VITRINE_TEST_POSTGRES_URL`, outside CI. In CI it is never skipped: its
   * tests fail with a message saying the variable is missing.
   */
  skip: boolean;
  /** A fresh database URL, for tests that start a server or process of their own. */
  create(): Promise<FreshDatabase>;
  /** A fresh database opened with `openDatabase` (migrated); `cleanup` disconnects, then deletes it. */
  open(): Promise<OpenedDatabase>;
}

async function freshSqlite(): Promise<FreshDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-db-'));
  return { url: `file:${path.join(dir, 'test.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

function serverUrl(): string {
  const url = process.env[POSTGRES_URL_VARIABLE];
  if (!url) {
    throw new Error(`${POSTGRES_URL_VARIABLE} is not set: CI must run the PostgreSQL tests (.ci/run starts a server and sets it). ` +
      `Locally, set it to a server where this user may CREATE DATABASE, e.g. postgresql://vitrine@127.0.0.1:54329/postgres`);
  }
  return url;
}

/** Runs one statement on the server's own database (CREATE/DROP DATABASE cannot run inside another database's transaction). */
async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl(), connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function freshPostgres(): Promise<FreshDatabase> {
  const name = `vt_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return { url: url.toString(), cleanup: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

function flavour(name: TestDatabase['name'], create: () => Promise<FreshDatabase>, skip: boolean): TestDatabase {
  return {
    name,
    skip,
    create,
    async open() {
      const fresh = await create();
      let db: Db;
      try {
        db = await openDatabase({ url: fresh.url });
      } catch (err) {
        await fresh.cleanup();
        throw err;
      }
      return { url: fresh.url, db, cleanup: async () => { await db.$disconnect(); await fresh.cleanup(); } };
    },
  };
}

/**
 * Every database the tests run against: SQLite always, PostgreSQL on the server of
 * `VITRINE_TEST_POSTGRES_URL` (a new database per `create()`/`open()`, dropped by `cleanup`).
 *
 * @example
 * ```ts
 * for (const database of databases) {
 *   describe.skipIf(database.skip)(`orders on ${database.name}`, () => {
 *     it('keeps an order', async () => {
 *       const { db, cleanup } = await database.open();
 *       try { expect(await db.order.count()).toBe(0); } finally { await cleanup(); }
 *     });
 *   });
 * }
 * ```
 */
export const databases: readonly TestDatabase[] = [
  flavour('sqlite', freshSqlite, false),
  flavour('postgresql', freshPostgres, !process.env[POSTGRES_URL_VARIABLE] && !process.env['CI']),
];

/** Bookkeeping tables, and the search migration's FTS5 tables: not part of the models. */
const INTERNAL_TABLES = new Set(['_vitrine_migrations', 'sqlite_sequence', ...SEARCH_OBJECTS.sqliteTables]);

/**
 * The tables a database really has and their columns (sorted), read from the database's
 * own catalogue, not through Prisma. Bookkeeping tables are left out.
 *
 * @example
 * ```ts
 * const { url, cleanup } = await databases[0].open();
 * expect(Object.keys(await tableColumns(url))).toContain('Order');
 * ```
 */
export async function tableColumns(url: string): Promise<Record<string, string[]>> {
  const rows: { table: string; column: string }[] = [];
  if (databaseFlavourOf(url) === 'sqlite') {
    const db = new Database(sqlitePath(url), { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      for (const table of tables) {
        for (const c of db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]) rows.push({ table, column: c });
      }
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const result = await client.query<{ table: string; column: string }>(
        'SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns WHERE table_schema = current_schema()');
      rows.push(...result.rows);
    } finally {
      await client.end();
    }
  }
  const tables: Record<string, string[]> = {};
  for (const { table, column } of rows) {
    if (INTERNAL_TABLES.has(table)) continue;
    tables[table] = [...(tables[table] ?? []), column];
  }
  for (const columns of Object.values(tables)) columns.sort();
  return tables;
}
