import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter, createTestConversation } from '../../adapters/console/index.ts';
import type { ChannelAdapter } from '../../engine/index.ts';
import { markOrder, refundPayment } from '../../engine/orders/shop-marks.ts';
import { channelSender } from '../../adapters/kit/index.ts';
import { createStripePaymentProvider, type StripePaymentProvider } from '../../adapters/payments/stripe/index.ts';
import { paymentWebhookRoutes } from '../../server/routes/payment-webhooks.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { startFakeStripe, type FakeStripe } from '../../adapters/kit/testing/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';
import { checkoutBrazilianCustomer } from '../support/brazilian-checkout.ts';

const SECRET = 'whsec_test_vitrine';
let fake: FakeStripe;
let rt: TestRuntime;
let app: FastifyInstance;
let provider: StripePaymentProvider;
let botRoot: string;
let webhookUrl: string;
const sent: { customerId: string; text: string }[] = [];
const errors: string[] = [];

/** A console channel whose sends are recorded: what the customer would read. */
function recordingConsole(): ChannelAdapter<string> {
  return { ...createConsoleAdapter(), async send(to, rendered) {
    for (const text of rendered) sent.push({ customerId: to.customerId, text: plain(text) });
  } };
}

beforeAll(async () => {
  fake = await startFakeStripe();
  botRoot = mkdtempSync(path.join(tmpdir(), 'vitrine-stripe-bot-'));
  const botDir = path.join(botRoot, 'directory');
  cpSync(path.join(BOTS_DIR, 'directory'), botDir, { recursive: true });
  const yaml = path.join(botDir, 'bot.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/provider: sandbox/, 'provider: stripe'));
  provider = createStripePaymentProvider({ secretKey: 'sk_test_vitrine', apiBaseUrl: fake.url, successUrl: 'https://shop.example/paid', cancelUrl: 'https://shop.example/cancelled', webhookSecret: SECRET });
  // The journal's worker applies Stripe events: its error log is where a shop sees an amount mismatch.
  const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
  rt = await createTestRuntime({ botDirs: [botDir], payments: [provider], logger });

  rt.engine.outbox.register(channelSender(recordingConsole()));

  app = Fastify();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  await app.register(paymentWebhookRoutes, { providers: [provider], engine: rt.engine });
  // The path Stripe endpoints were configured with before providers shared `/webhooks/payments/<id>`.
  webhookUrl = `${await app.listen({ port: 0, host: '127.0.0.1' })}/webhooks/stripe`;
});

afterAll(async () => {
  await app?.close();
  await rt?.dispose();
  await fake?.close();
  rmSync(botRoot, { recursive: true, force: true });
});

/** Posts a body to the webhook route over HTTP, signed unless told otherwise. */
async function post(body: string, signature: string | null = fake.sign(body, SECRET)): Promise<{ status: number; json: unknown }> {
  const res = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) }, body });
  const json: unknown = await res.json();
  // A 200 means the event is kept; the journal's worker applies it and the outbox tells the customer.
  await rt.engine.idle();
  return { status: res.status, json };
}

const toCustomer = (customerId: string) => sent.filter((s) => s.customerId === customerId).map((s) => s.text).join('\n');

/** Walks a Brazilian customer to checkout with three pães de queijo (R$ 37,50); `sessionId` is its Checkout Session. */
async function checkoutAs(customerId: string) {
  const done = await checkoutBrazilianCustomer(rt.engine, rt.db, customerId);
  return { ...done, sessionId: done.link.url.split('/').pop() ?? '' };
}

const orderStatus = async (orderId: string) => (await rt.db.order.findUniqueOrThrow({ where: { id: orderId } })).status;

describe('card payment with Stripe Checkout in the chat', () => {
  it('sends a Brazilian customer a Checkout page in Portuguese and, on the signed completed event, a receipt in Portuguese', async () => {
    const stockBefore = (await rt.db.product.findFirstOrThrow({ where: { sku: 'PAO-QUEIJO' } })).stock ?? 0;
    const { reply, link, order, sessionId } = await checkoutAs('ana-pays');
    expect(reply).toMatch(/Pedido VT-[A-Z0-9]{6} registrado: R\$ 37,50/);
    expect(reply).toContain(`Pagar R$ 37,50: ${fake.url}/c/pay/cs_test_`);
    expect(link.url.startsWith(fake.url)).toBe(true);

    const session = fake.sessions.get(sessionId);
    expect(session).toMatchObject({
      mode: 'payment', locale: 'pt-BR', currency: 'brl', amount_total: 3750, client_reference_id: order.id,
      metadata: { orderId: order.id, orderNumber: order.number, conversationId: order.conversationId },
      line_items: [{ quantity: 3, price_data: { currency: 'brl', unit_amount: 1250, product_data: { name: 'Pão de queijo' } } }],
      success_url: 'https://shop.example/paid?locale=pt-BR', cancel_url: 'https://shop.example/cancelled?locale=pt-BR',
    });
    expect(fake.requests.find((r) => r.path === '/v1/checkout/sessions' && r.method === 'POST' && r.idempotencyKey === `order-${order.id}-v0`)).toBeDefined();

    const res = await post(fake.event('checkout.session.completed', fake.pay(sessionId)));
    expect(res).toEqual({ status: 200, json: { received: true } });
    const receipt = toCustomer('ana-pays');
    expect(receipt).toContain(`Recibo do pedido ${order.number} em Padaria São Jorge: R$ 37,50.`);
    expect(receipt).toContain('3 × Pão de queijo: R$ 37,50');
    expect(receipt).toContain('Pagamento recebido, obrigado!');
    expect(await orderStatus(order.id)).toBe('paid');
    expect(await rt.db.payment.findFirstOrThrow({ where: { providerRef: sessionId } })).toMatchObject({ status: 'succeeded' });
    expect((await rt.db.product.findFirstOrThrow({ where: { sku: 'PAO-QUEIJO' } })).stock).toBe(stockBefore - 3);
  });

  it('sends the receipt once for a repeated or second completed event and ignores an expiry that comes after payment', async () => {
    const { order, sessionId } = await checkoutAs('bia-twice');
    const completed = fake.event('checkout.session.completed', fake.pay(sessionId));
    expect((await post(completed)).status).toBe(200);
    expect((await post(completed)).status).toBe(200);
    expect((await post(fake.event('checkout.session.completed', fake.sessions.get(sessionId) ?? fake.pay(sessionId)))).status).toBe(200);
    expect((await post(fake.event('checkout.session.expired', fake.expire(sessionId)))).status).toBe(200);

    expect(toCustomer('bia-twice').match(/Pagamento recebido/g)).toHaveLength(1);
    expect(await orderStatus(order.id)).toBe('paid');
    const events = await rt.db.orderEvent.findMany({ where: { orderId: order.id }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => [e.type, e.applied])).toEqual([['created', true], ['paid', true], ['paid', false], ['expired', false]]);
    expect(await rt.db.webhookEvent.count({ where: { eventId: JSON.parse(completed).id } })).toBe(1);
  });

  it('tells the customer when the page expired and opens a new Checkout Session for the next order version', async () => {
    const { chat, order, sessionId } = await checkoutAs('caio-late');
    expect((await post(fake.event('checkout.session.expired', fake.expire(sessionId)))).status).toBe(200);
    const notice = toCustomer('caio-late');
    expect(notice).toContain(`A página de pagamento do pedido ${order.number} expirou antes do pagamento. Quer um novo link?`);
    expect(await orderStatus(order.id)).toBe('expired');

    const again = plain(await chat.say(optionNumber(notice, 'Novo link de pagamento')));
    const link = chat.last.find((m) => m.kind === 'paymentLink');
    expect(link?.kind === 'paymentLink' && link.url).not.toContain(sessionId);
    expect(again).toContain('Pagar R$ 37,50');
    const renewed = await rt.db.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(renewed).toMatchObject({ status: 'awaiting_payment', version: 2 });
    const newSession = link?.kind === 'paymentLink' ? link.url.split('/').pop() ?? '' : '';
    expect(fake.requests.some((r) => r.idempotencyKey === `order-${order.id}-v2`)).toBe(true);

    expect((await post(fake.event('checkout.session.completed', fake.pay(newSession)))).status).toBe(200);
    expect(await orderStatus(order.id)).toBe('paid');
    expect(toCustomer('caio-late')).toContain('Pagamento recebido, obrigado!');
  });

  it('refuses a forged, missing or old signature with 401 VT_ERR_WEBHOOK_SIGNATURE and changes nothing', async () => {
    const { order, sessionId } = await checkoutAs('duda-forged');
    const body = fake.event('checkout.session.completed', fake.pay(sessionId));
    const seen = await rt.db.webhookEvent.count();
    // This app has no Vitrine error handler: the error's own status (and code) still reach the caller.
    const refusal = (res: { status: number; json: unknown }): [number, unknown] => [res.status, (res.json as { code?: unknown } | null)?.code];
    const refused = [401, 'VT_ERR_WEBHOOK_SIGNATURE'];
    expect(refusal(await post(body, fake.sign(body, 'whsec_someone_else')))).toEqual(refused);
    expect(refusal(await post(body, null))).toEqual(refused);
    expect(refusal(await post(body, fake.sign(body, SECRET, Math.floor(Date.now() / 1000) - 600)))).toEqual(refused);
    const tampered = body.replace('"amount_total":3750', '"amount_total":1');
    expect(refusal(await post(tampered, fake.sign(body, SECRET)))).toEqual(refused);
    expect(await rt.db.webhookEvent.count()).toBe(seen);
    expect(await orderStatus(order.id)).toBe('awaiting_payment');
    expect(toCustomer('duda-forged')).toBe('');
  });

  it('holds the order for review and logs an error when Stripe reports another amount', async () => {
    const { order, sessionId } = await checkoutAs('edu-mismatch');
    expect((await post(fake.event('checkout.session.completed', fake.pay(sessionId, { amountTotal: 100 })))).status).toBe(200);
    expect(await orderStatus(order.id)).toBe('review');
    expect(errors.some((line) => line.includes(order.number) && line.includes('amount mismatch'))).toBe(true);
    expect(toCustomer('edu-mismatch')).not.toContain('Pagamento recebido');
  });

  it('cancels an unpaid order when the customer says "cancelar" and expires its Checkout page', async () => {
    const { chat, order, sessionId } = await checkoutAs('fabi-cancels');
    expect(plain(await chat.say('cancelar'))).toContain(`O pedido ${order.number} foi cancelado. Nada foi cobrado.`);
    expect(await orderStatus(order.id)).toBe('cancelled');
    expect(fake.sessions.get(sessionId)?.status).toBe('expired');
    expect((await post(fake.event('checkout.session.expired', fake.sessions.get(sessionId) ?? fake.expire(sessionId)))).status).toBe(200);
    expect(await orderStatus(order.id)).toBe('cancelled');
  });

  it('refunds a paid order through Stripe when the shop marks it refunded, and tells the customer', async () => {
    const { order, sessionId } = await checkoutAs('gabi-refund');
    await post(fake.event('checkout.session.completed', fake.pay(sessionId)));
    const result = await markOrder({ db: rt.db, providers: [provider] }, order.number, 'refunded');
    expect(result).toMatchObject({ applied: true, from: 'paid', to: 'refunded' });
    const paidIntent = fake.sessions.get(sessionId)?.payment_intent;
    expect(fake.refunds).toEqual([expect.objectContaining({ id: result.refundRef, payment_intent: paidIntent, amount: 3750, currency: 'brl' })]);
    expect(await orderStatus(order.id)).toBe('refunded');

    await rt.engine.notify(order.conversationId, { kind: 'system', event: 'order.refunded', data: { orderId: order.id } });
    await rt.engine.idle();
    expect(toCustomer('gabi-refund')).toContain(`O pedido ${order.number} em Padaria São Jorge foi reembolsado: R$ 37,50.`);

    const again = await markOrder({ db: rt.db, providers: [provider] }, order.number, 'refunded');
    expect(again.applied).toBe(false);
    expect(fake.refunds).toHaveLength(1);
  });

  it('applies a refund made in Stripe\'s dashboard: the order is refunded and the customer told, once', async () => {
    const { order, sessionId } = await checkoutAs('olga-dashboard');
    await post(fake.event('checkout.session.completed', fake.pay(sessionId)));
    const intent = fake.sessions.get(sessionId)?.payment_intent;
    expect(await rt.db.payment.findFirstOrThrow({ where: { providerRef: sessionId } })).toMatchObject({ status: 'succeeded', paidRef: intent });

    // A partial refund leaves the order paid.
    expect((await post(fake.event('charge.refunded', fake.refundInDashboard(sessionId, 1000)))).status).toBe(200);
    expect(await orderStatus(order.id)).toBe('paid');

    const refunded = fake.event('charge.refunded', fake.refundInDashboard(sessionId));
    expect((await post(refunded)).status).toBe(200);
    expect((await post(refunded)).status).toBe(200);
    expect(await orderStatus(order.id)).toBe('refunded');
    expect(await rt.db.payment.findFirstOrThrow({ where: { providerRef: sessionId } })).toMatchObject({ status: 'refunded' });
    expect(toCustomer('olga-dashboard').match(/foi reembolsado: R\$ 37,50/g)).toHaveLength(1);
    expect(fake.refunds.some((r) => r.payment_intent === intent)).toBe(false);
  });

  it('records a second payment from a replaced page against the paid order, flags it for the shop and refunds it on its own', async () => {
    const { chat, order, sessionId: oldSession } = await checkoutAs('paulo-pays-twice');
    await post(fake.event('checkout.session.expired', fake.expire(oldSession)));
    await chat.say(optionNumber(toCustomer('paulo-pays-twice'), 'Novo link de pagamento'));
    const link = chat.last.find((m) => m.kind === 'paymentLink');
    const newSession = link?.kind === 'paymentLink' ? link.url.split('/').pop() ?? '' : '';
    expect(newSession).not.toBe(oldSession);

    // The customer pays the old page they still had open, then the new one.
    expect((await post(fake.event('checkout.session.completed', fake.pay(oldSession)))).status).toBe(200);
    expect((await post(fake.event('checkout.session.completed', fake.pay(newSession)))).status).toBe(200);
    expect(await orderStatus(order.id)).toBe('paid');
    expect(toCustomer('paulo-pays-twice').match(/Pagamento recebido/g)).toHaveLength(1);
    const payments = await rt.db.payment.findMany({ where: { orderId: order.id }, orderBy: { createdAt: 'asc' } });
    expect(payments.map((p) => [p.providerRef, p.status])).toEqual([[oldSession, 'succeeded'], [newSession, 'succeeded']]);
    const flagged = await rt.db.orderEvent.findFirstOrThrow({ where: { orderId: order.id, type: 'extra_payment' } });
    expect(flagged).toMatchObject({ fromState: 'paid', toState: 'paid', applied: true });
    expect(JSON.parse(flagged.detail)).toMatchObject({ providerRef: newSession, paidRef: fake.sessions.get(newSession)?.payment_intent });

    const result = await refundPayment({ db: rt.db, providers: [provider] }, order.number, newSession);
    expect(result).toMatchObject({ orderRefunded: false });
    expect(fake.refunds).toContainEqual(expect.objectContaining({ id: result.refundRef, payment_intent: fake.sessions.get(newSession)?.payment_intent }));
    expect(await orderStatus(order.id)).toBe('paid');
    expect(await rt.db.payment.findFirstOrThrow({ where: { providerRef: newSession } })).toMatchObject({ status: 'refunded' });
    // Stripe then reports that refund: the order stays paid by the other payment.
    expect((await post(fake.event('charge.refunded', fake.refundInDashboard(newSession)))).status).toBe(200);
    expect(await orderStatus(order.id)).toBe('paid');
    expect(toCustomer('paulo-pays-twice')).not.toContain('reembolsado');

    // A full refund of the order gives back the payment left, with its own idempotency key.
    const full = await markOrder({ db: rt.db, providers: [provider] }, order.number, 'refunded');
    expect(full).toMatchObject({ applied: true, to: 'refunded' });
    expect(fake.refunds.filter((r) => r.metadata['orderId'] === order.id).map((r) => r.payment_intent).sort())
      .toEqual([fake.sessions.get(oldSession)?.payment_intent, fake.sessions.get(newSession)?.payment_intent].sort());
  });

  it('records a payment of another amount that arrives after the order was cancelled, flagged for the shop', async () => {
    const { chat, order, sessionId } = await checkoutAs('rita-cancelled-paid');
    await chat.say('cancelar');
    expect((await post(fake.event('checkout.session.completed', fake.pay(sessionId, { amountTotal: 100 })))).status).toBe(200);
    expect(await orderStatus(order.id)).toBe('cancelled');
    expect(await rt.db.payment.findFirstOrThrow({ where: { providerRef: sessionId } })).toMatchObject({ status: 'succeeded', paidRef: fake.sessions.get(sessionId)?.payment_intent });
    expect(await rt.db.orderEvent.count({ where: { orderId: order.id, type: 'extra_payment' } })).toBe(1);
    expect((await refundPayment({ db: rt.db, providers: [provider] }, order.number, sessionId)).orderRefunded).toBe(false);
    expect(fake.refunds.some((r) => r.payment_intent === fake.sessions.get(sessionId)?.payment_intent)).toBe(true);
  });

  it('opens one Checkout Session when the create request is retried after a lost response', async () => {
    fake.dropNextCreateResponse();
    const { order, sessionId } = await checkoutAs('hugo-retry');
    const creates = fake.requests.filter((r) => r.idempotencyKey === `order-${order.id}-v0`);
    expect(creates).toHaveLength(2);
    expect([...fake.sessions.values()].filter((s) => s.metadata['orderId'] === order.id).map((s) => s.id)).toEqual([sessionId]);
    const forPayment = { ...order, businessName: 'Padaria São Jorge', country: 'BR', items: [{ sku: 'PAO-QUEIJO', name: 'Pão de queijo', unitPriceMinor: 1250, quantity: 3 }] };
    expect((await provider.createPayment(forPayment)).providerRef).toBe(sessionId);
  });

  it('still tells a customer who went back to shopping that the payment arrived', async () => {
    const { chat, order, sessionId } = await checkoutAs('jana-moves-on');
    expect(plain(await chat.say('recomeçar'))).toContain('O que você está procurando?');
    expect((await post(fake.event('checkout.session.completed', fake.pay(sessionId)))).status).toBe(200);
    expect(toCustomer('jana-moves-on')).toContain(`Pagamento recebido para o pedido ${order.number} em Padaria São Jorge (R$ 37,50), obrigado!`);
    expect(plain(await chat.say('padaria'))).toContain('Padaria São Jorge');
  });

  it('offers a new link when an asynchronous payment fails', async () => {
    const { order, sessionId } = await checkoutAs('kai-declined');
    const session = fake.sessions.get(sessionId);
    if (!session) throw new Error('no session');
    Object.assign(session, { status: 'complete', payment_status: 'unpaid', payment_intent: 'pi_pending_transfer' });
    expect((await post(fake.event('checkout.session.completed', session))).status).toBe(200);
    expect(await orderStatus(order.id)).toBe('awaiting_payment');
    expect((await post(fake.event('checkout.session.async_payment_failed', session))).status).toBe(200);
    expect(await orderStatus(order.id)).toBe('expired');
    expect(toCustomer('kai-declined')).toContain(`O pagamento do pedido ${order.number} não foi aprovado. Quer tentar de novo com um novo link?`);
  });

  it('processes one of two identical deliveries that arrive at the same time', async () => {
    const { order, sessionId } = await checkoutAs('lia-concurrent');
    const body = fake.event('checkout.session.completed', fake.pay(sessionId));
    const other = fake.event('checkout.session.completed', fake.sessions.get(sessionId) ?? fake.pay(sessionId));
    const results = await Promise.all([post(body), post(body), post(other)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await orderStatus(order.id)).toBe('paid');
    expect(toCustomer('lia-concurrent').match(/Pagamento recebido/g)).toHaveLength(1);
  });

  it('keeps the order and offers a new link when Stripe refuses to open the page', async () => {
    fake.refuseNextCreate('Amount must convert to at least 50 cents.');
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'mia-refused', locale: 'pt-BR' });
    await chat.say('oi');
    const shop = await chat.say(optionNumber(await chat.say('padaria'), 'Padaria São Jorge'));
    await chat.say(optionNumber(await chat.say(optionNumber(shop, 'Salgados')), 'Pão de queijo'));
    await chat.say('1');
    const cart = plain(await chat.say('carrinho'));
    const refused = plain(await chat.say(optionNumber(cart, 'Finalizar compra')));
    expect(refused).toMatch(/O pedido VT-[A-Z0-9]{6} foi registrado, mas não foi possível abrir a página de pagamento agora/);
    const order = await rt.db.order.findFirstOrThrow({ where: { conversation: { customer: { externalId: 'mia-refused' } } } });
    expect(order.status).toBe('expired');

    const retried = plain(await chat.say(optionNumber(refused, 'Novo link de pagamento')));
    expect(retried).toContain(`Pagar R$ 12,50: ${fake.url}/c/pay/cs_test_`);
    expect(await orderStatus(order.id)).toBe('awaiting_payment');
  });

  it('says nothing for a system event the current step does not handle', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'ivo-idle', locale: 'pt-BR' });
    await chat.say('oi');
    const conversation = await rt.db.conversation.findFirstOrThrow({ where: { customer: { externalId: 'ivo-idle' } } });
    const admission = await rt.engine.notify(conversation.id, { kind: 'system', event: 'order.shipped', data: { orderId: 'none' } });
    await rt.engine.idle();
    expect(await rt.engine.store.entry(admission.id)).toMatchObject({ status: 'done', replies: [] });
    expect(toCustomer('ivo-idle')).toBe('');
    expect(plain(await chat.say('padaria'))).toContain('Padaria São Jorge');
  });
});
