import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeClient } from '../../payments/stripe/index.ts';
import { createWhatsAppAdapter } from '../../whatsapp/index.ts';
import { startFakeGraph, startFakeStripe, type FakeGraphApi, type FakeStripe } from './index.ts';

describe('the fake Stripe of vitrine/testing', () => {
  let fake: FakeStripe;
  let stripe: Stripe;
  beforeAll(async () => {
    fake = await startFakeStripe();
    stripe = createStripeClient('sk_test_fakes', fake.url);
  });
  afterAll(() => fake?.close());

  const create = (key: string) => stripe.checkout.sessions.create({
    mode: 'payment', success_url: 'https://shop.example/paid', cancel_url: 'https://shop.example/cancelled', client_reference_id: 'VT-1', metadata: { orderId: 'o1' },
    line_items: [{ quantity: 2, price_data: { currency: 'brl', unit_amount: 750, product_data: { name: 'Pão de queijo' } } }],
  }, { idempotencyKey: key });

  it('answers the real SDK in Stripe\'s shapes: a session is created once per idempotency key, retrieved, expired and refunded', async () => {
    const session = await create('order-o1');
    expect(session).toMatchObject({ object: 'checkout.session', status: 'open', amount_total: 1500, currency: 'brl', client_reference_id: 'VT-1', metadata: { orderId: 'o1' } });
    expect(session.url).toBe(`${fake.url}/c/pay/${session.id}`);
    expect((await create('order-o1')).id).toBe(session.id);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
    expect(fake.requests.filter((r) => r.path === '/v1/checkout/sessions').map((r) => r.idempotencyKey)).toEqual(['order-o1', 'order-o1']);

    const paid = fake.pay(session.id);
    const refund = await stripe.refunds.create({ payment_intent: paid.payment_intent ?? '' });
    expect(refund).toMatchObject({ object: 'refund', amount: 1500, currency: 'brl', status: 'succeeded' });
    await expect(stripe.refunds.create({ payment_intent: paid.payment_intent ?? '' })).rejects.toMatchObject({ type: 'StripeInvalidRequestError', code: 'charge_already_refunded' });

    const other = await create('order-o2');
    expect((await stripe.checkout.sessions.expire(other.id)).status).toBe('expired');
    await expect(stripe.checkout.sessions.retrieve('cs_test_missing')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('limits a session to the methods asked for, and refuses one that cannot take its currency, as Stripe does', async () => {
    const line = (currency: string) => [{ quantity: 1, price_data: { currency, unit_amount: 900, product_data: { name: 'Pão' } } }];
    const brl = await stripe.checkout.sessions.create({ mode: 'payment', line_items: line('brl'), success_url: 'http://x/ok', allowed_payment_method_types: ['card', 'pix'] });
    expect(brl.payment_method_types).toEqual(['card', 'pix']);
    await expect(stripe.checkout.sessions.create({ mode: 'payment', line_items: line('gbp'), success_url: 'http://x/ok', allowed_payment_method_types: ['card', 'pix'] }))
      .rejects.toThrow('The payment method type `pix` does not support the currency `gbp`.');
  });

  it('refuses a key that is not a test key, as Stripe does', async () => {
    const live = createStripeClient('rk_live_nope', fake.url);
    await expect(live.checkout.sessions.retrieve('cs_test_x')).rejects.toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401 });
  });

  it('signs its events so that the SDK\'s own webhook check accepts them, and only with the right secret', async () => {
    const session = await create('order-o3');
    const body = fake.event('checkout.session.completed', fake.pay(session.id));
    const event = stripe.webhooks.constructEvent(body, fake.sign(body, 'whsec_fakes'), 'whsec_fakes');
    expect(event.type).toBe('checkout.session.completed');
    expect(event.data.object).toMatchObject({ id: session.id, payment_status: 'paid', amount_total: 1500 });
    expect(() => stripe.webhooks.constructEvent(body, fake.sign(body, 'whsec_other'), 'whsec_fakes')).toThrow(Stripe.errors.StripeSignatureVerificationError);
    const old = fake.sign(body, 'whsec_fakes', Math.floor(Date.now() / 1000) - 600);
    expect(() => stripe.webhooks.constructEvent(body, old, 'whsec_fakes', 300)).toThrow(/Timestamp outside the tolerance zone/);
  });
});

describe('the fake WhatsApp Graph API of vitrine/testing', () => {
  let graph: FakeGraphApi;
  const seen: string[] = [];
  beforeAll(async () => {
    graph = await startFakeGraph({ onMessage: (call) => void seen.push(call.message.to) });
  });
  afterAll(() => graph?.close());

  const adapter = () => createWhatsAppAdapter({ accessToken: 'EAAfakes', phoneNumberId: '1234567890', graphUrl: graph.graphUrl, retry: { maxAttempts: 1 } });

  it('accepts what the real WhatsApp adapter sends, answers with a message id and records it as the customer would see it', async () => {
    const whatsapp = adapter();
    const rendered = whatsapp.render({ kind: 'choice', text: 'Which shop?', options: [{ id: 'a', label: 'Padaria' }, { id: 'b', label: 'Taquería' }] }, { locale: 'pt-BR' });
    await whatsapp.send({ botId: 'directory', customerId: '5511987654321' }, rendered);
    const [call] = graph.accepted('5511987654321');
    expect(call).toMatchObject({ path: '/v21.0/1234567890/messages', status: 200, state: 'answered', key: 'interactive | Which shop? | Padaria | Taquería' });
    expect(seen).toEqual(['5511987654321']);
    const res = await fetch(`${graph.graphUrl}/1234567890/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messaging_product: 'whatsapp', to: '447700900123', type: 'text', text: { body: 'hi' } }) });
    expect(await res.json()).toEqual({ messaging_product: 'whatsapp', contacts: [{ input: '447700900123', wa_id: '447700900123' }], messages: [{ id: 'wamid.fake.2' }] });
  });

  it('gives scripted answers first, and a Graph error to anything that is not a message send', async () => {
    graph.script({ status: 400, body: { error: { code: 131026, message: 'Message undeliverable' } } });
    await expect(adapter().send({ botId: 'directory', customerId: '5511900000001' }, adapter().render({ kind: 'text', text: 'Olá' }, { locale: 'pt-BR' }))).rejects.toThrow();
    expect(graph.calls.at(-1)).toMatchObject({ status: 400, key: 'text | Olá' });
    expect(graph.accepted('5511900000001')).toEqual([]);
    const before = graph.unexpected;
    expect((await fetch(`${graph.graphUrl}/1234567890/media`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(graph.unexpected).toBe(before + 1);
  });
});
