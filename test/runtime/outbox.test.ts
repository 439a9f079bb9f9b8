import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCalls, startFakeGraph, type FakeGraphApi, type GraphCall } from '../../adapters/kit/testing/index.ts';
import { queryDatabase, readyBacklog, settled } from '../support/read-database.ts';
import { startServer, tempDir, type ServerProcess } from '../support/server-process.ts';
import { deliver, textWebhook, whatsappEnv } from '../support/whatsapp-webhooks.ts';
import { DeliveryLog, FIND_THE_BAKERY, runShopper, ServerSlot } from '../support/whatsapp-shopper.ts';

// The outbox of the real server process (server/main.ts) on a SQLite file, sending
// WhatsApp replies to a fake Graph API.

let graph: FakeGraphApi;

beforeAll(async () => {
  graph = await startFakeGraph();
});

afterAll(async () => {
  await graph?.close();
});

const welcomeOf = (c: GraphCall) => c.key.includes('Vitrine Directory te dá as boas-vindas');
const questionOf = (c: GraphCall) => c.key.includes('O que você está procurando?');
const kindOf = (c: GraphCall) => (welcomeOf(c) ? 'welcome' : questionOf(c) ? 'question' : c.key);

describe('the outbox of the real server', () => {
  let db: ReturnType<typeof tempDir>;
  let server: ServerProcess;
  // Retries after 10 ms, 20 ms, 40 ms … instead of 1 s, 2 s, 4 s …; at most 25 messages a second.
  const env = () => whatsappEnv(graph.graphUrl, { OUTBOX_RETRY_MS: '10', WHATSAPP_SEND_RATE: '25' });

  beforeAll(async () => {
    db = tempDir('outbox');
    server = await startServer({ databaseUrl: db.databaseUrl, env: env() });
  }, 90_000);

  afterAll(async () => {
    await server?.kill('SIGKILL');
    db?.remove();
  });

  it('sends a reply the Graph API failed five times (HTTP 500) exactly once, on the sixth attempt, and the next reply once', async () => {
    const CUSTOMER = '5511971000001';
    graph.script(...Array.from({ length: 5 }, () => ({ status: 500, body: { error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1 } } })));
    expect(await deliver(server.url, textWebhook(CUSTOMER, 'oi'))).toBe(200);
    await graph.waitFor(() => graph.accepted(CUSTOMER).some(questionOf), 15_000, () => describeCalls(graph.calls));
    await settled(server.url, 10_000);

    const attempts = graph.calls.filter((c) => c.message.to === CUSTOMER);
    expect(attempts.map((c) => [kindOf(c), c.status])).toEqual([
      ['welcome', 500], ['welcome', 500], ['welcome', 500], ['welcome', 500], ['welcome', 500], ['welcome', 200], ['question', 200],
    ]);
    const rows = queryDatabase<{ status: string; attempts: number }>(db.databaseUrl, 'SELECT status, attempts FROM OutboxMessage WHERE customerId = ? ORDER BY id', CUSTOMER);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([['sent', 5], ['sent', 0]]);
  }, 30_000);

  it('dead-letters a reply the Graph API refuses for good (HTTP 400, code 131009), reports it on /ready and sends the next one', async () => {
    const CUSTOMER = '5511971000002';
    const before = await readyBacklog(server.url);
    graph.script({ status: 400, body: { error: { code: 131009, message: '(#131009) Parameter value is not valid', type: 'OAuthException' } } });
    expect(await deliver(server.url, textWebhook(CUSTOMER, 'oi'))).toBe(200);
    await graph.waitFor(() => graph.accepted(CUSTOMER).some(questionOf), 15_000, () => describeCalls(graph.calls));
    await settled(server.url, 10_000);

    const attempts = graph.calls.filter((c) => c.message.to === CUSTOMER);
    expect(attempts.map((c) => [kindOf(c), c.status])).toEqual([['welcome', 400], ['question', 200]]);
    const rows = queryDatabase<{ status: string; attempts: number; lastError: string | null }>(
      db.databaseUrl, 'SELECT status, attempts, lastError FROM OutboxMessage WHERE customerId = ? ORDER BY id', CUSTOMER);
    expect(rows.map((r) => r.status)).toEqual(['dead', 'sent']);
    expect(rows[0]?.lastError).toContain('131009');
    expect((await readyBacklog(server.url)).deadLetters).toBe(before.deadLetters + 1);
  }, 30_000);

  it('resends nothing twice across a SIGTERM restart in the middle of sending, and sends every reply', async () => {
    const customers = Array.from({ length: 30 }, (_, i) => `55119720${String(i).padStart(5, '0')}`);
    const total = customers.length * 5;
    const deadLettersBefore = (await readyBacklog(server.url)).deadLetters;
    graph.setDelayMs(50);
    const slot = new ServerSlot();
    slot.up(server.url);
    const log = new DeliveryLog();
    // One connection per webhook: connections kept alive across a SIGTERM are graceful-shutdown.test.ts's subject.
    const shoppers = customers.map((from) => runShopper({ from, steps: FIND_THE_BAKERY, slot, graph, log, stepTimeoutMs: 40_000, delivery: { connection: 'close' } }));
    const finished = Promise.allSettled(shoppers);

    // Stop the server once a third of the replies reached the customers.
    await graph.waitFor(() => customers.reduce((n, c) => n + graph.accepted(c).length, 0) >= total / 3, 30_000, () => describeCalls(graph.calls));
    slot.down();
    const stopped = server;
    const exit = await stopped.kill('SIGTERM');
    const stoppedAt = Date.now();
    expect(exit, `a SIGTERM shutdown ends cleanly; the server said:\n${stopped.output().slice(-3000)}`).toEqual({ code: 0, signal: null });
    server = await startServer({ databaseUrl: db.databaseUrl, env: env() });
    slot.up(server.url);

    const outcomes = await finished;
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    await settled(server.url, 20_000);
    graph.setDelayMs(0);

    const sentAfterRestart = customers.flatMap((c) => graph.accepted(c)).filter((c) => c.receivedAt > stoppedAt);
    expect(sentAfterRestart.length, 'the SIGTERM came in the middle: the restarted server sent part of the replies').toBeGreaterThan(0);
    // A SIGTERM lets the server finish what it was sending: every reply exactly once.
    for (const customer of customers) {
      const texts = graph.accepted(customer).map((c) => c.key);
      expect(texts, customer).toEqual([
        expect.stringContaining('Welcome to Vitrine Directory!'),
        expect.stringContaining('What are you looking for?'),
        expect.stringContaining('Here\'s what I found for "padaria"'),
        expect.stringContaining('Welcome to Padaria São Jorge'),
        expect.stringContaining('What would you like to see at Padaria São Jorge?'),
      ]);
    }
    expect(customers.reduce((n, c) => n + graph.accepted(c).length, 0)).toBe(total);
    const statuses = queryDatabase<{ status: string; n: number }>(db.databaseUrl,
      `SELECT status, COUNT(*) AS n FROM OutboxMessage WHERE customerId IN (${customers.map(() => '?').join(',')}) GROUP BY status`, ...customers);
    expect(statuses).toEqual([{ status: 'sent', n: total }]);
    expect((await readyBacklog(server.url)).deadLetters).toBe(deadLettersBefore);
  }, 120_000);
});
