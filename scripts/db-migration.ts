/**
 * Writes the next migration: the SQL that takes a database from the state of
 * `prisma/migrations/` to `prisma/schema.prisma`, computed offline by Prisma's
 * WebAssembly schema engine (no engine download).
 *
 * @example
 * npm run db:migration -- add_gift_notes
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const root = path.resolve(import.meta.dirname, '..');
const schemaPath = path.join(root, 'prisma', 'schema.prisma');
const migrationsDir = path.join(root, 'prisma', 'migrations');

interface WasmSchemaEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
}
interface EngineModule {
  SchemaEngine: { new: (options: unknown, log: (line: string) => void, adapter: object) => Promise<WasmSchemaEngine> };
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
}

async function loadSchemaEngine(): Promise<EngineModule> {
  const require = createRequire(import.meta.url);
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const pkgDir = path.dirname(bgPath);
  const bg = (await import(pathToFileURL(bgPath).href)) as EngineModule;
  const bytes = await readFile(path.join(pkgDir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports['__wbindgen_start'] as () => void)();
  return bg;
}

interface RawAdapter {
  executeRaw(query: { sql: string; args: unknown[] }): Promise<number>;
  executeScript(script: string): Promise<void>;
}

/**
 * The schema engine sends whole migration scripts through `executeRaw`, which
 * better-sqlite3 refuses for more than one statement: send those through
 * `executeScript` instead.
 */
function scriptAwareFactory(factory: PrismaBetterSqlite3): PrismaBetterSqlite3 {
  const patch = (adapter: RawAdapter): RawAdapter => {
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
  factory.connect = async () => patch((await connect()) as unknown as RawAdapter) as never;
  factory.connectToShadowDb = async () => patch((await connectToShadowDb()) as unknown as RawAdapter) as never;
  return factory;
}

async function main(): Promise<void> {
  const name = (process.argv[2] ?? '').trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  if (!name) {
    console.error('usage: npm run db:migration -- <name>   (e.g. add_gift_notes)');
    process.exit(2);
  }
  await mkdir(migrationsDir, { recursive: true });
  const existing = (await readdir(migrationsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const migrations = await Promise.all(
    existing.map(async (dir) => ({
      path: dir,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: await readFile(path.join(migrationsDir, dir, 'migration.sql'), 'utf8') },
      },
    })),
  );
  const bg = await loadSchemaEngine();
  const adapter = bindMigrationAwareSqlAdapterFactory(scriptAwareFactory(new PrismaBetterSqlite3({ url: ':memory:' })));
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[schemaPath, await readFile(schemaPath, 'utf8')]] },
    () => undefined,
    adapter,
  );
  const lockfile = { path: 'migration_lock.toml', content: 'provider = "sqlite"\n' };
  const result = await engine.diff({
    from: { tag: 'migrations', baseDir: migrationsDir, lockfile, migrationDirectories: migrations, shadowDbInitScript: '' },
    to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }] },
    script: true,
    exitCode: true,
    filters: { externalTables: [], externalEnums: [] },
  });
  const sql = (result.stdout ?? '').trim();
  if (result.exitCode !== 2 || sql === '' || sql.startsWith('-- This is an empty migration')) {
    console.log('schema.prisma and prisma/migrations already agree: no migration written.');
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  await mkdir(dir);
  await writeFile(path.join(dir, 'migration.sql'), `${sql}\n`);
  await writeFile(path.join(migrationsDir, 'migration_lock.toml'), lockfile.content);
  console.log(`wrote ${path.relative(root, dir)}/migration.sql (${sql.split('\n').length} lines)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
