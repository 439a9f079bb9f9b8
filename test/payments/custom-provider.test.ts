import { createHmac, timingSafeEqual } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../adapters/console/index.ts';
import { channelSender } from '../../adapters/kit/index.ts';
import { createPaymentProviders, type ChannelAdapter, type OrderForPayment, type PaymentProvider, type PaymentProviderDescriptor, type PaymentUpdate, type PaymentWebhook } from '../../engine/index.ts';
import { markOrder } from '../../engine/orders/shop-marks.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { createMetrics } from '../../server/metrics.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { plain } from '../support/text.ts';
import { checkoutBrazilianCustomer } from '../support/brazilian-checkout.ts';

// ---- "Acme Pay": a provider Vitrine has never heard of, written against the public types only. ----

/** An Acme webhook body. */
interface AcmeEvent {
  id: string;
  kind: 'charge.succeeded' | 'charge.failed' | 'link.expired' | 'charge.refunded' | 'account.updated';
  link?: string;
  amount?: { value: number; currency: string };
}

/** What Acme's API was asked (its side of the conversation). */
const acme = { links: [] as OrderForPayment[], refunds: [] as string[], envSeen: [] as Record<string, string>[] };

const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

/** Acme signs `<unix time>.<body>` with HMAC-SHA256: header `acme-signature: t=<time>,sig=<hex>`, five minutes' tolerance. */
function signAcme(body: string, secret: string, time = Math.floor(Date.now() / 1000)): string {
  return `t=${time},sig=${hmac(secret, `${time}.${body}`)}`;
}

function acmeWebhook(secret: string): PaymentWebhook<AcmeEvent> {
  return {
    verify({ body, headers }) {
      const header = headers['acme-signature'];
      const parts = new Map(String(header ?? '').split(',').map((kv) => kv.split('=') as [string, string]));
      const time = Number(parts.get('t'));
      const given = Buffer.from(parts.get('sig') ?? '', 'hex');
      const expected = Buffer.from(hmac(secret, `${time}.${body.toString('utf8')}`), 'hex');
      if (!Number.isFinite(time) || Math.abs(Date.now() / 1000 - time) > 300) return { ok: false, reason: 'no or old timestamp' };
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match' };
      return { ok: true, event: JSON.parse(body.toString('utf8')) as AcmeEvent };
    },
    read(event): PaymentUpdate {
      const base = { eventId: event.id, type: event.kind, ...(event.link ? { providerRef: event.link } : {}) };
      switch (event.kind) {
        case 'charge.succeeded':
          return { ...base, outcome: 'paid', ...(event.amount ? { amount: { minor: event.amount.value, currency: event.amount.currency } } : {}) };
        case 'charge.failed':
          return { ...base, outcome: 'failed' };
        case 'link.expired':
          return { ...base, outcome: 'expired' };
        case 'charge.refunded':
          return { ...base, outcome: 'refunded' };
        default:
          return { ...base, outcome: 'ignored' };
      }
    },
  };
}

const acmePayments: PaymentProviderDescriptor = {
  id: 'acme',
  env: { ACME_API_KEY: 'Acme API key', ACME_WEBHOOK_SECRET: 'Acme webhook signing secret' },
  create(env): PaymentProvider | undefined {
    acme.envSeen.push({ ...env });
    if (!env['ACME_API_KEY']) return undefined;
    return {
      id: 'acme',
      async createPayment(order) {
        acme.links.push(order);
        const ref = `acme_${order.id}_v${order.version}`;
        return { kind: 'redirect', providerRef: ref, url: `https://pay.acme.test/l/${ref}` };
      },
      async refund(providerRef) {
        acme.refunds.push(providerRef);
        return { refundRef: `acme_refund_${acme.refunds.length}` };
      },
      webhook: acmeWebhook(env['ACME_WEBHOOK_SECRET'] ?? ''),
    };
  },
};

// ---- The test: Vitrine's server with Acme configured, nothing else changed. ----

const SECRET = 'acme-signing-secret';
const metrics = createMetrics();
let rt: TestRuntime;
let app: FastifyInstance;
let base: string;
let botRoot: string;
const sent: { customerId: string; text: string }[] = [];

/** A console channel whose sends are recorded: what the customer would read. */
function recordingConsole(): ChannelAdapter<string> {
  return { ...createConsoleAdapter(), async send(to, rendered) {
    for (const text of rendered) sent.push({ customerId: to.customerId, text: plain(text) });
  } };
}

beforeAll(async () => {
  botRoot = mkdtempSync(path.join(tmpdir(), 'vitrine-acme-bot-'));
  const botDir = path.join(botRoot, 'directory');
  cpSync(path.join(BOTS_DIR, 'directory'), botDir, { recursive: true });
  const yaml = path.join(botDir, 'bot.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/provider: sandbox/, 'provider: acme'));
  const env = { ACME_API_KEY: ' acme_key ', ACME_WEBHOOK_SECRET: SECRET, STRIPE_SECRET_KEY: 'sk_test_not_for_acme' };
  const payments = createPaymentProviders([acmePayments], env, { publicUrl: 'https://shop.example', logger: pino({ level: 'silent' }) });
  rt = await createTestRuntime({ botDirs: [botDir], payments, engine: { observer: metrics.engine } });
  app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }), metrics });
  rt.engine.outbox.register(channelSender(recordingConsole()));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await rt?.dispose();
  rmSync(botRoot, { recursive: true, force: true });
});

let seq = 0;
const acmeEvent = (event: Omit<AcmeEvent, 'id'>): string => JSON.stringify({ id: `ae_${++seq}_${Date.now()}`, ...event });

/** Posts an Acme delivery to its route over HTTP, signed unless told otherwise, and waits for the journal's worker. */
async function deliver(body: string, signature: string | null = signAcme(body, SECRET), url = `${base}/webhooks/payments/acme`) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'acme-signature': signature } : {}) }, body });
  await rt.engine.idle();
  return { status: res.status, json: (await res.json()) as unknown };
}

const toCustomer = (customerId: string) => sent.filter((s) => s.customerId === customerId).map((s) => s.text).join('\n');
const orderStatus = async (orderId: string) => (await rt.db.order.findUniqueOrThrow({ where: { id: orderId } })).status;

/** Walks a Brazilian customer to checkout with three pães de queijo (R$ 37,50); `ref` ends its payment page's address. */
async function checkoutAs(customerId: string) {
  const { chat, reply, order, link } = await checkoutBrazilianCustomer(rt.engine, rt.db, customerId);
  return { chat, reply, order, ref: link.url.split('/').pop() ?? '' };
}

describe('a payment provider defined outside Vitrine', () => {
  it('gets only the environment variables it declared, trimmed', () => {
    expect(acme.envSeen).toEqual([{ ACME_API_KEY: 'acme_key', ACME_WEBHOOK_SECRET: SECRET }]);
  });

  it('opens its page at checkout, and its signed webhook marks the order paid and sends the customer a receipt', async () => {
    const { reply, order, ref } = await checkoutAs('acme-ana');
    expect(reply).toContain(`Pagar R$ 37,50: https://pay.acme.test/l/${ref}`);
    expect(acme.links.at(-1)).toMatchObject({ id: order.id, number: order.number, totalMinor: 3750, currency: 'BRL', locale: 'pt-BR', items: [{ sku: 'PAO-QUEIJO', quantity: 3, unitPriceMinor: 1250 }] });
    expect(await rt.db.payment.findFirstOrThrow({ where: { orderId: order.id } })).toMatchObject({ provider: 'acme', providerRef: ref, status: 'pending' });
    expect(toCustomer('acme-ana')).toBe('');

    const paid = acmeEvent({ kind: 'charge.succeeded', link: ref, amount: { value: 3750, currency: 'BRL' } });
    expect(await deliver(paid)).toEqual({ status: 200, json: { received: true } });
    expect(await orderStatus(order.id)).toBe('paid');
    expect(await rt.db.payment.findFirstOrThrow({ where: { orderId: order.id } })).toMatchObject({ status: 'succeeded' });
    expect(toCustomer('acme-ana')).toContain(`Recibo do pedido ${order.number} em Padaria São Jorge: R$ 37,50.`);
    expect(toCustomer('acme-ana')).toContain('Pagamento recebido, obrigado!');

    // A redelivery is kept once and says nothing more.
    expect((await deliver(paid)).status).toBe(200);
    expect(toCustomer('acme-ana').match(/Pagamento recebido/g)).toHaveLength(1);
    expect(await rt.db.inboundEvent.count({ where: { channel: 'acme', messageId: JSON.parse(paid).id } })).toBe(1);
  });

  it('refuses a delivery with a wrong, missing or old signature with 401 VT_ERR_WEBHOOK_SIGNATURE, admits nothing and counts it', async () => {
    const { order, ref } = await checkoutAs('acme-bia');
    const body = acmeEvent({ kind: 'charge.succeeded', link: ref, amount: { value: 3750, currency: 'BRL' } });
    const admitted = await rt.db.inboundEvent.count({ where: { channel: 'acme' } });
    const recorded = await rt.db.webhookEvent.count();
    expect(await deliver(body, signAcme(body, 'someone-else'))).toEqual({ status: 401, json: { error: { code: 'VT_ERR_WEBHOOK_SIGNATURE', message: 'The signature is missing or does not match' } } });
    expect((await deliver(body, null)).status).toBe(401);
    expect((await deliver(body, signAcme(body, SECRET, Math.floor(Date.now() / 1000) - 600))).status).toBe(401);
    expect((await deliver(body.replace('3750', '1'), signAcme(body, SECRET))).status).toBe(401);
    expect(await rt.db.inboundEvent.count({ where: { channel: 'acme' } })).toBe(admitted);
    expect(await rt.db.webhookEvent.count()).toBe(recorded);
    expect(await orderStatus(order.id)).toBe('awaiting_payment');
    expect(toCustomer('acme-bia')).toBe('');
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('vitrine_webhook_signature_rejections_total{route="/webhooks/payments/acme"} 4');
  });

  it('tells the customer when its link expired, and holds a payment of another amount for review', async () => {
    const late = await checkoutAs('acme-caio');
    expect((await deliver(acmeEvent({ kind: 'link.expired', link: late.ref }))).status).toBe(200);
    expect(await orderStatus(late.order.id)).toBe('expired');
    expect(toCustomer('acme-caio')).toContain(`A página de pagamento do pedido ${late.order.number} expirou antes do pagamento.`);

    const short = await checkoutAs('acme-duda');
    expect((await deliver(acmeEvent({ kind: 'charge.succeeded', link: short.ref, amount: { value: 100, currency: 'BRL' } }))).status).toBe(200);
    expect(await orderStatus(short.order.id)).toBe('review');
    expect(toCustomer('acme-duda')).not.toContain('Pagamento recebido');
  });

  it('refunds through the provider when the shop marks the order refunded, and a refund it reports later changes nothing', async () => {
    const { order, ref } = await checkoutAs('acme-edu');
    await deliver(acmeEvent({ kind: 'charge.succeeded', link: ref, amount: { value: 3750, currency: 'BRL' } }));
    const result = await markOrder({ db: rt.db, providers: rt.payments }, order.number, 'refunded');
    expect(result).toMatchObject({ applied: true, from: 'paid', to: 'refunded', refundRef: expect.stringMatching(/^acme_refund_/) });
    expect(acme.refunds).toEqual([ref]);
    expect((await deliver(acmeEvent({ kind: 'charge.refunded', link: ref }))).status).toBe(200);
    expect(await orderStatus(order.id)).toBe('refunded');
    expect(toCustomer('acme-edu')).not.toContain('reembolsado');
  });

  it('applies a refund made at the provider and tells the customer', async () => {
    const { order, ref } = await checkoutAs('acme-fabi');
    await deliver(acmeEvent({ kind: 'charge.succeeded', link: ref, amount: { value: 3750, currency: 'BRL' } }));
    expect((await deliver(acmeEvent({ kind: 'charge.refunded', link: ref }))).status).toBe(200);
    expect(await orderStatus(order.id)).toBe('refunded');
    expect(await rt.db.payment.findFirstOrThrow({ where: { orderId: order.id } })).toMatchObject({ status: 'refunded' });
    expect(toCustomer('acme-fabi')).toContain(`O pedido ${order.number} em Padaria São Jorge foi reembolsado: R$ 37,50.`);
  });

  it('keeps an event it does not act on, and has no route for a provider that is not configured', async () => {
    const other = acmeEvent({ kind: 'account.updated' });
    expect((await deliver(other)).status).toBe(200);
    expect(await rt.db.webhookEvent.count({ where: { provider: 'acme', eventId: JSON.parse(other).id, type: 'account.updated' } })).toBe(1);
    const res = await fetch(`${base}/webhooks/payments/stripe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
  });
});
