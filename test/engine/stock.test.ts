import { describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { applyOrderEvent } from '../../engine/orders/order-service.ts';
import { onEachDatabase, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

let rt: TestRuntime;
onEachDatabase((runtime) => {
  rt = runtime;
}, () => {
  /** A customer with one sausage roll in the cart, and the number that checks out. */
  async function readyToCheckOut(customerId: string) {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId });
    await chat.say('hi');
    await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
    await chat.say(optionNumber(await chat.say('sausage roll'), 'Sausage roll'));
    await chat.say('1');
    return { chat, checkOut: optionNumber(plain(await chat.say('cart')), 'Check out') };
  }

  describe('stock', () => {
    it('never sells the last units twice: concurrent checkouts take what there is, the order holds it, and a cancelled order gives it back', async () => {
      const product = await rt.db.product.findFirstOrThrow({ where: { sku: 'SAUSAGE-ROLL', business: { slug: 'hackney-bread-co' } } });
      await rt.db.product.update({ where: { id: product.id }, data: { stock: 3 } });
      try {
        const customers = ['st-ana', 'st-bia', 'st-caio', 'st-davi', 'st-eva', 'st-fabio'];
        const ready = await Promise.all(customers.map(readyToCheckOut));
        const answers = await Promise.all(ready.map(({ chat, checkOut }) => chat.say(checkOut)));

        const orders = await rt.db.order.findMany({ where: { items: { some: { productId: product.id } }, conversation: { customer: { externalId: { in: customers } } } } });
        expect(orders).toHaveLength(3);
        expect(answers.filter((a) => /Order VT-[A-Z0-9]{6}/.test(a))).toHaveLength(3);
        expect(answers.filter((a) => a.includes('no longer in stock'))).toHaveLength(3);
        // Held by the orders waiting for payment: nothing left for anyone else.
        expect((await rt.db.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(0);

        const [first] = orders;
        if (!first) throw new Error('no order');
        const cancelled = await rt.db.$transaction((tx) => applyOrderEvent(tx, first.id, 'cancelled', { by: 'test' }));
        expect(cancelled).toMatchObject({ applied: true, from: 'awaiting_payment', to: 'cancelled' });
        expect((await rt.db.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(1);
      } finally {
        await rt.db.product.update({ where: { id: product.id }, data: { stock: null } });
      }
    });

    it('gives an expired order\'s units back, and refuses to revive it cleanly when they are gone', async () => {
      const product = await rt.db.product.findFirstOrThrow({ where: { sku: 'SAUSAGE-ROLL', business: { slug: 'hackney-bread-co' } } });
      await rt.db.product.update({ where: { id: product.id }, data: { stock: 1 } });
      try {
        const { chat, checkOut } = await readyToCheckOut('st-gil');
        expect(await chat.say(checkOut)).toMatch(/Order VT-[A-Z0-9]{6}/);
        const order = await rt.db.order.findFirstOrThrow({ where: { conversation: { customer: { externalId: 'st-gil' } } } });
        expect((await rt.db.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(0);

        const expired = await rt.db.$transaction((tx) => applyOrderEvent(tx, order.id, 'expired', { by: 'test' }));
        expect(expired).toMatchObject({ applied: true, from: 'awaiting_payment', to: 'expired' });
        expect((await rt.db.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(1);

        // Someone else buys the last one meanwhile; the customer then asks for a new link.
        await rt.db.product.update({ where: { id: product.id }, data: { stock: 0 } });
        await rt.engine.notify(order.conversationId, { kind: 'system', event: 'payment.expired', data: { orderId: order.id } });
        await rt.engine.idle();
        const retried = plain(await chat.say('1'));
        expect(retried).toContain('Sorry, some items in your cart are no longer in stock.');
        expect(await rt.db.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: 'expired', version: expired.version });
        expect((await rt.db.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(0);
      } finally {
        await rt.db.product.update({ where: { id: product.id }, data: { stock: null } });
      }
    });

    it('keeps the units of an order held for review when the shop approves it, taking none twice', async () => {
      const product = await rt.db.product.findFirstOrThrow({ where: { sku: 'SAUSAGE-ROLL', business: { slug: 'hackney-bread-co' } } });
      await rt.db.product.update({ where: { id: product.id }, data: { stock: 5 } });
      try {
        const { chat, checkOut } = await readyToCheckOut('st-hana');
        await chat.say(checkOut);
        const order = await rt.db.order.findFirstOrThrow({ where: { conversation: { customer: { externalId: 'st-hana' } } } });
        const stock = async () => (await rt.db.product.findUniqueOrThrow({ where: { id: product.id } })).stock;
        expect(await stock()).toBe(4);
        expect(await rt.db.$transaction((tx) => applyOrderEvent(tx, order.id, 'amount_mismatch', { by: 'test' }))).toMatchObject({ applied: true, to: 'review' });
        expect(await stock()).toBe(4);
        expect(await rt.db.$transaction((tx) => applyOrderEvent(tx, order.id, 'approved', { by: 'shop' }))).toMatchObject({ applied: true, from: 'review', to: 'paid' });
        expect(await stock()).toBe(4);
      } finally {
        await rt.db.product.update({ where: { id: product.id }, data: { stock: null } });
      }
    });
  });
});
