/**
 * Prisma's WebAssembly schema engine, loaded offline (no engine download), and the
 * diffs Vitrine needs from it: SQLite migrations to a datamodel, and PostgreSQL
 * datamodel to datamodel. Used by `npm run db:migration` and the drift tests.
 */
import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory, type SqlQuery, type SqlResultSet } from '@prisma/driver-adapter-utils';
import { SEARCH_OBJECTS } from '../engine/db/search-objects.ts';

interface WasmSchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}
interface EngineModule {
  SchemaEngine: { new: (options: unknown, log: (line: string) => void, adapter: object) => Promise<WasmSchemaEngine> };
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
}

let loaded: Promise<EngineModule> | undefined;

/** On Node 20 the package cannot be imported (it imports a `.wasm` file): instantiate it by hand. */
async function loadEngineModule(): Promise<EngineModule> {
  const require = createRequire(import.meta.url);
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bg = (await import(pathToFileURL(bgPath).href)) as EngineModule;
  const bytes = await readFile(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports['__wbindgen_start'] as () => void)();
  return bg;
}

/**
 * The schema engine sends whole migration scripts through `executeRaw`, which
 * better-sqlite3 refuses for more than one statement: send those through
 * `executeScript` instead.
 */
function scriptAwareSqlite(factory: PrismaBetterSqlite3): SqlMigrationAwareDriverAdapterFactory {
  const patch = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      try {
        return await executeRaw(query);
      } catch (err) {
        if (query.args.length === 0 && String((err as Error).message).includes('more than one statement')) {
          await adapter.executeScript(query.sql);
          return 0;
        }
        throw err;
      }
    };
    return adapter;
  };
  const connect = factory.connect.bind(factory);
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  return Object.assign(factory, {
    connect: async () => patch(await connect()),
    connectToShadowDb: async () => patch(await connectToShadowDb()),
  });
}

/**
 * A PostgreSQL "connection" that reaches no server. The engine asks for the server
 * version when it starts and needs nothing else to diff two datamodels; anything
 * else fails loudly.
 */
function offlinePostgres(): SqlMigrationAwareDriverAdapterFactory {
  const offline = (): never => {
    throw new Error('offline PostgreSQL: this diff needs a real server');
  };
  const adapter: SqlDriverAdapter = {
    provider: 'postgres',
    adapterName: 'vitrine-offline',
    async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
      if (!query.sql.includes('server_version_num')) offline();
      // exists(schema), version(), numeric version: Int32 = 0, Text = 7, Boolean = 5.
      return { columnNames: ['exists', 'version', 'numeric_version'], columnTypes: [5, 7, 0], rows: [[true, 'PostgreSQL 15 (offline)', 150000]] };
    },
    executeRaw: async () => offline(),
    executeScript: async () => offline(),
    startTransaction: async () => offline(),
    getConnectionInfo: () => ({ schemaName: 'public', supportsRelationJoins: true }),
    dispose: async () => undefined,
  };
  return { provider: 'postgres', adapterName: 'vitrine-offline', connect: async () => adapter, connectToShadowDb: async () => adapter };
}

/** The search migration's FTS5 tables are raw SQL, not models: SQLite's diffs leave them alone. */
const SQLITE_FILTERS: { externalTables: string[]; externalEnums: string[] } = { externalTables: [...SEARCH_OBJECTS.sqliteTables], externalEnums: [] };
const NO_FILTERS: { externalTables: string[]; externalEnums: string[] } = { externalTables: [], externalEnums: [] };

async function runDiff(factory: SqlMigrationAwareDriverAdapterFactory, datamodel: string, from: unknown, to: unknown, filters = NO_FILTERS): Promise<string> {
  loaded ??= loadEngineModule();
  const bg = await loaded;
  const engine = await bg.SchemaEngine.new({ datamodels: [['schema.prisma', datamodel]] }, () => undefined, bindMigrationAwareSqlAdapterFactory(factory));
  try {
    const result = await engine.diff({ from, to, script: true, exitCode: true, filters });
    const sql = (result.stdout ?? '').trim();
    return result.exitCode === 2 && !sql.startsWith('-- This is an empty migration') ? sql : '';
  } finally {
    engine.free();
  }
}

/** A migrations folder as the engine wants it: every `<name>/migration.sql` in name order. */
async function migrationList(dir: string, provider: 'sqlite' | 'postgresql'): Promise<unknown> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const migrationDirectories = await Promise.all(names.map(async (name) => ({
    path: name,
    migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: await readFile(path.join(dir, name, 'migration.sql'), 'utf8') } },
  })));
  const lockfile = { path: 'migration_lock.toml', content: `provider = "${provider}"\n` };
  return { tag: 'migrations', baseDir: dir, lockfile, migrationDirectories, shadowDbInitScript: '' };
}

const datamodel = (content: string): unknown => ({ tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content }] });

/**
 * The SQL that takes a SQLite database from the state of a migrations folder to a
 * datamodel ('' when they agree). Runs the migrations in an in-memory database.
 *
 * @example
 * ```ts
 * const sql = await diffSqliteMigrations('prisma/migrations', await readFile('prisma/schema.prisma', 'utf8'));
 * ```
 */
export async function diffSqliteMigrations(migrationsDir: string, schema: string): Promise<string> {
  const factory = scriptAwareSqlite(new PrismaBetterSqlite3({ url: ':memory:' }));
  return runDiff(factory, schema, await migrationList(migrationsDir, 'sqlite'), datamodel(schema), SQLITE_FILTERS);
}

/**
 * The PostgreSQL SQL that takes a database from one datamodel (or nothing, `null`)
 * to another ('' when they agree), computed without any server.
 *
 * @example
 * ```ts
 * const sql = await diffPostgresDatamodels(null, postgresSchemaText); // the whole schema
 * ```
 */
export async function diffPostgresDatamodels(from: string | null, to: string): Promise<string> {
  return runDiff(offlinePostgres(), to, from === null ? { tag: 'empty' } : datamodel(from), datamodel(to));
}

/**
 * The PostgreSQL SQL that takes a database from the state of a migrations folder to a
 * datamodel ('' when they agree). Needs a real server: the migrations run in a shadow
 * database that `factory` creates and drops (for `PrismaPg`, give it a config object
 * with a `database` field, not a connection string, or the shadow database is the main one).
 *
 * @example
 * ```ts
 * const factory = new PrismaPg({ host: '127.0.0.1', port: 5432, user: 'vitrine', database: 'postgres' });
 * const sql = await diffPostgresMigrations(factory, 'prisma/postgres/migrations', schemaText);
 * ```
 */
export async function diffPostgresMigrations(factory: SqlMigrationAwareDriverAdapterFactory, migrationsDir: string, schema: string): Promise<string> {
  return runDiff(factory, schema, await migrationList(migrationsDir, 'postgresql'), datamodel(schema));
}
