import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { stripePayments } from '../../adapters/payments/stripe/index.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { paymentProvidersFromEnv } from '../../server/payments.ts';
import { startFakeStripe, type FakeStripe } from '../../adapters/kit/testing/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

const SECRET = 'whsec_server_test';
let fake: FakeStripe;
let rt: TestRuntime;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  fake = await startFakeStripe();
  vi.stubEnv('STRIPE_SECRET_KEY', 'sk_test_server');
  vi.stubEnv('STRIPE_WEBHOOK_SECRET', SECRET);
  vi.stubEnv('STRIPE_API_URL', fake.url);
  // As `npm start` does: the environment is read once, the routes use the providers it built.
  const config = loadServerConfig({ PORT: '0' });
  rt = await createTestRuntime({ payments: paymentProvidersFromEnv(process.env, { publicUrl: config.publicUrl, logger: pino({ level: 'silent' }) }) });
  app = await buildApp({ runtime: rt, config });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await app?.close();
  await rt?.dispose();
  await fake?.close();
});

describe('the server with Stripe settings in the environment', () => {
  it('verifies webhooks over the raw body the app keeps, and answers 200 for a signed event and 401 VT_ERR_WEBHOOK_SIGNATURE for a forged one', async () => {
    const client = stripePayments.create({ STRIPE_SECRET_KEY: 'sk_test_server', STRIPE_API_URL: fake.url }, { publicUrl: base, logger: pino({ level: 'silent' }) })?.client;
    const session = await client?.checkout.sessions.create({
      mode: 'payment', success_url: 'https://shop.example/ok', cancel_url: 'https://shop.example/no',
      line_items: [{ quantity: 1, price_data: { currency: 'gbp', unit_amount: 250, product_data: { name: 'Tea' } } }],
    });
    // A session that is not one of our orders: processed (200) and left alone.
    const body = fake.event('checkout.session.completed', fake.pay(session?.id ?? ''));
    const send = (signature: string) => fetch(`${base}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body });
    const forged = await send(fake.sign(body, 'whsec_wrong'));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: { code: 'VT_ERR_WEBHOOK_SIGNATURE', message: 'The signature is missing or does not match' } });
    const ok = await send(fake.sign(body, SECRET));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: true });
    // The 200 means the event is kept in the journal; the worker applies it.
    const eventId: string = JSON.parse(body).id;
    expect(await rt.db.inboundEvent.count({ where: { channel: 'stripe', messageId: eventId } })).toBe(1);
    await rt.engine.idle();
    expect(await rt.db.webhookEvent.count({ where: { eventId } })).toBe(1);
    // The shared route of payment providers is the same endpoint: a redelivery there is kept once.
    const shared = await fetch(`${base}/webhooks/payments/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': fake.sign(body, SECRET) }, body });
    expect(shared.status).toBe(200);
    expect((await fetch(`${base}/webhooks/payments/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': fake.sign(body, 'whsec_wrong') }, body })).status).toBe(401);
    await rt.engine.idle();
    expect(await rt.db.inboundEvent.count({ where: { channel: 'stripe', messageId: eventId } })).toBe(1);
    expect(await rt.db.webhookEvent.count({ where: { eventId } })).toBe(1);
  });

  it('serves the pages Checkout returns customers to, in their language', async () => {
    const res = await fetch(`${base}/paid`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('go back to the chat');
    expect(await (await fetch(`${base}/paid?session=cs_1&locale=pt-BR`)).text()).toContain('Seu pagamento está sendo confirmado');
    expect(await (await fetch(`${base}/payment-cancelled`, { headers: { 'accept-language': 'id-ID,id;q=0.9' } })).text()).toContain('Tidak ada yang ditagih');
  });

  it('builds the provider from the environment with return URLs on the public URL', () => {
    const context = { publicUrl: base, logger: pino({ level: 'silent' }) };
    expect(paymentProvidersFromEnv({}, context).map((p) => p.id)).toEqual(['record', 'cash', 'sandbox']);
    const stripe = paymentProvidersFromEnv({ STRIPE_SECRET_KEY: ' sk_test_x ', STRIPE_WEBHOOK_SECRET: '' }, context).find((p) => p.id === 'stripe');
    expect(stripe?.id).toBe('stripe');
    // A blank webhook secret counts as unset: no webhook to mount.
    expect(stripe?.webhook).toBeUndefined();
  });
});
