import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWhatsAppAdapter, whatsappRouting, whatsappRoutes } from '../../adapters/whatsapp/index.ts';
import { orderDetails } from '../../adapters/whatsapp/order-messages.ts';
import { channelSender, PendingWork } from '../../adapters/kit/index.ts';
import { describeCalls, startFakeGraph, startFakeStripe, type FakeGraphApi, type FakeStripe, type GraphCall } from '../../adapters/kit/testing/index.ts';
import { createStripePaymentProvider, type StripePaymentProvider } from '../../adapters/payments/stripe/index.ts';
import { markOrder, shopMarkNotice, type ShopMark } from '../../engine/orders/shop-marks.ts';
import { errorHandler } from '../../server/error-handler.ts';
import { paymentWebhookRoutes } from '../../server/routes/payment-webhooks.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { buttonReply, listReply, PHONE_NUMBER_ID, sign, textMessage, wamid } from './whatsapp-payloads.ts';

const APP_SECRET = 'test-app-secret';
const STRIPE_SECRET = 'whsec_test_vitrine';

let fake: FakeStripe;
let graph: FakeGraphApi;
let provider: StripePaymentProvider;
let rt: TestRuntime;
let app: FastifyInstance;
let base: string;
let botRoot: string;
const work = new PendingWork();

beforeAll(async () => {
  fake = await startFakeStripe();
  graph = await startFakeGraph();
  botRoot = mkdtempSync(path.join(tmpdir(), 'vitrine-wa-orders-'));
  const botDir = path.join(botRoot, 'directory');
  cpSync(path.join(BOTS_DIR, 'directory'), botDir, { recursive: true });
  const yaml = path.join(botDir, 'bot.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/provider: \w+/, 'provider: stripe'));
  provider = createStripePaymentProvider({
    secretKey: 'sk_test_vitrine', apiBaseUrl: fake.url, successUrl: 'https://shop.example/paid', cancelUrl: 'https://shop.example/cancelled', webhookSecret: STRIPE_SECRET,
  });
  rt = await createTestRuntime({ botDirs: [botDir], payments: [provider] });
  const adapter = createWhatsAppAdapter({
    accessToken: 'EAAtest', phoneNumberId: PHONE_NUMBER_ID, graphUrl: graph.graphUrl, appSecret: APP_SECRET,
    ...whatsappRouting(rt.engine.bots, { phoneNumberId: PHONE_NUMBER_ID, defaultBotId: 'directory' }), retry: { baseDelayMs: 1 },
  });
  rt.engine.outbox.register(channelSender(adapter));
  app = Fastify({ logger: false });
  await app.register(errorHandler);
  await app.register(whatsappRoutes, { runtime: rt, adapter, verifyToken: 'verify', appSecret: APP_SECRET, work });
  await app.register(paymentWebhookRoutes, { providers: [provider], engine: rt.engine });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await rt?.dispose();
  await graph?.close();
  await fake?.close();
  if (botRoot) rmSync(botRoot, { recursive: true, force: true });
});

/** Posts a signed WhatsApp webhook and waits until the engine and the outbox are done with it. */
async function post(payload: unknown): Promise<void> {
  const body = JSON.stringify(payload);
  const res = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, APP_SECRET) }, body });
  expect(res.status).toBe(200);
  await work.idle();
  await rt.engine.idle();
}

const sentTo = (customer: string): GraphCall[] => graph.calls.filter((c) => c.message.to === customer);

/** Taps the button or list row titled `title` in the last interactive message the customer got. */
async function tap(customer: string, title: string): Promise<void> {
  const action = sentTo(customer).map((c) => c.message.interactive).filter((i) => i !== undefined).at(-1)?.action;
  const button = action?.buttons?.find((b) => b.reply.title === title);
  const row = action?.sections?.flatMap((s) => s.rows).find((r) => r.title === title);
  if (button) return post(buttonReply(button.reply.id, title, wamid(), customer));
  if (row) return post(listReply(row.id, title, wamid(), customer));
  throw new Error(`no option "${title}" sent to ${customer}:\n${describeCalls(sentTo(customer))}`);
}

/** Walks a customer to checkout: a search, the shop, a category (when asked), a product, a quantity, the cart. */
async function checkout(customer: string, steps: { search: string; shop: string; category?: string; product: string; quantity: number }) {
  await post(textMessage(steps.search, wamid(), customer));
  await tap(customer, steps.shop);
  if (steps.category) await tap(customer, steps.category);
  else await post(textMessage(steps.product, wamid(), customer));
  await tap(customer, steps.product);
  await post(textMessage(String(steps.quantity), wamid(), customer));
  await post(textMessage('cart', wamid(), customer));
  await tap(customer, 'Check out');
  const order = await rt.db.order.findFirstOrThrow({ where: { customer: { externalId: customer } }, orderBy: { createdAt: 'desc' } });
  const session = [...fake.sessions.values()].find((s) => s.client_reference_id === order.id);
  if (!session?.url) throw new Error(`no Checkout session for ${order.number}`);
  return { order, session };
}

const bakery = { search: 'padaria', shop: 'Padaria São Jorge', category: 'Salgados', product: 'Pão de queijo', quantity: 3 };

/** The parameters of the order messages of a type the customer got (accepted by the Graph API). */
const orderMessages = (customer: string, type: 'order_details' | 'order_status') =>
  graph.accepted(customer).filter((c) => c.message.interactive?.type === type).map((c) => c.message.interactive?.action.parameters);

async function payWithStripe(sessionId: string): Promise<void> {
  const body = fake.event('checkout.session.completed', fake.pay(sessionId));
  const res = await fetch(`${base}/webhooks/payments/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': fake.sign(body, STRIPE_SECRET) }, body });
  expect(res.status).toBe(200);
  await rt.engine.idle();
}

async function shopMarks(orderNumber: string, mark: ShopMark): Promise<void> {
  const result = await markOrder({ db: rt.db, providers: [provider] }, orderNumber, mark);
  expect(result.applied).toBe(true);
  await rt.engine.notify(result.conversationId, ...shopMarkNotice(result));
  await rt.engine.idle();
}

describe('WhatsApp order messages at checkout', () => {
  it('sends a BRL order as order_details: the order number as reference_id, each line at its unit price, the totals and the Checkout URL', async () => {
    const customer = '5511900000101';
    const { order, session } = await checkout(customer, bakery);
    const call = graph.calls.find((c) => c.message.to === customer && c.message.interactive?.type === 'order_details');
    if (!call) throw new Error(`no order_details:\n${describeCalls(sentTo(customer))}`);
    expect(call.status).toBe(200);
    expect(call.message.interactive?.body.text).toBe(`Order ${order.number} at Padaria São Jorge: review your items and pay R$37.50.`);
    expect(call.message.interactive?.action.name).toBe('review_and_pay');
    const p = call.message.interactive?.action.parameters ?? {};
    expect(p['reference_id']).toBe(order.number);
    expect(p['type']).toBe('physical-goods');
    expect(p['payment_type']).toBe('br');
    expect(p['currency']).toBe('BRL');
    expect(p['total_amount']).toEqual({ value: 3750, offset: 100 });
    expect(p['payment_settings']).toEqual([{ type: 'payment_link', payment_link: { uri: session.url } }]);
    expect(p['order']).toEqual({
      status: 'pending',
      items: [{ retailer_id: 'PAO-QUEIJO', name: 'Pão de queijo', amount: { value: 1250, offset: 100 }, quantity: 3 }],
      subtotal: { value: 3750, offset: 100 },
      tax: { value: 0, offset: 100 },
    });
    // The fallback stays with Vitrine: the Graph API gets only the message.
    expect(Object.keys(call.message).sort()).toEqual(['interactive', 'messaging_product', 'recipient_type', 'to', 'type']);
    expect(sentTo(customer).some((c) => c.message.interactive?.type === 'cta_url')).toBe(false);

    // What the customer reads, message by message.
    expect(graph.accepted(customer).slice(-2).map((c) => c.key)).toEqual([
      `text | Order ${order.number} is placed: R$37.50.\n3 × Pão de queijo: R$37.50`,
      `interactive | Order ${order.number} at Padaria São Jorge: review your items and pay R$37.50. | order ${order.number} | 3 × Pão de queijo @ 1250/100 | total 3750/100 BRL | pay ${session.url}`,
    ]);
  });

  it('moves the order in the customer\'s app with order_status on each change, with the same reference_id', async () => {
    const customer = '5511900000102';
    const { order, session } = await checkout(customer, bakery);
    await payWithStripe(session.id);
    await shopMarks(order.number, 'fulfilled');
    await shopMarks(order.number, 'shipped');
    await shopMarks(order.number, 'refunded');
    expect(orderMessages(customer, 'order_status')).toEqual(['processing', 'processing', 'shipped', 'canceled'].map((status) => ({
      reference_id: order.number, order: { status },
    })));
    const texts = graph.accepted(customer).filter((c) => c.message.interactive?.type === 'order_status').map((c) => c.message.interactive?.body.text);
    expect(texts[0]).toContain(`Receipt for order ${order.number}`);
    expect(texts[3]).toBe(`Order ${order.number} at Padaria São Jorge was refunded: R$37.50.`);
  });

  it('tells the customer of an order the shop cancelled with order_status canceled', async () => {
    const customer = '5511900000103';
    const { order } = await checkout(customer, bakery);
    await shopMarks(order.number, 'cancelled');
    expect(orderMessages(customer, 'order_status')).toEqual([{ reference_id: order.number, order: { status: 'canceled' } }]);
  });

  it('cancels the order in the customer\'s app when the customer cancels it', async () => {
    const customer = '5511900000104';
    const { order } = await checkout(customer, bakery);
    await post(textMessage('cancel', wamid(), customer));
    const [update] = graph.accepted(customer).filter((c) => c.message.interactive?.type === 'order_status');
    expect(update?.message.interactive?.action.parameters).toEqual({ reference_id: order.number, order: { status: 'canceled' } });
    expect(update?.message.interactive?.body.text).toBe(`Order ${order.number} is cancelled. You were not charged.`);
  });
});

describe('WhatsApp order messages fall back to the CTA URL button', () => {
  it('for a shop that does not sell in BRL, and sends its changes as text', async () => {
    const customer = '5511900000201';
    const { order, session } = await checkout(customer, { search: 'hackney bread', shop: 'Hackney Bread Co.', product: 'Sausage roll', quantity: 2 });
    expect(orderMessages(customer, 'order_details')).toEqual([]);
    const cta = graph.accepted(customer).find((c) => c.message.interactive?.type === 'cta_url');
    expect(cta?.message.interactive?.action.parameters).toEqual({ display_text: 'Pay £6.40', url: session.url });
    await payWithStripe(session.id);
    expect(orderMessages(customer, 'order_status')).toEqual([]);
    expect(graph.accepted(customer).some((c) => c.message.text?.body.startsWith(`Receipt for order ${order.number}`))).toBe(true);
  });

  it('for a bot whose WhatsApp settings turn order messages off', async () => {
    const settings = rt.engine.bots.get('directory')?.runtime.channels['whatsapp'];
    if (!settings) throw new Error('the directory bot has no WhatsApp settings');
    settings['orderMessages'] = false;
    try {
      const customer = '5511900000202';
      const { session } = await checkout(customer, bakery);
      await payWithStripe(session.id);
      expect(orderMessages(customer, 'order_details')).toEqual([]);
      expect(orderMessages(customer, 'order_status')).toEqual([]);
      expect(graph.accepted(customer).filter((c) => c.message.interactive?.type === 'cta_url')).toHaveLength(1);
    } finally {
      delete settings['orderMessages'];
    }
  });

  it('for a customer without a Brazilian number', async () => {
    const customer = '447700900301';
    await checkout(customer, bakery);
    expect(sentTo(customer).filter((c) => c.message.interactive?.type === 'order_details')).toEqual([]);
    expect(graph.accepted(customer).filter((c) => c.message.interactive?.type === 'cta_url')).toHaveLength(1);
  });

  it('when the Graph API refuses the order message (a business not enabled for payments)', async () => {
    const customer = '5511900000203';
    await post(textMessage('padaria', wamid(), customer));
    await tap(customer, 'Padaria São Jorge');
    await tap(customer, 'Salgados');
    await tap(customer, 'Pão de queijo');
    await post(textMessage('1', wamid(), customer));
    await post(textMessage('cart', wamid(), customer));
    graph.script({ status: 200 }, { status: 400, body: { error: { message: '(#131009) Parameter value is not valid', type: 'OAuthException', code: 131009 } } });
    await tap(customer, 'Check out');
    const types = sentTo(customer).slice(-3).map((c) => `${c.message.interactive?.type ?? c.message.type} ${c.status}`);
    expect(types).toEqual(['text 200', 'order_details 400', 'cta_url 200']);
  });
});

describe('the fake Graph API checks order messages as Meta does', () => {
  const details = (parameters: Record<string, unknown>) => ({
    messaging_product: 'whatsapp', to: '5511900000999', type: 'interactive',
    interactive: { type: 'order_details', body: { text: 'Order VT-TEST01' }, action: { name: 'review_and_pay', parameters } },
  });
  const good = {
    reference_id: 'VT-TEST01', type: 'physical-goods', payment_type: 'br', currency: 'BRL', total_amount: { value: 500, offset: 100 },
    payment_settings: [{ type: 'payment_link', payment_link: { uri: 'https://pay.example/s/1' } }],
    order: { status: 'pending', items: [{ retailer_id: 'CAFE', name: 'Café', amount: { value: 250, offset: 100 }, quantity: 2 }], subtotal: { value: 500, offset: 100 }, tax: { value: 0, offset: 100 } },
  };
  const send = async (body: unknown) => {
    const res = await fetch(`${graph.graphUrl}/${PHONE_NUMBER_ID}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { error?: { code: number; error_data?: { details: string } } } };
  };

  it('accepts a well-formed order_details and refuses malformed ones with an error code and the field', async () => {
    expect((await send(details(good))).status).toBe(200);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...good, total_amount: { value: 500, offset: 1 } }, 131009, 'action.parameters.total_amount.offset: expected 100'],
      [{ ...good, reference_id: undefined }, 131008, 'action.parameters.reference_id: required'],
      [{ ...good, currency: 'USD' }, 131009, 'action.parameters.currency: expected one of BRL'],
      [{ ...good, total_amount: { value: 600, offset: 100 } }, 131009, 'action.parameters.total_amount.value: expected subtotal + tax + shipping - discount (500)'],
      [{ ...good, payment_settings: [{ type: 'payment_link', payment_link: { uri: 'not a url' } }] }, 131009, 'action.parameters.payment_settings[0].payment_link.uri: expected an http(s) URL'],
      [{ ...good, order: { ...good.order, items: [{ ...good.order.items[0], quantity: 0 }] } }, 131009, 'action.parameters.order.items[0].quantity: expected a positive integer'],
      [{ ...good, order: { ...good.order, tax: undefined } }, 131008, 'action.parameters.order.tax: required'],
    ];
    for (const [parameters, code, detail] of cases) {
      const answer = await send(details(parameters));
      expect(answer.status, detail).toBe(400);
      expect(answer.body.error?.code).toBe(code);
      expect(answer.body.error?.error_data?.details).toBe(detail);
    }
  });

  it('takes a delivery fee as the order\'s shipping, which the total must include', async () => {
    const message = {
      kind: 'paymentLink' as const, text: 'Pay', url: 'https://pay.example/s/2', label: 'Pay', amount: 'R$ 9,00', orderNumber: 'VT-TEST02',
      order: { currency: 'BRL', lines: [{ sku: 'CAFE', name: 'Café', quantity: 2, unitPriceMinor: 250 }], subtotalMinor: 500, shippingMinor: 400, totalMinor: 900, text: 'Pedido VT-TEST02' },
    };
    const built = orderDetails(message);
    expect(built?.action.parameters.order.shipping).toEqual({ value: 400, offset: 100 });
    expect(built?.action.parameters.total_amount).toEqual({ value: 900, offset: 100 });
    const sent = await send({ messaging_product: 'whatsapp', to: '5511900000999', type: 'interactive', interactive: built });
    expect(sent.status).toBe(200);
    // A total that leaves the fee out is not shown as an order at all.
    expect(orderDetails({ ...message, order: { ...message.order, totalMinor: 500 } })).toBeUndefined();
  });

  it('refuses an order_status with an unknown status or a reference no order_details carried', async () => {
    const status = (reference: string, value: string) => ({
      messaging_product: 'whatsapp', to: '5511900000999', type: 'interactive',
      interactive: { type: 'order_status', body: { text: 'Update' }, action: { name: 'review_order', parameters: { reference_id: reference, order: { status: value } } } },
    });
    expect((await send(details(good))).status).toBe(200);
    expect((await send(status('VT-TEST01', 'shipped'))).status).toBe(200);
    expect((await send(status('VT-TEST01', 'paid'))).body.error?.error_data?.details)
      .toBe('action.parameters.order.status: expected one of pending, processing, partially_shipped, shipped, completed, canceled');
    expect((await send(status('VT-NEVER1', 'shipped'))).body.error?.code).toBe(131009);
  });
});
