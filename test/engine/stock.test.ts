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
  });
});
