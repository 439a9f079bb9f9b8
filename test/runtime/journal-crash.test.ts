import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeCalls, startFakeGraph, type FakeGraphApi, type GraphCall } from '../../adapters/kit/testing/index.ts';
import { queryDatabase, settled } from '../support/read-database.ts';
import { startServer, tempDir, type ServerProcess } from '../support/server-process.ts';
import { deliver, textWebhook, whatsappEnv } from '../support/whatsapp-webhooks.ts';

// The real server process (server/main.ts) on a SQLite file, killed with SIGKILL (kill -9)
// while it holds a customer's message, then started again on the same file.

/**
 * Replies the killed process had leased may wait for the lease to run out before the restarted
 * process sends them (engine/outbox); the waits for correctness tolerate that, and how soon the
 * work resumes is asserted on its own.
 */
const LEASE_TOLERANT_WAIT_MS = 45_000;
/** How soon a restarted server should resume replies that were in flight when it was killed. */
const RECOVERY_BOUND_MS = 15_000;

let graph: FakeGraphApi;
let db: ReturnType<typeof tempDir>;
let server: ServerProcess;

const start = () => startServer({ databaseUrl: db.databaseUrl, env: whatsappEnv(graph.graphUrl) });
const repliesTo = (customer: string): GraphCall[] => graph.accepted(customer);
const resultsOfPadaria = (c: GraphCall): boolean => c.message.interactive?.action.buttons?.some((b) => b.reply.title === 'Padaria São Jorge') ?? false;
const outboxOf = (customer: string) =>
  queryDatabase<{ status: string }>(db.databaseUrl, 'SELECT status FROM OutboxMessage WHERE customerId = ? ORDER BY id', customer).map((r) => r.status);

/** The three replies a new customer gets for "padaria", each once, in order. */
function expectPadariaAnsweredOnce(customer: string): void {
  const texts = repliesTo(customer).map((c) => c.key);
  expect(texts, describeCalls(graph.calls)).toHaveLength(3);
  expect(texts[0]).toContain('Welcome to Vitrine Directory!');
  expect(texts[1]).toContain('What are you looking for?');
  expect(texts[2]).toContain('Here\'s what I found for "padaria"');
  expect(outboxOf(customer)).toEqual(['sent', 'sent', 'sent']);
}

beforeAll(async () => {
  graph = await startFakeGraph();
  db = tempDir('journal-crash');
  server = await start();
}, 90_000);

// A test that failed while the Graph API held its answers must not hold up the next ones.
afterEach(() => graph.release());

afterAll(async () => {
  await server?.kill('SIGKILL');
  await graph?.close();
  db?.remove();
});

describe('a 200 from the WhatsApp webhook means the message is on disk', () => {
  const CUSTOMER = '5511970000001';
  const hook = textWebhook(CUSTOMER, 'padaria');

  it('keeps a message acknowledged with 200 in the journal when the server is killed (kill -9) right after the 200', async () => {
    // The Graph API holds its answers: no reply can reach the customer before the kill.
    graph.hold();
    expect(await deliver(server.url, hook)).toBe(200);
    await server.kill('SIGKILL');
    await graph.waitFor(() => !graph.calls.some((c) => c.state === 'held'), 5_000, () => describeCalls(graph.calls));
    expect(repliesTo(CUSTOMER), 'a reply reached the customer before the kill: the window under test did not happen').toEqual([]);
    const kept = queryDatabase<{ status: string }>(db.databaseUrl, 'SELECT status FROM InboundEvent WHERE channel = ? AND messageId = ?', 'whatsapp', hook.id);
    expect(kept).toHaveLength(1);
    graph.release();
  });

  it('answers that message after the restart, each reply exactly once', async () => {
    server = await start();
    await graph.waitFor(() => repliesTo(CUSTOMER).some(resultsOfPadaria), LEASE_TOLERANT_WAIT_MS, () => describeCalls(graph.calls));
    await settled(server.url, 10_000);
    expectPadariaAnsweredOnce(CUSTOMER);
  }, LEASE_TOLERANT_WAIT_MS + 30_000);

  it('answers a redelivery of the same webhook after the restart with 200 and no second reply', async () => {
    const before = repliesTo(CUSTOMER).length;
    expect(await deliver(server.url, hook)).toBe(200);
    // One conversation's events are handled, and its replies sent, in order: once the answer
    // to a later message arrived, anything the redelivery caused would have arrived before it.
    expect(await deliver(server.url, textWebhook(CUSTOMER, 'help'))).toBe(200);
    await graph.waitFor(() => repliesTo(CUSTOMER).length > before, 15_000, () => describeCalls(graph.calls));
    await settled(server.url, 10_000);

    const after = repliesTo(CUSTOMER).slice(before);
    expect(after.map((c) => c.key).join('\n')).toContain('I can find a shop for you, show its products');
    expect(after.filter(resultsOfPadaria)).toEqual([]);
    expect(repliesTo(CUSTOMER).filter(resultsOfPadaria)).toHaveLength(1);
    const events = queryDatabase<{ n: number }>(db.databaseUrl, 'SELECT COUNT(*) AS n FROM InboundEvent WHERE messageId = ?', hook.id);
    expect(events[0]?.n).toBe(1);
  }, 30_000);
});

describe('a reply in flight to the Graph API when the server is killed (kill -9)', () => {
  const CUSTOMER = '5511970000002';
  let recoveredAfterMs: number | undefined;

  it('is sent after the restart, and every reply of that turn exactly once', async () => {
    graph.hold();
    expect(await deliver(server.url, textWebhook(CUSTOMER, 'padaria'))).toBe(200);
    // The turn has committed and the outbox is sending its first reply: kill the server now.
    await graph.waitFor(() => graph.calls.some((c) => c.message.to === CUSTOMER && c.state === 'held'), 15_000, () => describeCalls(graph.calls));
    await server.kill('SIGKILL');
    // The held request dies with its connection: the customer never gets it.
    await graph.waitFor(() => !graph.calls.some((c) => c.state === 'held'), 5_000, () => describeCalls(graph.calls));
    expect(repliesTo(CUSTOMER)).toEqual([]);
    graph.release();

    server = await start();
    const restartedAt = Date.now();
    await graph.waitFor(() => repliesTo(CUSTOMER).some(resultsOfPadaria), LEASE_TOLERANT_WAIT_MS, () => describeCalls(graph.calls));
    recoveredAfterMs = Date.now() - restartedAt;
    await settled(server.url, 10_000);
    expectPadariaAnsweredOnce(CUSTOMER);
  }, LEASE_TOLERANT_WAIT_MS + 30_000);

  it(`is sent within ${RECOVERY_BOUND_MS / 1000} s of the restart`, () => {
    // A single instance restarted after a crash should not wait for the dead process's leases
    // (the reply was leased by the killed process, whose owner name host:pid:random is gone).
    expect(recoveredAfterMs, 'the replies never arrived').toBeDefined();
    expect(recoveredAfterMs).toBeLessThan(RECOVERY_BOUND_MS);
  });
});
