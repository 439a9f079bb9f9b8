import { calibrate, expectedAt } from './support/calibrate.ts';
import { ChatSocket, localAddressFor, type PendingTurn, type TurnListener } from './support/chat-socket.ts';
import { leftovers } from './support/cleanup.ts';
import { pool, runOpenLoop, waitUntil } from './support/open-loop.ts';
import { describeFigure, figure, type Figure } from './support/report.ts';
import { startProcess, VITRINE_SERVER } from './support/server-process.ts';
import { distribution, fmt, fmtMs, type Distribution } from './support/stats.ts';
import { printServerProblems } from './support/server-problems.ts';

/** Offered rates (messages/s) and how long each is held. */
const RATES = [200, 1000];
const DURATION_SEC = 10;
/** Longest wait for answers after the last message was sent. */
const DRAIN_MS = 5_000;
/**
 * Sockets per run: one message per socket per second at most, which stays under
 * the server's documented flood limit of 10 frames per 10 s per connection.
 */
const socketsFor = (rate: number) => Math.max(200, rate);
/** Sockets sharing one source address (the server allows 50 per address). */
const PER_ADDRESS = 40;
const BOT = 'directory';
/** What each customer types, in order (each socket sends at most rate × duration / sockets of them). */
const SCRIPT = ['oi', 'padaria', '1', '1', '1', '2', 'cart', 'oi', 'help', 'padaria', 'oi', 'help'];

interface RunStats {
  rate: number;
  sockets: number;
  sent: number;
  answered: number;
  latency: Distribution;
  /** Messages answered per second, from the first scheduled send to the last first reply. */
  completionRate: number;
  errors: Map<string, number>;
  stray: number;
  closed: number;
  maxLagMs: number;
  /** Sockets that could not be opened or greeted, by reason. */
  openFailures: Map<string, number>;
}

class RunTally {
  readonly turns: PendingTurn[] = [];
  readonly errors = new Map<string, number>();
  stray = 0;
  answered = 0;
  lastFirstAt = 0;

  firstReply(turn: PendingTurn): void {
    this.answered += 1;
    this.lastFirstAt = Math.max(this.lastFirstAt, turn.firstAt ?? 0);
  }

  error(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  strayFrame(): void {
    this.stray += 1;
  }
}

/** Opens and greets `count` sockets; those that fail to open or get no welcome are counted, not fatal. */
async function openSockets(url: string, count: number, customerPrefix: string, tally: RunTally): Promise<{ sockets: ChatSocket[]; failed: Map<string, number> }> {
  const opened: (ChatSocket | undefined)[] = new Array(count);
  const failed = new Map<string, number>();
  const listener: TurnListener = { firstReply: (t) => tally.firstReply(t), error: (c) => tally.error(c), stray: () => tally.strayFrame() };
  await pool(count, 50, async (i) => {
    try {
      const socket = await ChatSocket.open(url, localAddressFor(i, PER_ADDRESS), listener);
      opened[i] = socket;
      await socket.hello(BOT, `${customerPrefix}-${String(i).padStart(5, '0')}`);
    } catch (err) {
      opened[i]?.terminate();
      opened[i] = undefined;
      const key = err instanceof Error ? err.message.replace(/\d+/g, 'N') : String(err);
      failed.set(key, (failed.get(key) ?? 0) + 1);
    }
  });
  return { sockets: opened.filter((s): s is ChatSocket => s !== undefined), failed };
}

async function measureRate(url: string, rate: number, counts: readonly number[], label: string): Promise<RunStats> {
  const tally = new RunTally();
  const { sockets, failed } = await openSockets(url, socketsFor(rate), `bench-${label}-${rate}-${Date.now().toString(36)}`, tally);
  const count = sockets.length;
  if (count === 0) throw new Error(`no web chat socket could be opened: ${[...failed.keys()].join('; ')}`);
  const steps = new Array<number>(count).fill(0);
  const loop = await runOpenLoop(rate, DURATION_SEC, (i, scheduledAt) => {
    const s = i % count;
    const step = steps[s] ?? 0;
    steps[s] = step + 1;
    tally.turns.push(sockets[s]!.send(SCRIPT[step % SCRIPT.length] ?? 'oi', expectedAt(counts, step), scheduledAt));
  });
  await waitUntil(() => tally.turns.every((t) => t.firstAt !== undefined || t.error !== undefined), DRAIN_MS);
  const closed = sockets.filter((s) => s.closedWith !== undefined).length;
  for (const socket of sockets) socket.terminate();
  const latencies = tally.turns.map((t) => (t.firstAt !== undefined ? t.firstAt - t.scheduledAt : Number.POSITIVE_INFINITY));
  const answered = tally.turns.filter((t) => t.firstAt !== undefined).length;
  const window = Math.max(1, tally.lastFirstAt - loop.startedAt) / 1000;
  return {
    rate, sockets: count, sent: loop.sent, answered, latency: distribution(latencies), completionRate: answered / window,
    errors: tally.errors, stray: tally.stray, closed, maxLagMs: loop.maxLagMs, openFailures: failed,
  };
}

function printRun(label: string, r: RunStats): void {
  const errors = [...r.errors].map(([code, n]) => `${code}×${n}`).join(', ') || 'none';
  console.log(`  ${label} @ ${r.rate} msg/s offered over ${r.sockets} sockets for ${DURATION_SEC} s: sent ${r.sent}, answered ${r.answered} ` +
    `(${fmt((100 * r.answered) / Math.max(1, r.sent), 1)}%), completion ${fmt(r.completionRate)} msg/s; ` +
    `first reply p50 ${fmtMs(r.latency.p50)}, p90 ${fmtMs(r.latency.p90)}, p99 ${fmtMs(r.latency.p99)}, max ${fmtMs(r.latency.max)}`);
  console.log(`    error frames: ${errors}; frames with no message waiting: ${r.stray}; sockets closed by the server: ${r.closed}; ` +
    `load generator max lag ${fmtMs(r.maxLagMs)}`);
  if (r.openFailures.size > 0) console.log(`    sockets not opened: ${[...r.openFailures].map(([k, n]) => `${k} ×${n}`).join('; ')}`);
}

async function calibrateVitrine(url: string): Promise<number[]> {
  const steps = Math.ceil((Math.max(...RATES) * DURATION_SEC) / socketsFor(Math.max(...RATES)));
  const script = SCRIPT.slice(0, Math.min(SCRIPT.length, steps));
  const { counts, disagreements } = await calibrate(2, async (c) => {
    const socket = await ChatSocket.open(url, localAddressFor(0, PER_ADDRESS));
    await socket.hello(BOT, `bench-calibrate-${c}-${Date.now().toString(36)}`);
    const found: number[] = [];
    for (const text of script) found.push(await socket.countReplies(text, 300, 5000));
    socket.close();
    return found;
  });
  console.log(`  calibration: reply frames per message for [${script.map((t) => JSON.stringify(t)).join(', ')}] = [${counts.join(', ')}]`);
  for (const d of disagreements) console.log(`  WARNING ${d}`);
  return counts;
}

/** One fresh server (empty database) per rate, so a backlog left by one rate cannot slow the next. */
async function runVitrine(): Promise<RunStats[]> {
  const runs: RunStats[] = [];
  let counts: number[] | undefined;
  for (const rate of RATES) {
    const dir = leftovers.tempDir('webchat');
    const server = await startProcess({ name: 'vitrine', script: VITRINE_SERVER, env: { DATABASE_URL: `file:${dir}/bench.db`, LOG_LEVEL: 'warn' } });
    try {
      counts ??= await calibrateVitrine(`ws://127.0.0.1:${server.port}/ws`);
      server.logs.reset();
      const run = await measureRate(`ws://127.0.0.1:${server.port}/ws`, rate, counts, 'vitrine');
      printRun('vitrine', run);
      printServerProblems(server, '    ');
      runs.push(run);
    } finally {
      await server.stop();
      leftovers.removeDir(dir);
    }
  }
  return runs;
}

async function runEcho(): Promise<RunStats[]> {
  const echo = await startProcess({ name: 'raw-ws-echo', script: 'bench/support/raw-ws-echo-server.ts' });
  try {
    const runs: RunStats[] = [];
    for (const rate of RATES) {
      const run = await measureRate(`ws://127.0.0.1:${echo.port}/ws`, rate, [1], 'echo');
      printRun('baseline echo', run);
      runs.push(run);
    }
    return runs;
  } finally {
    await echo.stop();
  }
}

/**
 * Web chat latency: message → first reply frame over `/ws`, open loop at fixed
 * rates, against the real server and against a bare Fastify WebSocket echo server.
 * A message never answered (within the drain bound) counts as infinitely late.
 *
 * @example
 * ```ts
 * const figures = await runWebchat();
 * ```
 */
export async function runWebchat(): Promise<Figure[]> {
  console.log(`\n== webchat: message → first reply over the web chat socket, open loop, ${RATES.join(' and ')} msg/s for ${DURATION_SEC} s each ` +
    `(latency from the scheduled send time; unanswered within ${DRAIN_MS / 1000} s after the load = ∞)`);
  const baseline = await runEcho();
  const runs = await runVitrine();
  const figures: Figure[] = [];
  RATES.forEach((rate, i) => {
    const run = runs[i];
    const base = baseline[i];
    if (!run || !base) return;
    figures.push(
      figure('webchat', `p50 first reply @${rate}/s`, run.latency.p50, 'ms', { name: 'ws echo p50', value: base.latency.p50, unit: 'ms' }),
      figure('webchat', `p99 first reply @${rate}/s`, run.latency.p99, 'ms', { name: 'ws echo p99', value: base.latency.p99, unit: 'ms' }),
      figure('webchat', `completion @${rate}/s offered`, run.completionRate, 'msg/s', { name: 'ws echo', value: base.completionRate, unit: 'msg/s' }),
    );
  });
  for (const f of figures) console.log(`  ${describeFigure(f)}`);
  return figures;
}
