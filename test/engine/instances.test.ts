import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../engine/index.ts';
import { databases } from '../support/databases.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

const texts = ['hi', 'hackney bread', '1', 'sausage roll', '1', '2', 'cart'];

// Several instances share a PostgreSQL database; an SQLite file belongs to one instance (its
// driver waits for the file lock synchronously, so two in one process would wait on each other).
for (const database of databases.filter((d) => d.name === 'postgresql')) {
  describe.skipIf(database.skip)(`two instances on one ${database.name} database`, () => {
    it('process every event once, each conversation in arrival order, whichever instance claims it', async () => {
      const fresh = await database.create();
      const turns = { a: 0, b: 0 };
      const a = await createTestRuntime({ databaseUrl: fresh.url, engine: { instanceId: 'a', pollMs: 5, concurrency: 4, observer: { onTurn: () => void turns.a++ } } });
      const b = await createTestRuntime({ databaseUrl: fresh.url, engine: { instanceId: 'b', pollMs: 5, concurrency: 4, observer: { onTurn: () => void turns.b++ } } });
      try {
        const customers = Array.from({ length: 8 }, (_, i) => `twin-${i}`);
        const message = (customer: string, i: number): InboundMessage =>
          ({ kind: 'text', text: texts[i] ?? '', messageId: `${customer}-${i}`, channel: 'console', botId: 'directory', customer: { id: customer } });
        // Both instances admit (one message of each step per customer, spread over both, some twice).
        for (let i = 0; i < texts.length; i++) {
          await Promise.all(customers.map((c, k) => ((k + i) % 2 === 0 ? a : b).engine.admit([message(c, i)])));
          await (i % 3 === 0 ? b : a).engine.admit(customers.slice(0, 2).map((c) => message(c, i)));
        }
        await a.engine.idle(60_000);
        await b.engine.idle(60_000);

        const events = await a.db.inboundEvent.findMany({ where: { channel: 'console' }, orderBy: { id: 'asc' } });
        expect(events).toHaveLength(customers.length * texts.length);
        expect(events.every((e) => e.status === 'done')).toBe(true);
        for (const customer of customers) {
          const conversation = await a.db.conversation.findFirstOrThrow({ where: { customer: { externalId: customer } } });
          // Every turn saved once: the version counts them.
          expect(conversation.version).toBe(texts.length);
          // Turns ran in arrival order: their outbox rows were written in that order.
          const rows = await a.db.outboxMessage.findMany({ where: { conversationId: conversation.id }, orderBy: { id: 'asc' }, select: { inboundEventId: true } });
          const order = rows.map((r) => r.inboundEventId).filter((id, i, all) => all.indexOf(id) === i);
          const mine = events.filter((e) => e.conversationKey === `directory|console|${customer}`).map((e) => e.id);
          expect(order).toEqual(mine);
          const cart = await a.db.cart.findFirstOrThrow({ where: { conversationId: conversation.id }, include: { items: { include: { product: true } } } });
          expect(cart.items.map((i) => [i.product.sku, i.quantity])).toEqual([['SAUSAGE-ROLL', 2]]);
        }
        // Both instances took part, and together ran each event once.
        expect(turns.a).toBeGreaterThan(0);
        expect(turns.b).toBeGreaterThan(0);
        expect(turns.a + turns.b).toBe(events.length);
      } finally {
        await b.close();
        await a.close();
        await fresh.cleanup();
      }
    });
  });
}
