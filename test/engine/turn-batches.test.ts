import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createEngine, type InboundMessage } from '../../engine/index.ts';
import type { ConversationStore } from '../../engine/db/index.ts';
import { defaultStore } from '../../engine/store/default-store.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

const message = (customer: string): InboundMessage => ({
  kind: 'text', text: 'padaria', messageId: `${customer}-1`, channel: 'batch', botId: 'directory', customer: { id: customer },
});

describe('turns sharing a transaction on SQLite', () => {
  it('commits the turns of several conversations together; a turn that throws is undone alone, one that met a change runs again alone', async () => {
    const rt = await createTestRuntime({ engine: { workers: false } });
    const base = defaultStore(rt.db);
    let transactions = 0;
    let failOnce = true;
    let conflictOnce = true;
    const store: ConversationStore = {
      ...base,
      transaction(work) {
        transactions += 1;
        return base.transaction(work);
      },
      async openConversation(tx, address, defaults) {
        const row = await base.openConversation(tx, address, defaults);
        if (address.customer.id === 'broken' && failOnce) {
          failOnce = false;
          throw new Error('the disk hiccuped after the conversation was written');
        }
        return row;
      },
      async saveConversation(tx, id, version, data) {
        const saved = await base.saveConversation(tx, id, version, data);
        if (conflictOnce && (await base.conversation(tx, id))?.externalCustomerId === 'changed') {
          conflictOnce = false;
          return false;
        }
        return saved;
      },
    };
    const engine = await createEngine({ db: rt.db, bots: rt.bots, flows: rt.flows, steps: rt.steps, i18n: rt.i18n, payments: rt.payments, store, pollMs: 20, logger: pino({ level: 'silent' }) });
    try {
      const customers = ['ana', 'bia', 'caio', 'davi', 'eva', 'fabio', 'broken', 'changed'];
      await engine.admit(customers.map(message));
      await engine.idle(20_000);

      const events = await rt.db.inboundEvent.findMany({ where: { channel: 'batch' }, orderBy: { id: 'asc' } });
      expect(events.map((e) => [e.messageId, e.status, e.attempts])).toEqual(customers.map((c) => [`${c}-1`, 'done', c === 'broken' ? 1 : 0]));
      // Each event's replies are in the outbox once: nothing of the undone attempts is left.
      for (const event of events) {
        const replies = JSON.parse(event.replies) as unknown[];
        expect(replies.length).toBeGreaterThan(0);
        expect(await rt.db.outboxMessage.count({ where: { inboundEventId: event.id } })).toBe(replies.length);
      }
      expect(await rt.db.customer.count({ where: { channel: 'batch' } })).toBe(customers.length);
      expect(await rt.db.conversation.count({ where: { channel: 'batch' } })).toBe(customers.length);
      // One commit for the batch, one for the turn run again after the change, one for the retry:
      // one transaction per turn would be 8, and 10 with the second attempts.
      expect(transactions).toBeLessThanOrEqual(4);
    } finally {
      await engine.stop();
      await rt.dispose();
    }
  });
});
