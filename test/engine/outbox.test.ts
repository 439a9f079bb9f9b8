import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { ChannelSender, DeliveryOutcome, OutboxEntry } from '../../engine/index.ts';
import { OutboxSender } from '../../engine/outbox/outbox-sender.ts';
import { onEachDatabase, type TestRuntime } from '../support/test-runtime.ts';

let rt: TestRuntime;
onEachDatabase((runtime) => {
  rt = runtime;
}, () => {
  /** A channel that answers each attempt from a script (then `sent`), recording what it was given. */
  function scriptedChannel(channel: string, script: DeliveryOutcome[]): ChannelSender & { attempts: OutboxEntry[] } {
    const attempts: OutboxEntry[] = [];
    return {
      channel, attempts,
      async deliver(entry) {
        attempts.push(entry);
        return script.shift() ?? { kind: 'sent' };
      },
    };
  }

  async function write(channel: string, customerId: string, texts: string[]): Promise<void> {
    const conversation = await rt.engine.store.transaction((tx) => rt.engine.store.openConversation(tx, { botId: 'directory', channel, customer: { id: customerId } }, { flowId: 'shopping', locale: 'en' }));
    await rt.engine.store.transaction((tx) => rt.engine.store.appendOutbox(tx, texts.map((text) => ({
      botId: 'directory', channel, customerId, conversationId: conversation.id, locale: 'en', message: { kind: 'text', text },
    }))));
  }

  async function until(check: () => Promise<boolean>, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('condition not reached in time');
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  const rows = (channel: string) => rt.db.outboxMessage.findMany({ where: { channel }, orderBy: { id: 'asc' } });

  describe('the outbox sender', () => {
    it('retries a reply the channel failed five times and sends it once, then the next ones in order', async () => {
      const retry: DeliveryOutcome = { kind: 'retry', reason: 'HTTP 500' };
      const channel = scriptedChannel('flaky', [retry, retry, retry, retry, retry]);
      const sender = new OutboxSender({ store: rt.engine.store, logger: pino({ level: 'silent' }), owner: 'test-1', baseDelayMs: 2, pollMs: 5 });
      sender.register(channel);
      await write('flaky', 'olga', ['first', 'second', 'third']);
      sender.start();
      await until(async () => (await rows('flaky')).every((r) => r.status === 'sent'));
      await sender.stop();
      const texts = channel.attempts.map((e) => (e.message.kind === 'text' ? e.message.text : ''));
      expect(texts).toEqual(['first', 'first', 'first', 'first', 'first', 'first', 'second', 'third']);
      expect((await rows('flaky')).map((r) => [r.status, r.attempts])).toEqual([['sent', 5], ['sent', 0], ['sent', 0]]);
    });

    it('dead-letters a reply the channel refuses for good, and one whose attempts run out, and goes on with the rest', async () => {
      const channel = scriptedChannel('strict', [{ kind: 'failed', reason: 'HTTP 400: invalid parameter' }, { kind: 'retry', reason: 'HTTP 503' }, { kind: 'retry', reason: 'HTTP 503' }]);
      const sender = new OutboxSender({ store: rt.engine.store, logger: pino({ level: 'silent' }), owner: 'test-2', baseDelayMs: 1, pollMs: 5, maxAttempts: 2 });
      sender.register(channel);
      await write('strict', 'piet', ['refused', 'flaky', 'fine']);
      sender.start();
      await until(async () => (await rows('strict')).every((r) => r.status !== 'pending'));
      await sender.stop();
      expect((await rows('strict')).map((r) => [r.status, r.lastError])).toEqual([
        ['dead', 'HTTP 400: invalid parameter'], ['dead', 'HTTP 503'], ['sent', null],
      ]);
      expect((await rt.engine.store.backlog()).deadLetters).toBeGreaterThanOrEqual(2);
    });

    it('keeps the replies of a customer who is away without counting attempts, and sends them when they are back', async () => {
      const channel = scriptedChannel('chat', [{ kind: 'away' }]);
      const sender = new OutboxSender({ store: rt.engine.store, logger: pino({ level: 'silent' }), owner: 'test-3', pollMs: 5 });
      sender.register(channel);
      await write('chat', 'quin', ['receipt', 'update']);
      sender.start();
      await until(async () => channel.attempts.length === 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(channel.attempts).toHaveLength(1);
      expect((await rows('chat')).map((r) => [r.status, r.attempts])).toEqual([['pending', 0], ['pending', 0]]);
      expect(await sender.welcomeBack({ botId: 'directory', channel: 'chat', customerId: 'quin' })).toBe(1);
      await until(async () => (await rows('chat')).every((r) => r.status === 'sent'));
      await sender.stop();
      expect(channel.attempts.map((e) => (e.message.kind === 'text' ? e.message.text : ''))).toEqual(['receipt', 'receipt', 'update']);
    });

    it('sends nothing twice when a second sender starts on the same outbox after the first stopped mid-way', async () => {
      const first = scriptedChannel('handover', []);
      const slow: ChannelSender = { channel: 'handover', async deliver(entry) { await new Promise((r) => setTimeout(r, 3)); return first.deliver(entry); } };
      const a = new OutboxSender({ store: rt.engine.store, logger: pino({ level: 'silent' }), owner: 'test-4a', pollMs: 5, concurrency: 2 });
      a.register(slow);
      const customers = Array.from({ length: 10 }, (_, i) => `c${i}`);
      for (const c of customers) await write('handover', c, [`${c}-1`, `${c}-2`, `${c}-3`]);
      a.start();
      await until(async () => first.attempts.length >= 8);
      await a.stop();
      const b = new OutboxSender({ store: rt.engine.store, logger: pino({ level: 'silent' }), owner: 'test-4b', pollMs: 5 });
      b.register(first);
      b.start();
      await until(async () => (await rows('handover')).every((r) => r.status === 'sent'));
      await b.stop();
      const texts = first.attempts.map((e) => (e.message.kind === 'text' ? e.message.text : ''));
      expect(texts).toHaveLength(30);
      expect(new Set(texts).size).toBe(30);
      for (const c of customers) expect(texts.filter((t) => t.startsWith(`${c}-`))).toEqual([`${c}-1`, `${c}-2`, `${c}-3`]);
    });
  });

  describe('replies written leased by their turn', () => {
    /** The store, recording the ids of the replies its claims returned. */
    function claimsRecorded(): { store: typeof rt.engine.store; claimed: number[] } {
      const base = rt.engine.store;
      const claimed: number[] = [];
      return { claimed, store: { ...base, async claimOutbox(...args) { const got = await base.claimOutbox(...args); claimed.push(...got.map((e) => e.id)); return got; } } };
    }

    async function conversationOf(channel: string, customerId: string): Promise<string> {
      return (await rt.engine.store.transaction((tx) => rt.engine.store.openConversation(tx, { botId: 'directory', channel, customer: { id: customerId } }, { flowId: 'shopping', locale: 'en' }))).id;
    }

    const replies = (channel: string, customerId: string, conversationId: string, texts: string[]) => texts.map((text) => ({
      botId: 'directory', channel, customerId, conversationId, locale: 'en', message: { kind: 'text' as const, text },
    }));
    const textsOf = (entries: readonly OutboxEntry[]) => entries.map((e) => (e.message.kind === 'text' ? e.message.text : ''));

    it('leave as their turn commits, without being claimed', async () => {
      const { store, claimed } = claimsRecorded();
      const channel = scriptedChannel('eager', []);
      // The sender looks for unclaimed replies once a minute: only the hand-over can send these in time.
      const sender = new OutboxSender({ store, logger: pino({ level: 'silent' }), owner: 'test-eager', pollMs: 60_000 });
      sender.register(channel);
      sender.start();
      try {
        const conversationId = await conversationOf('eager', 'bia');
        const lease = sender.leaseFor('eager');
        expect(lease).toBeDefined();
        const entries = await store.transaction((tx) => store.appendLeased!(tx, replies('eager', 'bia', conversationId, ['b-1', 'b-2']), lease!));
        expect(textsOf(entries)).toEqual(['b-1', 'b-2']);
        sender.dispatch(lease!.owner, entries);
        await until(async () => (await rows('eager')).every((r) => r.status === 'sent'));
        expect(textsOf(channel.attempts)).toEqual(['b-1', 'b-2']);
        expect(claimed).toEqual([]);
      } finally {
        await sender.stop();
      }
    });

    it('wait behind a reply of the same customer that is still unsent, and leave in order', async () => {
      const channel = scriptedChannel('behind', [{ kind: 'retry', reason: 'the channel is busy' }]);
      const sender = new OutboxSender({ store: rt.engine.store, logger: pino({ level: 'silent' }), owner: 'test-behind', pollMs: 10, baseDelayMs: 20, maxDelayMs: 40 });
      sender.register(channel);
      sender.start();
      try {
        const store = rt.engine.store;
        const conversationId = await conversationOf('behind', 'caio');
        const first = sender.leaseFor('behind')!;
        const entries = await store.transaction((tx) => store.appendLeased!(tx, replies('behind', 'caio', conversationId, ['c-1']), first));
        sender.dispatch(first.owner, entries);
        // c-1's first attempt fails: it waits for a retry, so the next turn's replies are written to be claimed after it.
        await until(async () => channel.attempts.length === 1);
        const later = await store.transaction((tx) => store.appendLeased!(tx, replies('behind', 'caio', conversationId, ['c-2', 'c-3']), sender.leaseFor('behind')!));
        expect(later).toEqual([]);
        sender.wake();
        await until(async () => (await rows('behind')).every((r) => r.status === 'sent'));
        expect(textsOf(channel.attempts)).toEqual(['c-1', 'c-1', 'c-2', 'c-3']);
      } finally {
        await sender.stop();
      }
    });

    it('are not leased to a sender that does not deliver their channel or has stopped', async () => {
      const sender = new OutboxSender({ store: rt.engine.store, logger: pino({ level: 'silent' }), owner: 'test-none', pollMs: 60_000 });
      sender.register(scriptedChannel('known', []));
      expect(sender.leaseFor('known')).toBeUndefined();
      sender.start();
      expect(sender.leaseFor('unknown')).toBeUndefined();
      expect(sender.leaseFor('known')).toBeDefined();
      await sender.stop();
      expect(sender.leaseFor('known')).toBeUndefined();
    });
  });

  describe('claiming replies', () => {
    it('reads past a head of replies held by senders to the ones that can leave, and keeps each customer\'s order', async () => {
      const store = rt.engine.store;
      // 100 customers with 2 replies each, every one of them claimed (held by a sender) …
      const held = Array.from({ length: 100 }, (_, i) => `held${i}`);
      for (const c of held) await write('paging', c, [`${c}-1`, `${c}-2`]);
      const first = await store.claimOutbox('test-held', ['paging'], held.length, 60_000);
      expect(new Set(first.map((e) => e.customerId)).size).toBe(held.length);
      // … then one more customer, and a held customer's third reply, which must wait for the first two.
      await write('paging', 'late', ['late-1']);
      await write('paging', 'held0', ['held0-3']);
      const next = await store.claimOutbox('test-next', ['paging'], 1, 60_000);
      expect(next.map((e) => (e.message.kind === 'text' ? e.message.text : ''))).toEqual(['late-1']);
      expect(await store.claimOutbox('test-none', ['paging'], 5, 60_000)).toEqual([]);
    });
  });
});
