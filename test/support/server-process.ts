import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** The repository root (test/support lives in it). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * A TCP port of 127.0.0.1 that was free a moment ago (listen on 0, close, reuse).
 *
 * @example
 * ```ts
 * const port = await freePort();
 * ```
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/** How a server process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `server/main.ts` child process. */
export interface ServerProcess {
  pid: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Everything the child wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves once the child wrote `text` (a log line: set LOG_LEVEL to see it); rejects after `timeoutMs`. */
  waitForOutput(text: string, timeoutMs: number): Promise<void>;
  /** Resolves when the child has exited. */
  readonly exited: Promise<ProcessExit>;
  /** Sends `signal` (SIGKILL: kill -9) and resolves once the child is gone. */
  kill(signal: NodeJS.Signals): Promise<ProcessExit>;
}

/** What {@link startServer} runs. */
export interface StartServerOptions {
  /** `file:<path>`: the same URL on a restart finds the same journal and outbox. */
  databaseUrl: string;
  /** Extra environment (channels, LOG_LEVEL …); PORT, HOST and DATABASE_URL are set here. */
  env?: Record<string, string>;
  /** Longest wait for `GET /health` to answer 200 (default 60 s: the first start migrates and seeds). */
  readyTimeoutMs?: number;
  /** A built `server/main.js` to run with plain Node, as `npm start` does (default: the TypeScript source through tsx). */
  builtMain?: string;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills (SIGKILL) every server child still running: a failed test leaves none behind. */
export function killAllServers(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
}

function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killAllServers);
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** Environment of the test process without settings that would switch channels or payments on by accident. */
function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(WHATSAPP_|TELEGRAM_|WEBCHAT_|HTTP_JSON_|STRIPE_|OUTBOX_|DATABASE_URL$|PUBLIC_URL$|ADMIN_TOKEN$|PORT$|HOST$|VITEST|NODE_OPTIONS$)/.test(key)) env[key] = value;
  }
  return env;
}

async function waitForHealth(url: string, exited: Promise<ProcessExit>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone: ProcessExit | undefined;
  void exited.then((e) => { gone = e; });
  while (Date.now() < deadline) {
    if (gone) throw new Error(`exited (code ${gone.code}, signal ${gone.signal}) before answering GET /health`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // Not listening yet. There is no event to await from another process: poll.
    }
    await delay(100);
  }
  throw new Error(`did not answer GET /health with 200 within ${timeoutMs} ms`);
}

/**
 * Starts the real server (`node --import tsx server/main.ts`, as `npm run dev`
 * does, or a built `main.js` with plain Node, as `npm start` does) on a free port of 127.0.0.1 and resolves once `GET /health` answers 200.
 *
 * @example
 * ```ts
 * const server = await startServer({ databaseUrl: `file:${dir}/x.db`, env: { LOG_LEVEL: 'warn' } });
 * await server.kill('SIGKILL');
 * ```
 */
export async function startServer(options: StartServerOptions): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, options.builtMain ? [options.builtMain] : ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: { LOG_LEVEL: 'warn', ...inheritedEnv(), ...options.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: options.databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let output = '';
  const written = new EventEmitter();
  const append = (chunk: string) => {
    output += chunk;
    written.emit('data');
  };
  child.stdout?.setEncoding('utf8').on('data', append);
  child.stderr?.setEncoding('utf8').on('data', append);
  const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  try {
    await waitForHealth(url, exited, options.readyTimeoutMs ?? 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${options.builtMain ?? 'server/main.ts'} ${(err as Error).message}\n--- output ---\n${output.slice(-4000)}`);
  }
  return {
    pid: child.pid ?? -1,
    url,
    output: () => output,
    waitForOutput(text, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!output.includes(text)) return;
          finish();
          resolve();
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`the server never wrote "${text}" within ${timeoutMs} ms:\n${output.slice(-2000)}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          written.off('data', check);
        };
        written.on('data', check);
        check();
      });
    },
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A temporary folder for a test's database, removed by `remove()`. */
export function tempDir(label: string): { dir: string; databaseUrl: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `vitrine-${label}-`));
  return { dir, databaseUrl: `file:${path.join(dir, 'vitrine.db')}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
