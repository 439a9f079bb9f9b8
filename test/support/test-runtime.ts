import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe } from 'vitest';
import { databases, type FreshDatabase, type TestDatabase } from './databases.ts';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../server/runtime.ts';

/** A runtime on a fresh SQLite file in a temporary folder. */
export interface TestRuntime extends Runtime {
  /** The database URL, to open the same file again (restart tests). */
  databaseUrl: string;
  /** Closes the runtime and deletes its folder. */
  dispose(): Promise<void>;
}

/**
 * A real runtime (migrated SQLite file, seeded example bots, engine) for a test.
 *
 * @example
 * ```ts
 * const rt = await createTestRuntime();
 * afterAll(() => rt.dispose());
 * ```
 */
export async function createTestRuntime(options: RuntimeOptions & { databaseUrl?: string } = {}): Promise<TestRuntime> {
  const dir = options.databaseUrl ? undefined : mkdtempSync(path.join(tmpdir(), 'vitrine-test-'));
  const databaseUrl = options.databaseUrl ?? `file:${path.join(dir ?? '', 'test.db')}`;
  const runtime = await createRuntime({ logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }), ...options, databaseUrl });
  return {
    ...runtime,
    databaseUrl,
    async dispose() {
      await runtime.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a suite once on each database (SQLite, and PostgreSQL where
 * `VITRINE_TEST_POSTGRES_URL` is set; required in CI), on a fresh database
 * each time. `use` receives that run's runtime before its tests start.
 *
 * @example
 * ```ts
 * let rt: TestRuntime;
 * onEachDatabase((runtime) => { rt = runtime; }, () => {
 *   it('buys bread', async () => { … rt.engine … });
 * });
 * ```
 */
export function onEachDatabase(use: (runtime: TestRuntime) => void, suite: (database: TestDatabase) => void, options: RuntimeOptions = {}): void {
  for (const database of databases) {
    describe.skipIf(database.skip)(`on ${database.name}`, () => {
      let fresh: FreshDatabase | undefined;
      let runtime: TestRuntime | undefined;
      beforeAll(async () => {
        fresh = await database.create();
        runtime = await createTestRuntime({ ...options, databaseUrl: fresh.url });
        use(runtime);
      });
      afterAll(async () => {
        await runtime?.dispose();
        await fresh?.cleanup();
      });
      suite(database);
    });
  }
}
