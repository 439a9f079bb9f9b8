import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChatSocket, localAddressFor } from './support/chat-socket.ts';
import { leftovers } from './support/cleanup.ts';
import { pool } from './support/open-loop.ts';
import { describeFigure, figure, type Figure } from './support/report.ts';
import { startProcess, type ServerProcess, VITRINE_SERVER } from './support/server-process.ts';
import { printServerProblems } from './support/server-problems.ts';
import { fmt } from './support/stats.ts';

const CONVERSATIONS = 10_000;
const TEXT = 'oi';
const CONCURRENCY = 64;
const PER_ADDRESS = 40;
/** Wait after start, and after the last conversation, before reading RSS (no way to force GC in the child). */
const SETTLE_MS = 5000;
const TURN_TIMEOUT_MS = 15_000;
/** No new conversation starts after this long: the run stays bounded on a slow server. */
const TIME_BOUND_MS = 50_000;

/** VmRSS and VmHWM (peak) of a process, in KiB, from /proc/<pid>/status. */
function memoryOf(pid: number): { rssKiB: number; peakKiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssKiB: field('VmRSS'), peakKiB: field('VmHWM') };
}

const mib = (kib: number) => kib / 1024;

async function oneConversationEach(server: ServerProcess, expected: number): Promise<{ started: number; done: number; failures: Map<string, number> }> {
  const url = `ws://127.0.0.1:${server.port}/ws`;
  const failures = new Map<string, number>();
  const prefix = `bench-mem-${Date.now().toString(36)}`;
  let done = 0;
  const started = await pool(CONVERSATIONS, CONCURRENCY, async (i) => {
    let socket: ChatSocket | undefined;
    try {
      socket = await ChatSocket.open(url, localAddressFor(i % 32, 1));
      await socket.hello('directory', `${prefix}-${String(i).padStart(5, '0')}`);
      await socket.sendAndWait(TEXT, expected, TURN_TIMEOUT_MS);
      done += 1;
    } catch (err) {
      const key = err instanceof Error ? err.message.replace(/\d+/g, 'N') : String(err);
      failures.set(key, (failures.get(key) ?? 0) + 1);
    } finally {
      socket?.close();
    }
  }, performance.now() + TIME_BOUND_MS);
  return { started, done, failures };
}

async function repliesToText(server: ServerProcess): Promise<number> {
  const socket = await ChatSocket.open(`ws://127.0.0.1:${server.port}/ws`, localAddressFor(0, PER_ADDRESS));
  await socket.hello('directory', `bench-mem-calibrate-${Date.now().toString(36)}`);
  const n = await socket.countReplies(TEXT, 300, 5000);
  socket.close();
  return Math.max(1, n);
}

/**
 * Memory: RSS of an idle server process after start, and after 10,000 distinct
 * customers each had one web chat turn and disconnected; the difference per conversation.
 *
 * @example
 * ```ts
 * const figures = await runMemory();
 * ```
 */
export async function runMemory(): Promise<Figure[]> {
  console.log(`\n== memory: server RSS idle vs after ${CONVERSATIONS} customers each had one web chat turn (${JSON.stringify(TEXT)}) and went idle`);
  const dir = leftovers.tempDir('memory');
  const server = await startProcess({ name: 'vitrine', script: VITRINE_SERVER, env: { DATABASE_URL: `file:${dir}/bench.db`, LOG_LEVEL: 'warn' } });
  try {
    await sleep(SETTLE_MS);
    const idle = memoryOf(server.pid);
    const expected = await repliesToText(server);
    server.logs.reset();
    const t0 = performance.now();
    const { started, done, failures } = await oneConversationEach(server, expected);
    const seconds = (performance.now() - t0) / 1000;
    await sleep(SETTLE_MS);
    const after = memoryOf(server.pid);
    const perConversation = ((after.rssKiB - idle.rssKiB) * 1024) / Math.max(1, done);
    console.log(`  ${done} of ${CONVERSATIONS} conversations done in ${fmt(seconds)} s (${fmt(done / seconds)}/s, ${CONCURRENCY} at a time, ${expected} reply frames each)`);
    if (started < CONVERSATIONS) {
      console.log(`  WARNING only ${started} of ${CONVERSATIONS} conversations started within the ${TIME_BOUND_MS / 1000} s bound: the per-conversation figure uses the ${done} done`);
    }
    if (failures.size > 0) console.log(`  failed: ${[...failures].map(([k, n]) => `${k} ×${n}`).join('; ')}`);
    console.log(`  RSS idle ${fmt(mib(idle.rssKiB))} MiB → after ${fmt(mib(after.rssKiB))} MiB (+${fmt(mib(after.rssKiB - idle.rssKiB))} MiB, ` +
      `${fmt(perConversation / 1024)} KiB per conversation); peak RSS ${fmt(mib(after.peakKiB))} MiB; read ${SETTLE_MS / 1000} s after the last turn, no forced GC`);
    printServerProblems(server);
    const figures = [
      figure('memory', `RSS after ${fmt(done / 1000, 1)}k conversations`, mib(after.rssKiB), 'MiB', { name: 'RSS idle after start', value: mib(idle.rssKiB), unit: 'MiB' }),
      figure('memory', 'RSS growth per conversation', perConversation / 1024, 'KiB'),
    ];
    for (const f of figures) console.log(`  ${describeFigure(f)}`);
    return figures;
  } finally {
    await server.stop();
    leftovers.removeDir(dir);
  }
}
