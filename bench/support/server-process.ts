import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { leftovers } from './cleanup.ts';
import { LogTally } from './log-tally.ts';

/** The repository root (bench/ lives in it). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** What {@link startProcess} runs. */
export interface StartOptions {
  /** A name for messages, e.g. `vitrine` or `raw-fastify`. */
  name: string;
  /** A TypeScript entry file, relative to the repository root. */
  script: string;
  /** Extra environment; PORT and HOST are set by {@link startProcess}. */
  env?: Record<string, string>;
  /** Longest wait for `GET /health` to answer 200 (default 60 s). */
  readyTimeoutMs?: number;
}

/** A child process serving HTTP on 127.0.0.1. */
export interface ServerProcess {
  name: string;
  pid: number;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Warnings and errors the child logged (pino JSON lines) and its last output lines. */
  logs: LogTally;
  /** Stops the child: SIGTERM, then SIGKILL after `graceMs` (default 5 s). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A TCP port that was free a moment ago on 127.0.0.1.
 *
 * @example
 * ```ts
 * const port = await freePort();
 * ```
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The bench's environment without channel or payment settings, so only what a benchmark sets is on. */
function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(WHATSAPP_|TELEGRAM_|STRIPE_|DATABASE_URL$|PUBLIC_URL$|ADMIN_TOKEN$)/.test(key)) env[key] = value;
  }
  return env;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitForHealth(child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(child)) throw new Error(`exited with ${child.exitCode ?? child.signalCode} before answering /health`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  throw new Error(`did not answer GET /health with 200 within ${timeoutMs} ms`);
}

/**
 * The Vitrine server as `npm start` runs it: the built JavaScript in `dist/`
 * (`npm run bench` builds it first when a source changed), not the TypeScript
 * sources through a loader, which adds its own work to every call.
 */
export const VITRINE_SERVER = 'dist/server/main.js';

/** The built `createRuntime` module, for benchmarks that drive the engine in their own process. */
export const BUILT_RUNTIME = new URL('../../dist/server/runtime.js', import.meta.url).href;

/**
 * Starts `node <script>` from the repository root (`node --import tsx <script>`
 * for a TypeScript file) on a free port of
 * 127.0.0.1 and waits until `GET /health` answers 200. The child is killed when
 * the bench process ends, however it ends. Its pino warnings and errors are tallied.
 * With `BENCH_CPU_PROFILE=<folder>` set, each process writes a CPU profile there as it stops.
 *
 * @example
 * ```ts
 * const server = await startProcess({ name: 'vitrine', script: VITRINE_SERVER, env: { DATABASE_URL: 'file:/tmp/x/bench.db', LOG_LEVEL: 'warn' } });
 * await fetch(`${server.url}/health`);
 * await server.stop();
 * ```
 */
export async function startProcess(options: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // BENCH_CPU_PROFILE=<folder> writes a CPU profile of each started process there when it stops.
  const profile = process.env['BENCH_CPU_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROFILE']}`] : [];
  const loader = options.script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...profile, ...loader, options.script], {
    cwd: REPO_ROOT,
    env: { ...inheritedEnv(), ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  leftovers.track(child);
  const logs = new LogTally();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => logs.feed(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => logs.feed(chunk));
  try {
    await waitForHealth(child, url, options.readyTimeoutMs ?? 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    const tail = logs.tail().join('\n');
    throw new Error(`${options.name} (${options.script}) ${(err as Error).message}\n--- last output ---\n${tail}`);
  }
  return {
    name: options.name, pid: child.pid ?? -1, port, url, logs,
    async stop(graceMs = 5000) {
      if (exited(child)) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
    },
  };
}
