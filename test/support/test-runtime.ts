import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
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
