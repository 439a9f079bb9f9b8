import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptionIds, withAbsoluteImages } from '../../adapters/kit/index.ts';
import { renderWhatsApp } from '../../adapters/whatsapp/index.ts';
import type { OutboundMessage } from '../../engine/index.ts';
import { describeCalls, messageKey, startFakeGraph, type FakeGraphApi, type GraphCall } from '../../adapters/kit/testing/index.ts';
import { queryDatabase, settled } from '../support/read-database.ts';
import { startServer, tempDir, type ServerProcess } from '../support/server-process.ts';
import { whatsappEnv } from '../support/whatsapp-webhooks.ts';
import { BUY_BREAD, DeliveryLog, runShopper, ServerSlot } from '../support/whatsapp-shopper.ts';
import {
  duplicateEveryTenth, expectBreadOrders, normalized, REPLIES_PER_PURCHASE, unexplainedCalls, type InboundRow, type LineRow, type OrderRow, type OutboxRow,
} from '../support/transcript-check.ts';

/** Where the servers say they are reached: product pictures are sent as addresses under it. */
const PUBLIC_URL = 'https://shop.example.com';

// The same crash workload as with several instances, here on SQLite with one instance of the
// real server (server/main.ts) and two kill -9s: 50 customers each buy 2 × Pão francês over
// signed WhatsApp webhooks, one delivery in ten is sent twice (half of those at the same
// moment), and every webhook that got no 200 is delivered again, as Meta does.

const CUSTOMERS = Array.from({ length: 50 }, (_, i) => `55119730${String(i).padStart(5, '0')}`);
const TOTAL_REPLIES = CUSTOMERS.length * REPLIES_PER_PURCHASE;
/**
 * Longest wait for the answer to one step: restarts included, and replies the killed process
 * had leased, in case the restarted one waits for those leases to run out (engine/outbox).
 */
const STEP_TIMEOUT_MS = 60_000;


let graph: FakeGraphApi;
let db: ReturnType<typeof tempDir>;
let server: ServerProcess;
const slot = new ServerSlot();
const log = new DeliveryLog();
/** When each killed process was seen gone: replies it had in flight may reach the customer once more. */
const kills: number[] = [];

const start = async () => {
  server = await startServer({ databaseUrl: db.databaseUrl, env: whatsappEnv(graph.graphUrl, { WHATSAPP_SEND_RATE: '1000', PUBLIC_URL }) });
  slot.up(server.url);
};
const accepted = () => CUSTOMERS.reduce((n, c) => n + graph.accepted(c).length, 0);
const outboxRows = () => queryDatabase<OutboxRow>(db.databaseUrl,
  "SELECT id, customerId, status, message, inboundEventId FROM OutboxMessage WHERE channel = 'whatsapp' ORDER BY id");

async function killNine(): Promise<void> {
  slot.down();
  await server.kill('SIGKILL');
  kills.push(Date.now());
  await start();
}

/** Every tenth delivery is sent twice: alternately both at once, and again after its 200. */
const twice = duplicateEveryTenth();

/**
 * A repeated message is explained only by a kill -9: the sender had it in flight (the Graph
 * API took it, the process died before marking it sent), so the restarted process sends it
 * again. That is at most one message per customer per kill (a customer's replies leave one at
 * a time), received before the kill, and repeated right after the restart.
 */
function unexplained(calls: readonly GraphCall[], expected: readonly string[]): string[] {
  const usedKills = new Set<number>();
  return unexplainedCalls(calls, expected, {
    resentAfterKill: (first, repeat) => {
      const kill = kills.findIndex((at, k) => !usedKills.has(k) && first.receivedAt <= at && at < repeat.receivedAt);
      if (kill >= 0) usedKills.add(kill);
      return kill >= 0;
    },
  });
}

beforeAll(async () => {
  graph = await startFakeGraph();
  db = tempDir('sqlite-crash-workload');
  await start();
}, 90_000);

afterAll(async () => {
  await server?.kill('SIGKILL');
  await graph?.close();
  db?.remove();
});

describe('50 purchases over WhatsApp on SQLite, one instance killed (kill -9) twice', () => {
  it('lets every customer finish the purchase, redelivering every webhook that got no 200', async () => {
    const shoppers = Promise.allSettled(CUSTOMERS.map((from) =>
      runShopper({ from, steps: BUY_BREAD, slot, graph, log, stepTimeoutMs: STEP_TIMEOUT_MS, twice })));

    // Each kill comes while replies are being sent, right after a webhook was acknowledged
    // (its turn about to run): a quarter of the way, then past half way.
    for (const share of [0.25, 0.55]) {
      await graph.waitFor(() => accepted() >= TOTAL_REPLIES * share, STEP_TIMEOUT_MS, () => `only ${accepted()} replies`);
      await log.nextAcknowledgement();
      await killNine();
    }

    const outcomes = await shoppers;
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
    await settled(server.url, 30_000);
    expect(kills).toHaveLength(2);
    expect(log.unacknowledged()).toEqual([]);
  }, 240_000);

  it('admitted every webhook once, however often it was delivered, and handled every event', () => {
    const inbound = queryDatabase<InboundRow>(db.databaseUrl, "SELECT id, messageId, status FROM InboundEvent WHERE channel = 'whatsapp'");
    const messages = inbound.filter((e) => log.hooks.has(e.messageId));
    expect(log.hooks.size).toBe(CUSTOMERS.length * BUY_BREAD.length);
    expect(messages).toHaveLength(log.hooks.size);
    // Payment starts (system events) included.
    expect(inbound.filter((e) => e.status !== 'done').map((e) => `${e.messageId} ${e.status}`)).toEqual([]);
    // Each message got replies: outbox rows came from it, and all were sent.
    const outbox = outboxRows();
    const answered = new Set(outbox.map((r) => r.inboundEventId));
    expect(messages.filter((e) => !answered.has(e.id)).map((e) => e.messageId)).toEqual([]);
    expect(outbox.filter((r) => r.status !== 'sent').map((r) => `${r.customerId} ${r.status}`)).toEqual([]);
  });

  it('wrote the same replies for every purchase: no message was answered twice, none left out', () => {
    const outbox = outboxRows();
    const transcripts = CUSTOMERS.map((c) => outbox.filter((r) => r.customerId === c).map((r) => normalized(r.message)));
    const first = transcripts[0] ?? [];
    expect(first).toHaveLength(REPLIES_PER_PURCHASE);
    expect(CUSTOMERS.filter((_, i) => JSON.stringify(transcripts[i]) !== JSON.stringify(first))).toEqual([]);
  });

  it('sent each reply to the customer once, but for the one in flight at each kill', () => {
    const outbox = outboxRows();
    const ids = new OptionIds({ maxBytes: 200 });
    const problems = CUSTOMERS.flatMap((customer) => {
      const expected = outbox.filter((r) => r.customerId === customer)
        .flatMap((r) => renderWhatsApp(withAbsoluteImages(JSON.parse(r.message) as OutboundMessage, PUBLIC_URL), ids)).map(messageKey);
      return unexplained(graph.accepted(customer), expected).map((p) => `${customer}: ${p}`);
    });
    expect(problems, describeCalls(graph.calls.filter((c) => problems.some((p) => p.startsWith(c.message.to))))).toEqual([]);
  });

  it('recorded one order per customer, its total the sum of its lines at the database prices', () => {
    const orders = queryDatabase<OrderRow>(db.databaseUrl,
      'SELECT o.id, o.number, c.externalId, o.totalMinor FROM "Order" o JOIN Customer c ON c.id = o.customerId');
    expect(orders.map((o) => o.externalId).sort()).toEqual([...CUSTOMERS].sort());
    const lines = queryDatabase<LineRow>(db.databaseUrl,
      'SELECT i.orderId, i.sku, i.quantity, i.unitPriceMinor, i.lineTotalMinor, p.priceMinor FROM OrderItem i JOIN Product p ON p.id = i.productId');
    expectBreadOrders(orders, lines, (customer) => graph.accepted(customer));
  });
});
