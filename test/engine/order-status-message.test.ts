import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter, createTestConversation } from '../../adapters/console/index.ts';
import type { OutboundMessage } from '../../engine/index.ts';
import { orderNotice } from '../../engine/payments/order-notice.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

const orderStatusOf = (messages: readonly OutboundMessage[]) => messages.find((m) => m.kind === 'orderStatus');

describe('the order-status message', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(() => rt.dispose());

  it('shows the same lines and total from the order step and from an order notice, amounts as stored', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'olga-status' });
    await chat.say('hi');
    await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
    await chat.say(optionNumber(await chat.say('sausage roll'), 'Sausage roll'));
    await chat.say('3');
    expect(await chat.say(optionNumber(plain(await chat.say('cart')), 'Check out'))).toMatch(/is placed/);
    const order = await rt.db.order.findFirstOrThrow({
      where: { conversation: { customer: { externalId: 'olga-status' } } }, include: { items: true, conversation: { select: { locale: true } } },
    });
    // A stored line total that is not unit price × quantity (a discount taken at checkout): both places show what is stored.
    const [line] = order.items;
    if (!line) throw new Error('the order has no line');
    await rt.db.orderItem.update({ where: { id: line.id }, data: { lineTotalMinor: 900 } });
    await rt.db.order.update({ where: { id: order.id }, data: { totalMinor: 900 } });

    await chat.say('my orders');
    const fromStep = orderStatusOf(chat.last);
    const [fromNotice] = await orderNotice(rt.db, rt.i18n, { botId: 'directory', locale: order.conversation.locale }, 'order.shipped', order.id);
    if (fromStep?.kind !== 'orderStatus' || fromNotice?.kind !== 'orderStatus') throw new Error('expected two orderStatus messages');

    expect(fromStep.total).toBe('£9.00');
    expect(fromStep.lines).toEqual([{ productId: line.productId, sku: 'SAUSAGE-ROLL', name: 'Sausage roll', quantity: 3, unitPrice: '£3.20', lineTotal: '£9.00' }]);
    const { text: stepText, ...stepRest } = fromStep;
    const { text: noticeText, ...noticeRest } = fromNotice;
    // The notice tells the customer the order changed; the answer to "my orders" does not.
    expect(noticeRest).toEqual({ ...stepRest, change: true });
    expect(fromStep.change).toBeUndefined();
    // Rendered for the customer, everything but the opening sentence (each place's own text) reads the same.
    const adapter = createConsoleAdapter({ write: () => undefined });
    const body = (m: OutboundMessage) => plain(adapter.render(m, { locale: 'en' }).join('\n')).replace(m.kind === 'orderStatus' ? m.text : '', '');
    expect(body(fromNotice)).toBe(body(fromStep));
    expect(body(fromStep)).toContain('3 × Sausage roll: £9.00');
    expect(plain(stepText)).toContain('£9.00');
    expect(plain(noticeText)).toContain(order.number);
  });

  it('gives no notice for an order that does not exist', async () => {
    expect(await orderNotice(rt.db, rt.i18n, { botId: 'directory', locale: 'en' }, 'order.shipped', 'no-such-order')).toEqual([]);
  });
});
