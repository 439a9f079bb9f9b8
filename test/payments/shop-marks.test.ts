import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { stripePayments } from '../../adapters/payments/stripe/index.ts';
import { cashPaymentProvider, createPaymentProviders, recordOnlyPaymentProvider, type PaymentProvider } from '../../engine/index.ts';
import { markOrder } from '../../engine/orders/shop-marks.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { hashApiKey } from '../../server/routes/business-api.ts';
import { onEachDatabase, type TestRuntime } from '../support/test-runtime.ts';
import { BAKERY_WORDS, pickUpAtBakery } from '../support/bakery-pickup.ts';
import { cashBakery } from '../support/cash-bakery.ts';
import { optionNumber, plain } from '../support/text.ts';

/** A provider whose signed webhook confirms payments: the shop never marks its orders paid. */
const confirmsItself: PaymentProvider = { id: 'signed', createPayment: async (order) => ({ kind: 'redirect', providerRef: `page_${order.id}`, url: 'https://pay.example/x' }) };

const KEY = 'vt_test-cash-bakery-key';
let rt: TestRuntime;
let app: FastifyInstance;

onEachDatabase((runtime) => { rt = runtime; }, () => {
  beforeAll(async () => {
    app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
    const bakery = await rt.db.business.findFirstOrThrow({ where: { botId: 'corner-bakery' } });
    await rt.db.apiKey.create({ data: { businessId: bakery.id, hash: hashApiKey(KEY) } });
  });
  afterAll(async () => {
    await app?.close();
  });

  const stockOf = async (sku: string) => (await rt.db.product.findFirstOrThrow({ where: { sku, business: { botId: 'corner-bakery' } } })).stock;

  /** A customer buys two white sourdough loaves in Portuguese and checks out to pick them up: the order waits for cash. */
  async function cashOrder(customerId: string) {
    const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId, locale: 'pt-BR' });
    const bread = await chat.say(optionNumber(await chat.say('oi'), 'Bread'));
    await chat.say(optionNumber(bread, 'White sourdough'));
    await chat.say('2');
    await pickUpAtBakery(chat, BAKERY_WORDS['pt-BR'], { name: 'Ana', phone: '(11) 91234-5678' });
    const order = await rt.db.order.findFirstOrThrow({ where: { conversation: { customer: { externalId: customerId } } } });
    return { chat, order };
  }

  const status = (number: string, body: unknown) =>
    app.inject({ method: 'POST', url: `/api/v1/orders/${number}/status`, headers: { authorization: `Bearer ${KEY}` }, payload: body as object });

  /** Everything the customer was sent through the outbox, as text. */
  async function told(conversationId: string): Promise<string> {
    await rt.engine.idle();
    const rows = await rt.db.outboxMessage.findMany({ where: { conversationId }, orderBy: { id: 'asc' } });
    return plain(rows.map((r) => JSON.stringify(JSON.parse(r.message))).join('\n'));
  }
  const times = (text: string, part: string) => text.split(part).length - 1;

  it('lets the shop mark a cash pickup order paid and fulfilled, not shipped; the customer hears each once, in Portuguese; stock moves once', async () => {
    const before = await stockOf('WHITE-SOURDOUGH');
    const { order } = await cashOrder('cash-ana');
    expect(order).toMatchObject({ provider: 'cash', status: 'awaiting_payment' });
    expect(await stockOf('WHITE-SOURDOUGH')).toBe((before ?? 0) - 2);

    const paid = await status(order.number, { status: 'paid' });
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', payments: [{ status: 'succeeded', amountMinor: 1100, currency: 'GBP' }] });
    // Who ordered and how it reaches them, as the shop's dashboard reads it.
    expect(paid.json()).toMatchObject({
      customer: { name: 'Ana', phone: '11912345678', channel: 'console' },
      fulfilment: { method: 'pickup', zone: null, address: null, location: null, table: null, note: null, feeMinor: 0 },
    });
    // Again: the machine refuses, clearly, and nothing moves.
    const again = await status(order.number, { status: 'paid' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'VT_ERR_ORDER_TRANSITION']);
    expect(again.json().error.message).toBe(`Order ${order.number} is paid: it cannot be marked paid`);
    expect((await status(order.number, { status: 'fulfilled' })).json()).toMatchObject({ status: 'fulfilled' });
    const shipped = await status(order.number, { status: 'shipped' });
    expect([shipped.statusCode, shipped.json().error.code]).toEqual([409, 'VT_ERR_ORDER_TRANSITION']);
    expect(shipped.json().error.message).toBe(`Order ${order.number} is picked up at the shop: it cannot be marked shipped (mark it fulfilled when it is ready)`);
    const cancel = await status(order.number, { status: 'cancelled' });
    expect([cancel.statusCode, cancel.json().error.code]).toEqual([409, 'VT_ERR_ORDER_TRANSITION']);
    expect(await stockOf('WHITE-SOURDOUGH')).toBe((before ?? 0) - 2);

    const text = await told(order.conversationId);
    expect(times(text, `Recibo do pedido ${order.number} em Corner Bakery: £ 11,00.`)).toBe(1);
    expect(times(text, 'Pagamento recebido, obrigado!')).toBe(1);
    expect(times(text, `O pedido ${order.number} em Corner Bakery está pronto para retirada em 12 Chalcot Road, London NW1.`)).toBe(1);
    expect(times(text, 'a caminho')).toBe(0);
    const events = await rt.db.orderEvent.findMany({ where: { orderId: order.id }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => [e.type, e.toState, e.applied])).toEqual([
      ['created', 'awaiting_payment', true], ['received', 'paid', true], ['received', 'paid', false],
      ['fulfilled', 'fulfilled', true], ['cancelled', 'fulfilled', false],
    ]);
  });

  it('lets the shop cancel an unpaid cash order: its stock comes back once and the customer is told, and shops on', async () => {
    const before = await stockOf('WHITE-SOURDOUGH');
    const { chat, order } = await cashOrder('cash-bia');
    expect(await stockOf('WHITE-SOURDOUGH')).toBe((before ?? 0) - 2);
    expect((await status(order.number, { status: 'cancelled' })).json()).toMatchObject({ status: 'cancelled', payments: [{ status: 'expired' }] });
    expect(await stockOf('WHITE-SOURDOUGH')).toBe(before);
    expect((await status(order.number, { status: 'cancelled' })).statusCode).toBe(409);
    const paid = await status(order.number, { status: 'paid' });
    expect([paid.statusCode, paid.json().error.code]).toEqual([409, 'VT_ERR_ORDER_TRANSITION']);
    expect(await stockOf('WHITE-SOURDOUGH')).toBe(before);
    expect(times(await told(order.conversationId), `Corner Bakery cancelou o pedido ${order.number}; não há nada a pagar por ele.`)).toBe(1);
    // The conversation left the order behind: the customer is back at the shop, not asked about the payment.
    expect(await chat.say('oi')).not.toContain(order.number);
  });

  it('never lets the shop mark paid an order whose provider confirms payments itself', async () => {
    const { order } = await cashOrder('cash-caio');
    await rt.db.order.update({ where: { id: order.id }, data: { provider: confirmsItself.id } });
    const refused = await status(order.number, { status: 'paid' });
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'VT_ERR_ORDER_PAID_BY_PROVIDER']);
    const deps = { db: rt.db, providers: [recordOnlyPaymentProvider, cashPaymentProvider, confirmsItself] };
    await expect(markOrder(deps, order.number, 'paid')).rejects.toThrow(`Order ${order.number} is paid through signed, which confirms its payments itself`);
    expect((await rt.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('awaiting_payment');
    // The shop may still cancel it (the page is stopped) or, once the webhook paid it, fulfil it.
    expect((await markOrder(deps, order.number, 'cancelled')).applied).toBe(true);
  });
}, { botDirs: [cashBakery()] });

describe('the providers a shop may mark paid by hand', () => {
  it('are those whose payments the shop confirms: record and cash, not Stripe', () => {
    const [stripe] = createPaymentProviders([stripePayments], { STRIPE_SECRET_KEY: 'sk_test_1' }, { publicUrl: 'https://shop.example', logger: pino({ level: 'silent' }) });
    expect([recordOnlyPaymentProvider.paidByShop, cashPaymentProvider.paidByShop, stripe?.paidByShop]).toEqual([true, true, undefined]);
  });
});
