import { describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import type { InboundMessage } from '../../engine/index.ts';
import { onEachDatabase, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

let rt: TestRuntime;
onEachDatabase((runtime) => {
  rt = runtime;
}, () => {
  async function toSausageRoll(customerId: string) {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId });
    await chat.say('hi');
    await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
    await chat.say(optionNumber(await chat.say('sausage roll'), 'Sausage roll'));
    return chat;
  }

  describe('money comes only from the database', () => {
    it('ignores a price typed in the chat', async () => {
      const chat = await toSausageRoll('tam-price');
      expect(await chat.say('2 for £0.01')).toContain('Please reply with a whole number');
      await chat.say('2');
      const cart = plain(await chat.say('cart'));
      expect(cart).toContain('2 × Sausage roll: £6.40');
      await chat.say(optionNumber(cart, 'Check out'));
      const order = await rt.db.order.findFirstOrThrow({ where: { conversation: { customer: { externalId: 'tam-price' } } }, include: { items: true } });
      expect(order.totalMinor).toBe(640);
      expect(order.items[0]?.unitPriceMinor).toBe(320);
    });

    it('prices an order at the database price at checkout time', async () => {
      const chat = await toSausageRoll('uma-reprice');
      await chat.say('1');
      const product = await rt.db.product.findFirstOrThrow({ where: { sku: 'SAUSAGE-ROLL', business: { slug: 'hackney-bread-co' } } });
      await rt.db.product.update({ where: { id: product.id }, data: { priceMinor: 350 } });
      try {
        const cart = plain(await chat.say('cart'));
        expect(cart).toContain('1 × Sausage roll: £3.50');
        await chat.say(optionNumber(cart, 'Check out'));
        const order = await rt.db.order.findFirstOrThrow({ where: { conversation: { customer: { externalId: 'uma-reprice' } } } });
        expect(order.totalMinor).toBe(350);
      } finally {
        await rt.db.product.update({ where: { id: product.id }, data: { priceMinor: 320 } });
      }
    });
  });

  describe('a message delivered twice', () => {
    it('gives the stored replies again and creates no second order', async () => {
      const chat = await toSausageRoll('val-dup');
      await chat.say('3');
      const cart = await chat.say('cart');
      const pick = optionNumber(cart, 'Check out');
      const first = await chat.sayWithId(pick, 'val-dup-checkout');
      const again = await chat.sayWithId(pick, 'val-dup-checkout');
      expect(again).toBe(first);
      expect(first).toMatch(/Order VT-[A-Z0-9]{6} is placed/);
      expect(await rt.db.order.count({ where: { conversation: { customer: { externalId: 'val-dup' } } } })).toBe(1);
      expect(await rt.db.inboundEvent.count({ where: { messageId: 'val-dup-checkout' } })).toBe(1);
    });

    it('is processed once even when both copies arrive at the same time', async () => {
      await toSausageRoll('wes-race');
      const message: InboundMessage = { kind: 'text', text: '4', messageId: 'wes-race-qty', channel: 'console', botId: 'directory', customer: { id: 'wes-race' } };
      const [a, b] = await Promise.all([rt.engine.process(message), rt.engine.process({ ...message })]);
      expect(a.replies).toEqual(b.replies);
      expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
      const items = await rt.db.cartItem.findMany({ where: { cart: { conversation: { customer: { externalId: 'wes-race' } } } } });
      expect(items.map((i) => i.quantity)).toEqual([4]);
    });
  });

  describe('messages of one conversation', () => {
    it('are handled strictly in order', async () => {
      await toSausageRoll('xan-order');
      const base = { channel: 'console', botId: 'directory', customer: { id: 'xan-order' } } as const;
      const results = await Promise.all(['1', 'cart', 'back'].map((text, i) => rt.engine.handle({ ...base, kind: 'text', text, messageId: `xan-${i}` })));
      expect(JSON.stringify(results[0])).toContain('Added 1 × Sausage roll');
      expect(JSON.stringify(results[1])).toContain('Your cart at Hackney Bread Co.');
      const conversation = await rt.db.conversation.findFirstOrThrow({ where: { customer: { externalId: 'xan-order' } } });
      expect(conversation.version).toBeGreaterThanOrEqual(7);
    });
  });
});
