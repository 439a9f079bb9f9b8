import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { createEngine, type OutboxEntry } from '../../engine/index.ts';
import type { ConversationStore } from '../../engine/db/index.ts';
import { defaultStore } from '../../engine/store/default-store.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

// A turn writes its replies leased to the instance's sender, which takes them as the turn
// commits: they leave at once, without a claim, and the outbox still holds them until sent.

describe('a turn\'s replies', () => {
  it('reach the channel as the turn commits, without a claim, in order', async () => {
    const rt = await createTestRuntime({ engine: { workers: false } });
    const base = defaultStore(rt.db);
    const claimed: number[] = [];
    const store: ConversationStore = {
      ...base,
      async claimOutbox(...args) {
        const got = await base.claimOutbox(...args);
        claimed.push(...got.map((e) => e.id));
        return got;
      },
    };
    // The sender looks for unclaimed replies once a minute: only the hand-over sends these in time.
    const engine = await createEngine({ db: rt.db, bots: rt.bots, flows: rt.flows, steps: rt.steps, i18n: rt.i18n, payments: rt.payments, store, pollMs: 20, outbox: { pollMs: 60_000 }, logger: pino({ level: 'silent' }) });
    const delivered: OutboxEntry[] = [];
    engine.outbox.register({ channel: 'handed', async deliver(entry) { delivered.push(entry); return { kind: 'sent' }; } });
    try {
      const said = ['oi', 'padaria', '1'];
      for (const [i, text] of said.entries()) {
        await engine.admit([{ kind: 'text', text, messageId: `m${i}`, channel: 'handed', botId: 'directory', customer: { id: 'dora' } }]);
        await engine.idle(10_000);
      }
      const events = await rt.db.inboundEvent.findMany({ where: { channel: 'handed' }, orderBy: { id: 'asc' } });
      const expected = events.flatMap((e) => (JSON.parse(e.replies) as unknown[]).map((r) => JSON.stringify(r)));
      expect(expected.length).toBeGreaterThan(said.length);
      expect(delivered.map((e) => JSON.stringify(e.message))).toEqual(expected);
      expect(await rt.db.outboxMessage.count({ where: { channel: 'handed', status: 'sent' } })).toBe(expected.length);
      expect(claimed).toEqual([]);
    } finally {
      await engine.stop();
      await rt.dispose();
    }
  });
});
