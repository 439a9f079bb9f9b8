import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { calibrate } from './support/calibrate.ts';
import { leftovers } from './support/cleanup.ts';
import { startFakeGraph, type FakeGraphApi } from '../adapters/kit/testing/index.ts';
import { HealthProbe } from './support/health-probe.ts';
import { offerHttpLoad, type HttpLoadResult, type LoadRequest } from './support/http-load.ts';
import { waitUntil } from './support/open-loop.ts';
import { ReplyLedger } from './support/reply-ledger.ts';
import { describeFigure, figure, type Figure } from './support/report.ts';
import { startProcess, type ServerProcess, VITRINE_SERVER } from './support/server-process.ts';
import { printServerProblems } from './support/server-problems.ts';
import { distribution, fmt, fmtMs } from './support/stats.ts';
import { customerPhone, signature, textWebhook, whatsappEnv } from './support/whatsapp.ts';

const CUSTOMERS = 3200;
const SCRIPT = ['oi', 'padaria', '1'];
/**
 * Customers active at once. Each sends its next message only after the previous
 * webhook was answered (so a customer's messages reach the server in order, as
 * WhatsApp sends them), and a finished customer makes room for a new one.
 * More than CONNECTIONS, so there is always a message ready to send.
 */
const ACTIVE_CUSTOMERS = 256;
const CONNECTIONS = 64;
const LOAD_SEC = 10;
const BASELINE_SEC = 5;
/** Longest wait for replies after the load stopped, and longest wait without any new reply. */
const DRAIN_MS = 20_000;
const STALL_MS = 5_000;
/** Messages/s per phone number the server may send (WHATSAPP_SEND_RATE), high so pacing does not cap throughput. */
const SEND_RATE = 100_000;
/** The Cloud API's default pacing; a Graph POST rate stuck near it may mean WHATSAPP_SEND_RATE was not applied. */
const DEFAULT_PACING = 80;
const LOAD_PREFIX = '55119';
const CALIBRATION_PREFIX = '55118';

/** Graph POSTs per customer phone (all customers) and per second since `origin`. */
class GraphTally {
  readonly byPhone = new Map<string, number>();
  readonly perSecond: number[] = [];
  origin = performance.now();
  ledger?: ReplyLedger;

  /** A message to `to` reached the Graph API at `at` (`performance.now()`). */
  onPost(to: string, at: number): void {
    this.byPhone.set(to, (this.byPhone.get(to) ?? 0) + 1);
    const second = Math.floor((at - this.origin) / 1000);
    if (second >= 0) this.perSecond[second] = (this.perSecond[second] ?? 0) + 1;
    if (this.ledger && to.startsWith(LOAD_PREFIX)) this.ledger.reply(Number(to.slice(LOAD_PREFIX.length)), at);
  }
}

/** Which customer message goes next: a window of active customers, each with at most one webhook awaiting its HTTP answer. */
class ScriptScheduler {
  private readonly ready: { customer: number; step: number }[] = [];
  private nextCustomer: number;
  /** Webhooks answered 200. */
  accepted = 0;
  /** Other answers, by status. */
  readonly refused = new Map<number, number>();
  /** Requests the load generator asked for while no customer was ready (sent as GET /health). */
  idle = 0;

  constructor(private readonly customers: number, private readonly steps: number, window: number) {
    this.nextCustomer = Math.min(window, customers);
    for (let c = 0; c < this.nextCustomer; c++) this.ready.push({ customer: c, step: 0 });
  }

  take(): { customer: number; step: number } | undefined {
    const next = this.ready.shift();
    if (!next) this.idle += 1;
    return next;
  }

  answered(customer: number, step: number, status: number): void {
    if (status === 200) this.accepted += 1;
    else this.refused.set(status, (this.refused.get(status) ?? 0) + 1);
    if (step + 1 < this.steps) this.ready.push({ customer, step: step + 1 });
    else if (this.nextCustomer < this.customers) this.ready.push({ customer: this.nextCustomer++, step: 0 });
  }
}

function webhookRequest(from: string, text: string, id: string): LoadRequest {
  const body = textWebhook({ from, text, id });
  return { method: 'POST', path: '/webhooks/whatsapp', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature(body) }, body };
}

async function postWebhook(url: string, request: LoadRequest): Promise<number> {
  const res = await fetch(`${url}${request.path}`, { method: request.method, headers: request.headers, body: request.body ?? null });
  await res.arrayBuffer();
  return res.status;
}

async function calibrateReplies(server: ServerProcess, tally: GraphTally, runId: string): Promise<number[]> {
  const { counts, disagreements } = await calibrate(2, async (c) => {
    const phone = customerPhone(c, CALIBRATION_PREFIX);
    const found: number[] = [];
    for (const [step, text] of SCRIPT.entries()) {
      const before = tally.byPhone.get(phone) ?? 0;
      const status = await postWebhook(server.url, webhookRequest(phone, text, `wamid.cal.${runId}.${c}.${step}`));
      if (status !== 200) throw new Error(`calibration webhook answered ${status}`);
      let last = before;
      let lastChange = performance.now();
      const started = performance.now();
      while (performance.now() - started < 8000) {
        await sleep(10);
        const now = tally.byPhone.get(phone) ?? 0;
        if (now !== last) { last = now; lastChange = performance.now(); } else if (now > before && performance.now() - lastChange > 400) break;
      }
      found.push(last - before);
    }
    return found;
  });
  console.log(`  calibration: Graph API messages per customer message for [${SCRIPT.map((t) => JSON.stringify(t)).join(', ')}] = [${counts.join(', ')}]`);
  for (const d of disagreements) console.log(`  WARNING ${d}`);
  return counts;
}

/** Raw Fastify JSON POST child, hammered with the same signed bodies: req/s. */
async function measureBaseline(runId: string): Promise<HttpLoadResult> {
  const raw = await startProcess({ name: 'raw-fastify', script: 'bench/support/raw-http-server.ts' });
  try {
    let n = 0;
    const result = await offerHttpLoad({
      url: raw.url, connections: CONNECTIONS, durationSec: BASELINE_SEC, maxRequests: 10_000_000,
      next: () => { const i = n++; return webhookRequest(customerPhone(i % CUSTOMERS, '55117'), SCRIPT[i % SCRIPT.length] ?? 'oi', `wamid.raw.${runId}.${i}`); },
    });
    console.log(`  baseline raw Fastify JSON POST (child process, ${CONNECTIONS} connections, ${BASELINE_SEC} s): ${fmt(result.okPerSecond)} req/s, ` +
      `p50 ${fmtMs(result.latencyP50Ms)}, p99 ${fmtMs(result.latencyP99Ms)}, non-2xx ${result.non2xx}, errors ${result.errors}`);
    return result;
  } finally {
    await raw.stop();
  }
}

async function offerWebhooks(server: ServerProcess, ledger: ReplyLedger, runId: string): Promise<{ load: HttpLoadResult; sent: number; scheduler: ScriptScheduler }> {
  const scheduler = new ScriptScheduler(CUSTOMERS, SCRIPT.length, ACTIVE_CUSTOMERS);
  let sent = 0;
  const load = await offerHttpLoad({
    url: server.url, connections: CONNECTIONS, durationSec: LOAD_SEC, maxRequests: CUSTOMERS * SCRIPT.length,
    next: (context) => {
      const message = scheduler.take();
      if (!message) return { method: 'GET', path: '/health', headers: {} };
      context['message'] = message;
      sent += 1;
      ledger.sent(message.customer, message.step, performance.now());
      return webhookRequest(customerPhone(message.customer, LOAD_PREFIX), SCRIPT[message.step] ?? 'oi', `wamid.load.${runId}.${message.customer}.${message.step}`);
    },
    onResponse: (status, context) => {
      const message = context['message'] as { customer: number; step: number } | undefined;
      if (message) scheduler.answered(message.customer, message.step, status);
    },
  });
  return { load, sent, scheduler };
}

async function drain(ledger: ReplyLedger, sent: number): Promise<void> {
  let lastCount = ledger.totalReplies;
  let lastChange = performance.now();
  await waitUntil(() => {
    if (ledger.totalReplies !== lastCount) { lastCount = ledger.totalReplies; lastChange = performance.now(); }
    return ledger.answered >= sent || performance.now() - lastChange > STALL_MS;
  }, DRAIN_MS, 50);
}

function printPacing(tally: GraphTally, loadStart: number, backlog: number): void {
  const from = Math.max(0, Math.floor((loadStart - tally.origin) / 1000));
  const busy = tally.perSecond.slice(from).map((n) => n ?? 0).filter((n) => n > 0);
  const peak = Math.max(0, ...busy);
  const median = distribution(busy).p50;
  console.log(`  Graph API POSTs per second during load + drain: peak ${peak}, median ${fmt(median)} (WHATSAPP_SEND_RATE=${SEND_RATE} was set)`);
  if (backlog > 0 && busy.length >= 5 && Math.abs(median - DEFAULT_PACING) <= DEFAULT_PACING * 0.1) {
    console.log(`  note: while work was waiting, sends ran near ${DEFAULT_PACING}/s, the Cloud API default pacing; if this server ignores WHATSAPP_SEND_RATE, pacing and not the server caps completed/s`);
  }
}

/**
 * Full path: signed WhatsApp webhooks → the real server process → replies at a
 * fake Graph API in this process. Completed = a customer message whose first
 * reply reached the Graph API. Baseline: a raw Fastify JSON POST child process.
 *
 * @example
 * ```ts
 * const figures = await runFullPath();
 * ```
 */
export async function runFullPath(): Promise<Figure[]> {
  console.log(`\n== full-path: signed WhatsApp webhooks → server process → fake Graph API; up to ${CUSTOMERS} customers × [${SCRIPT.map((t) => JSON.stringify(t)).join(', ')}] ` +
    `(${ACTIVE_CUSTOMERS} active at a time, next message after the previous webhook's answer), ${CONNECTIONS} connections, ${LOAD_SEC} s; ` +
    'completed = the first reply to a message reached the Graph API');
  const runId = Date.now().toString(36);
  const baseline = await measureBaseline(runId);
  const tally = new GraphTally();
  const graph = await startFakeGraph({ onMessage: (call) => tally.onPost(call.message.to, performance.now()) });
  const dir = leftovers.tempDir('full-path');
  let server: ServerProcess | undefined;
  try {
    server = await startProcess({
      name: 'vitrine', script: VITRINE_SERVER,
      env: { DATABASE_URL: `file:${dir}/bench.db`, LOG_LEVEL: 'warn', ...whatsappEnv(graph.graphUrl, SEND_RATE) },
    });
    const counts = await calibrateReplies(server, tally, runId);
    const ledger = new ReplyLedger(CUSTOMERS, counts);
    tally.ledger = ledger;
    server.logs.reset();
    const probe = HealthProbe.start(server.url);
    const { load, sent, scheduler } = await offerWebhooks(server, ledger, runId);
    const health = await probe.stop();
    const answeredAtLoadEnd = ledger.answered;
    console.log(`  GET /health during the load (one every 100 ms): p50 ${fmtMs(health.latency.p50)}, p99 ${fmtMs(health.latency.p99)}, ` +
      `max ${fmtMs(health.latency.max)}, failed or > 10 s: ${health.failures} — how long the server's event loop kept requests waiting`);
    await drain(ledger, sent);
    const drainedAt = performance.now();
    printServerProblems(server);
    return report({ load, sent, scheduler, ledger, answeredAtLoadEnd, drainedAt, baseline, tally, graph });
  } finally {
    await server?.stop();
    await graph.close();
    leftovers.removeDir(dir);
  }
}

function report(r: {
  load: HttpLoadResult; sent: number; scheduler: ScriptScheduler; ledger: ReplyLedger; answeredAtLoadEnd: number; drainedAt: number;
  baseline: HttpLoadResult; tally: GraphTally; graph: FakeGraphApi;
}): Figure[] {
  const { load, sent, ledger, scheduler } = r;
  const acceptedPerSec = scheduler.accepted / load.seconds;
  const lastAnswer = ledger.answeredAt.at(-1) ?? load.endedAt;
  const completedPerSec = ledger.answered / Math.max(0.001, (lastAnswer - load.startedAt) / 1000);
  const refused = [...scheduler.refused].map(([c, n]) => `${c}×${n}`).join(', ') || 'none';
  console.log(`  offered: ${sent} webhooks in ${fmt(load.seconds)} s; accepted (200) ${scheduler.accepted} = ${fmt(acceptedPerSec)}/s; other statuses ${refused}; ` +
    `socket errors ${load.errors} (timeouts > 10 s: ${load.timeouts}); webhook response p50 ${fmtMs(load.latencyP50Ms)}, p99 ${fmtMs(load.latencyP99Ms)}` +
    (scheduler.idle > 0 ? `; ${scheduler.idle} times no customer was ready (GET /health sent instead)` : ''));
  console.log(`  answered (first reply at the Graph API): ${ledger.answered} of ${sent} — ${r.answeredAtLoadEnd} by the end of the load ` +
    `(backlog then: ${sent - r.answeredAtLoadEnd}), ${sent - ledger.answered} never answered within the drain bound ` +
    `(${fmt((r.drainedAt - load.endedAt) / 1000)} s waited of ${DRAIN_MS / 1000} s)`);
  const latency = distribution(ledger.latencies);
  console.log(`  webhook sent → first reply at Graph: p50 ${fmtMs(latency.p50)}, p90 ${fmtMs(latency.p90)}, p99 ${fmtMs(latency.p99)}, max ${fmtMs(latency.max)}`);
  console.log(`  Graph API messages to load customers: ${ledger.totalReplies} received, ${ledger.expectedReplies} expected for the messages sent (calibrated), ` +
    `${ledger.extraReplies} beyond the script; ${r.graph.unexpected} unexpected requests; ${ledger.customersReached} distinct customers reached`);
  printPacing(r.tally, load.startedAt, sent - r.answeredAtLoadEnd);
  const figures = [
    figure('full-path', 'completed messages/s', completedPerSec, 'msg/s', { name: 'raw Fastify POST', value: r.baseline.okPerSecond, unit: 'req/s' }),
    figure('full-path', 'accepted webhooks/s', acceptedPerSec, 'req/s', { name: 'raw Fastify POST', value: r.baseline.okPerSecond, unit: 'req/s' }),
    figure('full-path', `webhook 200 p99 (+${load.timeouts} > 10 s)`, load.latencyP99Ms, 'ms', { name: 'raw Fastify POST p99', value: r.baseline.latencyP99Ms, unit: 'ms' }),
  ];
  for (const f of figures) console.log(`  ${describeFigure(f)}`);
  return figures;
}
