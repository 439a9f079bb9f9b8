import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import type { Clock } from '../../engine/index.ts';
import { OutboxSender } from '../../engine/outbox/outbox-sender.ts';
import { applyPaymentUpdate } from '../../engine/payments/payment-events.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

const NOW = new Date('2031-02-03T04:05:06.000Z');
const fixedClock: Clock = { now: () => new Date(NOW) };

describe('the injected clock', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime({ engine: { clock: fixedClock } });
  });
  afterAll(() => rt.dispose());

  it('stamps a new order, its events and its cancellation with the clock’s time', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'cleo-clock' });
    await chat.say('hi');
    await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
    await chat.say(optionNumber(await chat.say('sausage roll'), 'Sausage roll'));
    await chat.say('1');
    const cart = plain(await chat.say('cart'));
    expect(await chat.say(optionNumber(cart, 'Check out'))).toMatch(/is placed/);
    await chat.say('cancel');
    const order = await rt.db.order.findFirstOrThrow({ where: { conversation: { customer: { externalId: 'cleo-clock' } } }, include: { events: true } });
    expect(order.status).toBe('cancelled');
    expect(order.createdAt.toISOString()).toBe(NOW.toISOString());
    expect(order.updatedAt.toISOString()).toBe(NOW.toISOString());
    expect(order.events.map((e) => e.type).sort()).toEqual(['cancelled', 'created']);
    for (const event of order.events) expect(event.createdAt.toISOString()).toBe(NOW.toISOString());
  });

  it('stamps an order event a payment provider causes with the clock’s time', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'dora-clock' });
    await chat.say('hi');
    await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
    await chat.say(optionNumber(await chat.say('sausage roll'), 'Sausage roll'));
    await chat.say('1');
    await chat.say(optionNumber(plain(await chat.say('cart')), 'Check out'));
    const payment = await rt.db.payment.findFirstOrThrow({ where: { order: { conversation: { customer: { externalId: 'dora-clock' } } } } });
    const applied = await rt.db.$transaction((tx) =>
      applyPaymentUpdate(tx, pino({ level: 'silent' }), payment.provider, { eventId: 'clock-expiry', type: 'page.expired', providerRef: payment.providerRef, outcome: 'expired' }, fixedClock));
    expect(applied.outcome).toBe('expired');
    const expired = await rt.db.orderEvent.findFirstOrThrow({ where: { orderId: payment.orderId, type: 'expired' } });
    expect(expired.createdAt.toISOString()).toBe(NOW.toISOString());
  });

  it('schedules a reply the customer was away for from the clock’s time', async () => {
    const conversation = await rt.engine.store.transaction((tx) => rt.engine.store.openConversation(tx, { botId: 'directory', channel: 'away-chat', customer: { id: 'cleo-away' } }, { flowId: 'shopping', locale: 'en' }));
    await rt.engine.store.transaction((tx) => rt.engine.store.appendOutbox(tx, [{
      botId: 'directory', channel: 'away-chat', customerId: 'cleo-away', conversationId: conversation.id, locale: 'en', message: { kind: 'text', text: 'receipt' },
    }]));
    let attempts = 0;
    const sender = new OutboxSender({ store: rt.engine.store, logger: pino({ level: 'silent' }), owner: 'clock-test', pollMs: 5, awayDelayMs: 60_000, clock: fixedClock });
    sender.register({
      channel: 'away-chat',
      async deliver() {
        attempts++;
        return { kind: 'away' };
      },
    });
    sender.start();
    const row = () => rt.db.outboxMessage.findFirstOrThrow({ where: { channel: 'away-chat' } });
    for (let i = 0; i < 400 && (await row()).lastError === null; i++) await new Promise((r) => setTimeout(r, 5));
    await sender.stop();
    expect(attempts).toBe(1);
    expect((await row()).nextAttemptAt.toISOString()).toBe(new Date(NOW.getTime() + 60_000).toISOString());
  });
});
