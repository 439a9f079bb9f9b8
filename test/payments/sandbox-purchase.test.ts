import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebchatMessage } from '../../adapters/webchat/index.ts';
import { SANDBOX_SIGNATURE_HEADER, type SandboxPaymentProvider } from '../../adapters/payments/sandbox/index.ts';
import { readOrder } from '../../engine/index.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { Client, messages, optionId } from '../support/webchat-client.ts';

let rt: TestRuntime;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  // As `npm start` with no keys: the example bots pay through the sandbox.
  rt = await createTestRuntime();
  app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await rt?.dispose();
});

/** A web chat customer of the directory who checks out two Pão francês and gets the payment link. */
async function buyBread(): Promise<{ client: Client; link: Extract<WebchatMessage, { kind: 'paymentLink' }>; orderNumber: string }> {
  const client = await Client.open(`${base.replace('http', 'ws')}/ws`);
  client.send({ type: 'hello', botId: 'directory' });
  await client.until((f) => f.type === 'welcome');
  const found = await client.say('padaria');
  const categories = await client.tap(optionId(found, (l) => l === 'Padaria São Jorge'));
  const products = await client.tap(optionId(categories, (l) => l === 'Pães'));
  await client.tap(optionId(products, (l) => l.startsWith('Pão francês')));
  await client.say('2');
  const cart = await client.say('cart');
  const status = (await client.tap(optionId(cart, (l) => l === 'Check out'), 'orderStatus')).find((m) => m.kind === 'orderStatus');
  const link = messages(await client.until((f) => f.type === 'message' && f.message.kind === 'paymentLink')).at(-1);
  if (status?.kind !== 'orderStatus' || link?.kind !== 'paymentLink') throw new Error('no order or no payment link');
  return { client, link, orderNumber: status.orderNumber };
}

/** The page of a link (links carry PUBLIC_URL; the test server listens elsewhere). */
const pagePath = (url: string): string => new URL(url).pathname;
const breadStock = async () => (await rt.db.product.findFirstOrThrow({ where: { sku: 'PAO-FRANCES', business: { slug: 'padaria-sao-jorge' } } })).stock;
/** How the page's buttons post: an HTML form with nothing in it. */
const PRESS = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' } as const;
const isText = (m: WebchatMessage, text: string) => 'text' in m && typeof m.text === 'string' && m.text.includes(text);

describe('a test payment through the sandbox, with no account anywhere', () => {
  it('buys in the web chat, pays on the sandbox page and gets the receipt in the chat, once', async () => {
    const stockBefore = await breadStock();
    const { client, link, orderNumber } = await buyBread();
    expect(link.label).toBe('Pay R$1.80 (test)');
    expect(link.text).toContain('no money moves');
    expect(link.url).toMatch(/^http:\/\/localhost:3000\/sandbox\/pay\/sbx_/);
    expect(await breadStock()).toBe((stockBefore ?? 0) - 2);

    const page = await fetch(`${base}${pagePath(link.url)}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const shown of ['TEST MODE', 'no money moves', `Order ${orderNumber} at Padaria São Jorge`, '2 × Pão francês', 'R$1.80', 'Pay (test)', 'Fail (test)']) expect(html).toContain(shown);

    const paid = await fetch(`${base}${pagePath(link.url)}/pay`, PRESS);
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('Paid (test)');
    const receipt = messages(await client.until((f) => f.type === 'message' && isText(f.message, `Receipt for order ${orderNumber}`)));
    expect(receipt.at(-1)).toMatchObject({ kind: 'orderStatus' });

    const order = await rt.db.order.findUniqueOrThrow({ where: { number: orderNumber } });
    expect(order.status).toBe('paid');
    // The event came in through the webhook route and the journal, like a real provider's.
    expect(await rt.db.inboundEvent.count({ where: { channel: 'sandbox' } })).toBeGreaterThanOrEqual(1);

    // Pressing Pay again says the order is paid and changes nothing.
    const again = await fetch(`${base}${pagePath(link.url)}/pay`, PRESS);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(`Order ${orderNumber} is paid: nothing was changed`);
    // The same signed event delivered again is kept once.
    const sandbox = rt.payments.find((p) => p.id === 'sandbox') as SandboxPaymentProvider;
    const ref = decodeURIComponent(pagePath(link.url).split('/').at(-1) ?? '');
    const delivery = sandbox.delivery(await readOrder(rt.db, order.id), ref, 'paid');
    expect((await fetch(`${base}/webhooks/payments/sandbox`, { method: 'POST', headers: delivery.headers, body: delivery.body })).status).toBe(200);
    await rt.engine.idle();
    expect(await rt.db.webhookEvent.count({ where: { eventId: JSON.parse(delivery.body).id } })).toBe(1);
    expect(await rt.db.payment.count({ where: { orderId: order.id, status: 'succeeded' } })).toBe(1);
    expect((await rt.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('paid');
    expect(await breadStock()).toBe((stockBefore ?? 0) - 2);
    const receipts = messages(client.frames).filter((m) => isText(m, `Receipt for order ${orderNumber}`));
    expect(receipts).toHaveLength(1);
    client.ws.close();
  });

  it('fails on Fail: the customer is told in the chat, the stock comes back, and a new link can be paid', async () => {
    const stockBefore = await breadStock();
    const { client, link, orderNumber } = await buyBread();
    const failed = await fetch(`${base}${pagePath(link.url)}/fail`, PRESS);
    expect(failed.status).toBe(200);
    expect(await failed.text()).toContain('Payment failed (test)');
    const told = messages(await client.until((f) => f.type === 'message' && f.message.kind === 'choice' && isText(f.message, `order ${orderNumber} did not go through`)));
    expect((await rt.db.order.findUniqueOrThrow({ where: { number: orderNumber } })).status).toBe('expired');
    expect(await breadStock()).toBe(stockBefore);

    // The failed page's buttons now say so; a new link is a new page that works.
    expect((await fetch(`${base}${pagePath(link.url)}/pay`, PRESS)).status).toBe(409);
    client.send({ type: 'choice', optionId: optionId(told, (l) => l === 'New payment link') });
    const fresh = messages(await client.until((f) => f.type === 'message' && f.message.kind === 'paymentLink')).at(-1);
    if (fresh?.kind !== 'paymentLink') throw new Error('no new link');
    expect(fresh.url).not.toBe(link.url);
    expect((await fetch(`${base}${pagePath(link.url)}`)).status).toBe(409);
    expect((await fetch(`${base}${pagePath(fresh.url)}/pay`, PRESS)).status).toBe(200);
    await client.until((f) => f.type === 'message' && isText(f.message, `Receipt for order ${orderNumber}`));
    expect((await rt.db.order.findUniqueOrThrow({ where: { number: orderNumber } })).status).toBe('paid');
    expect(await breadStock()).toBe((stockBefore ?? 0) - 2);
    client.ws.close();
  });

  it('refuses an unsigned or forged sandbox webhook with 401 and keeps nothing', async () => {
    const before = await rt.db.inboundEvent.count({ where: { channel: 'sandbox' } });
    const body = JSON.stringify({ id: 'sbxevt_forged', type: 'payment.succeeded', created: 1, livemode: false, data: { ref: 'sbx_x_v1', orderId: 'x', amount: { minor: 1, currency: 'BRL' } } });
    const send = (headers: Record<string, string>) => fetch(`${base}/webhooks/payments/sandbox`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const unsigned = await send({});
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { code: 'VT_ERR_WEBHOOK_SIGNATURE' } });
    const t = Math.floor(Date.now() / 1000);
    expect((await send({ [SANDBOX_SIGNATURE_HEADER]: `t=${t},v1=${'0'.repeat(64)}` })).status).toBe(401);
    expect(await rt.db.inboundEvent.count({ where: { channel: 'sandbox' } })).toBe(before);
  });

  it('answers a link it never issued with 404', async () => {
    const res = await fetch(`${base}/sandbox/pay/sbx_nothing_v1`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Unknown payment');
  });
});
