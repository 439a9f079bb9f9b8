import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pino from 'pino';
import { leftovers } from './support/cleanup.ts';
import { BUILT_RUNTIME } from './support/server-process.ts';
import { pool } from './support/open-loop.ts';
import { describeFigure, figure, type Figure } from './support/report.ts';
import { distribution, fmt, fmtMs } from './support/stats.ts';

const CUSTOMERS = 2000;
const SCRIPT = ['oi', 'padaria', '1'];
const CONCURRENCY = 32;
/** No new customer starts after this long (customers already started finish their messages). */
const TIME_BOUND_MS = 15_000;
const WARMUP_CUSTOMERS = 20;
/** The baseline row: a JSON text of about this many bytes. */
const ROW_BYTES = 2048;

/** Counts what the runtime logs at warn and above, so the run stays quiet but problems are reported. */
class LogCounter {
  readonly byMsg = new Map<string, number>();

  write(line: string): void {
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      if ((entry.level ?? 0) >= 40) this.byMsg.set(entry.msg ?? '(no msg)', (this.byMsg.get(entry.msg ?? '(no msg)') ?? 0) + 1);
    } catch {
      // not a log line
    }
  }
}

interface EngineRun {
  customers: number;
  /** Turns that returned (failed ones are in `failures`). */
  turns: number;
  seconds: number;
  cpuMsPerTurn: number;
  failures: Map<string, number>;
  replies: number;
  latencyP50: number;
  latencyP99: number;
}

async function driveEngine(dir: string, logs: LogCounter): Promise<EngineRun> {
  // The runtime as `npm start` runs it: the built JavaScript (see VITRINE_SERVER).
  const { createRuntime } = (await import(BUILT_RUNTIME)) as typeof import('../server/runtime.ts');
  const runtime = await createRuntime({ databaseUrl: `file:${path.join(dir, 'engine.db')}`, logger: pino({ level: 'warn' }, logs) });
  try {
    const failures = new Map<string, number>();
    let replies = 0;
    let turns = 0;
    const latencies: number[] = [];
    const converse = async (customer: string, record: boolean) => {
      for (const [step, text] of SCRIPT.entries()) {
        const t0 = performance.now();
        try {
          const turn = await runtime.engine.process({ kind: 'text', text, messageId: `${customer}-m${step}`, channel: 'console', botId: 'directory', customer: { id: customer } });
          if (record) {
            turns += 1;
            replies += turn.replies.length;
            latencies.push(performance.now() - t0);
          }
        } catch (err) {
          const code = (err as { code?: unknown }).code;
          const key = typeof code === 'string' ? code : err instanceof Error ? err.message.slice(0, 120) : String(err);
          failures.set(key, (failures.get(key) ?? 0) + 1);
        }
      }
    };
    await pool(WARMUP_CUSTOMERS, CONCURRENCY, (i) => converse(`warmup-${i}`, false));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const customers = await pool(CUSTOMERS, CONCURRENCY, (i) => converse(`customer-${String(i).padStart(5, '0')}`, true), t0 + TIME_BOUND_MS);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const latency = distribution(latencies);
    return { customers, turns, seconds, cpuMsPerTurn: (cpu.user + cpu.system) / 1000 / Math.max(1, turns), failures, replies, latencyP50: latency.p50, latencyP99: latency.p99 };
  } finally {
    await runtime.close();
  }
}

/** A JSON text of about `bytes` bytes that changes with `version`. */
function stateJson(customer: string, version: number, bytes: number): string {
  const base = { customer, version, step: 'browse', locale: 'pt-BR', cart: [{ sku: 'PAO-FRANCES', quantity: 2 }], history: [] as string[] };
  while (JSON.stringify(base).length < bytes) base.history.push(`event-${version}-${base.history.length}-padaria-sao-jorge`);
  return JSON.stringify(base);
}

/**
 * Raw better-sqlite3 upserts of a ~2 KB JSON row keyed by customer id, one
 * transaction each, same journal mode as Vitrine's SQLite (WAL): upserts/s.
 */
function rawUpserts(file: string, count: number): { perSecond: number; cpuMsPer: number } {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE IF NOT EXISTS conversation (customer TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at INTEGER NOT NULL)');
    const upsert = db.prepare('INSERT INTO conversation (customer, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(customer) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at');
    const once = db.transaction((customer: string, state: string) => { upsert.run(customer, state, Date.now()); });
    const rows = Array.from({ length: count }, (_, i) => {
      const customer = `customer-${String(i % CUSTOMERS).padStart(5, '0')}`;
      return [customer, stateJson(customer, i, ROW_BYTES)] as const;
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const [customer, state] of rows) once(customer, state);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { perSecond: count / seconds, cpuMsPer: (cpu.user + cpu.system) / 1000 / count };
  } finally {
    db.close();
  }
}

/**
 * Engine turns/s with no HTTP: `createRuntime` on a temp SQLite file, then
 * `engine.process` for many distinct customers at bounded concurrency. Baseline:
 * raw better-sqlite3 upserts (measured before and after, averaged).
 *
 * @example
 * ```ts
 * const figures = await runEngine();
 * ```
 */
export async function runEngine(): Promise<Figure[]> {
  console.log(`\n== engine: engine.process, up to ${CUSTOMERS} customers × ${SCRIPT.length} messages [${SCRIPT.map((t) => JSON.stringify(t)).join(', ')}] ` +
    `(none started after ${TIME_BOUND_MS / 1000} s), ${CONCURRENCY} at a time, no HTTP`);
  const dir = leftovers.tempDir('engine');
  try {
    const upserts = CUSTOMERS * SCRIPT.length;
    const before = rawUpserts(path.join(dir, 'raw-before.db'), upserts);
    const logs = new LogCounter();
    const run = await driveEngine(dir, logs);
    const after = rawUpserts(path.join(dir, 'raw-after.db'), upserts);
    const baseline = (before.perSecond + after.perSecond) / 2;
    console.log(`  baseline raw upserts (${ROW_BYTES} B JSON, own transaction, WAL): ${fmt(before.perSecond)}/s before, ${fmt(after.perSecond)}/s after; ` +
      `CPU ${fmt((before.cpuMsPer + after.cpuMsPer) / 2, 3)} ms per upsert`);
    const failed = [...run.failures.values()].reduce((a, b) => a + b, 0);
    console.log(`  ${run.turns} turns (${run.customers} customers) in ${fmt(run.seconds)} s; ${fmt(run.replies / Math.max(1, run.turns))} replies per turn; ` +
      `turn latency p50 ${fmtMs(run.latencyP50)}, p99 ${fmtMs(run.latencyP99)} (at ${CONCURRENCY} concurrent)`);
    console.log(`  failed turns: ${failed === 0 ? 'none' : [...run.failures].map(([k, n]) => `${k} ×${n}`).join('; ')}`);
    if (logs.byMsg.size > 0) console.log(`  runtime log warnings/errors: ${[...logs.byMsg].map(([m, n]) => `${m} ×${n}`).join('; ')}`);
    const figures = [
      figure('engine', 'turns/s', run.turns / run.seconds, 'turns/s', { name: 'raw sqlite upserts', value: baseline, unit: 'upserts/s' }),
      figure('engine', 'CPU per turn', run.cpuMsPerTurn, 'ms', { name: 'CPU per raw upsert', value: (before.cpuMsPer + after.cpuMsPer) / 2, unit: 'ms' }),
    ];
    for (const f of figures) console.log(`  ${describeFigure(f)}`);
    return figures;
  } finally {
    leftovers.removeDir(dir);
  }
}
