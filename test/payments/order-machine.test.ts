import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cashPaymentProvider, isVitrineError, ORDER_EVENT_TYPES, ORDER_STATUSES } from '../../engine/index.ts';
import { applyOrderEvent } from '../../engine/orders/order-service.ts';
import { nextOrderStatus, orderStatusOf, orderTransitions } from '../../engine/orders/order-machine.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

describe('the order state machine', () => {
  it('allows exactly the documented transitions', () => {
    expect(orderTransitions().map((t) => `${t.from} -${t.event}-> ${t.to}`)).toEqual([
      'awaiting_payment -paid-> paid',
      'awaiting_payment -amount_mismatch-> review',
      'awaiting_payment -expired-> expired',
      'awaiting_payment -payment_failed-> expired',
      'awaiting_payment -received-> paid',
      'awaiting_payment -cancelled-> cancelled',
      'paid -fulfilled-> fulfilled',
      'paid -refunded-> refunded',
      'fulfilled -shipped-> shipped',
      'fulfilled -refunded-> refunded',
      'shipped -refunded-> refunded',
      'expired -retry-> awaiting_payment',
      'expired -cancelled-> cancelled',
      'review -approved-> paid',
      'review -refunded-> refunded',
    ]);
  });

  it('ends in cancelled and refunded, and knows no unknown status', () => {
    for (const event of ORDER_EVENT_TYPES) {
      expect(nextOrderStatus('cancelled', event)).toBeUndefined();
      expect(nextOrderStatus('refunded', event)).toBeUndefined();
      expect(nextOrderStatus('lost', event)).toBeUndefined();
    }
  });

  it('reads a stored status as one of its statuses and refuses any other', () => {
    for (const status of ORDER_STATUSES) expect(orderStatusOf(status)).toBe(status);
    const unknown = (() => {
      try {
        return orderStatusOf('lost');
      } catch (err) {
        return err;
      }
    })();
    expect(isVitrineError(unknown, 'VT_ERR_INTERNAL')).toBe(true);
    expect(String(unknown)).toContain('"lost"');
  });

  it('gives every status a state of the machine', () => {
    const states = new Set(orderTransitions().flatMap((t) => [t.from, t.to]));
    expect([...states].sort()).toEqual([...ORDER_STATUSES].sort());
  });

});

describe('applying order events to the database', () => {
  let rt: TestRuntime;
  let orderId: string;
  beforeAll(async () => {
    rt = await createTestRuntime();
    const business = await rt.db.business.findFirstOrThrow();
    const product = await rt.db.product.findFirstOrThrow({ where: { businessId: business.id } });
    const customer = await rt.db.customer.create({ data: { channel: 'console', externalId: 'machine-test' } });
    const conversation = await rt.db.conversation.create({ data: { botId: 'directory', channel: 'console', customerId: customer.id, flowId: 'shopping', flowVersion: 1, snapshot: '', locale: 'en' } });
    const cart = await rt.db.cart.create({ data: { conversationId: conversation.id, businessId: business.id, status: 'ordered' } });
    const order = await rt.db.order.create({ data: {
      number: 'VT-MACHIN', businessId: business.id, customerId: customer.id, conversationId: conversation.id, cartId: cart.id,
      status: 'awaiting_payment', totalMinor: product.priceMinor, currency: product.currency, locale: 'en', provider: 'cash',
      items: { create: [{ productId: product.id, sku: product.sku, name: product.name, unitPriceMinor: product.priceMinor, quantity: 1, lineTotalMinor: product.priceMinor }] },
    } });
    orderId = order.id;
  });
  afterAll(() => rt.dispose());

  it('moves the order, bumps its version and records applied and ignored events without throwing', async () => {
    expect(await applyOrderEvent(rt.db, orderId, 'paid', { note: 'cash at the door' })).toEqual({ applied: true, from: 'awaiting_payment', to: 'paid', version: 1 });
    expect(await applyOrderEvent(rt.db, orderId, 'expired')).toEqual({ applied: false, from: 'paid', to: 'paid', version: 1 });
    expect(await applyOrderEvent(rt.db, orderId, 'fulfilled')).toMatchObject({ applied: true, to: 'fulfilled', version: 2 });
    const events = await rt.db.orderEvent.findMany({ where: { orderId }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => [e.type, e.fromState, e.toState, e.applied])).toEqual([
      ['paid', 'awaiting_payment', 'paid', true], ['expired', 'paid', 'paid', false], ['fulfilled', 'paid', 'fulfilled', true],
    ]);
    expect(JSON.parse(events[1]?.detail ?? '{}')).toEqual({ reason: 'not_applicable' });
  });

  it('lets a cash order be created without any online payment', async () => {
    const order = await rt.db.order.findUniqueOrThrow({ where: { id: orderId }, include: { items: true } });
    const start = await cashPaymentProvider.createPayment({ ...order, businessName: 'x', country: 'BR', items: order.items });
    expect(start).toEqual({ kind: 'deferred', providerRef: `cash_${orderId}_v${order.version}`, cash: true });
  });
});
