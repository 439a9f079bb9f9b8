import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { ORDER_STATUSES, type OrderStatus } from '../../engine/index.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { hashApiKey, type OrderView } from '../../server/routes/business-api.ts';
import { flagExtraPayment } from '../../engine/orders/order-service.ts';
import { webchatChannel } from '../../adapters/webchat/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

describe('HTTP: health, readiness and the business API over loopback', () => {
  let rt: TestRuntime;
  let app: FastifyInstance;
  let base: string;
  const padariaKey = 'vt_test-padaria-key';
  const tacoKey = 'vt_test-taqueria-key';
  const ADMIN = 'vt_admin-token-for-the-tests-0001';
  let orderNumber = '';

  beforeAll(async () => {
    rt = await createTestRuntime();
    app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const padaria = await rt.db.business.findUniqueOrThrow({ where: { botId_slug: { botId: 'directory', slug: 'padaria-sao-jorge' } } });
    const taqueria = await rt.db.business.findUniqueOrThrow({ where: { botId_slug: { botId: 'directory', slug: 'taqueria-el-guero' } } });
    await rt.db.apiKey.create({ data: { businessId: padaria.id, hash: hashApiKey(padariaKey) } });
    await rt.db.apiKey.create({ data: { businessId: taqueria.id, hash: hashApiKey(tacoKey) } });
    // A real order, bought through a conversation.
    const say = (text: string, n: number) => rt.engine.process({ kind: 'text', text, messageId: `h${n}`, channel: 'webchat', botId: 'directory', customer: { id: 'http-test-customer' } });
    let n = 0;
    for (const text of ['padaria', '1', '1', '1', '3', 'cart', 'Check out']) {
      const turn = await say(text, n++);
      const status = turn.replies.find((r) => r.kind === 'orderStatus');
      if (status?.kind === 'orderStatus') orderNumber = status.orderNumber;
    }
    expect(orderNumber).not.toBe('');
  });
  afterAll(async () => {
    await app?.close();
    await rt?.dispose();
  });

  const call = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  /** The status and catalogue code of a refused call (every error answer is `{ error: { code, message } }`). */
  const refusal = async (response: Promise<Response>): Promise<[number, string]> => {
    const res = await response;
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.message).toEqual(expect.any(String));
    return [res.status, body.error.code];
  };

  it('reports health always and readiness when the database answers', async () => {
    expect(await (await call('/health')).json()).toEqual({ status: 'ok' });
    const ready = await call('/ready');
    expect(ready.status).toBe(200);
  });

  it('serves the chat page with its bot and assets', async () => {
    const page = await call('/?bot=corner-bakery');
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('data-bot="corner-bakery"');
    // The page offers the bot's languages, each named in itself, with the page's labels from the locale files.
    const attribute = /data-languages="([^"]*)"/.exec(html)?.[1] ?? '';
    const languages = JSON.parse(attribute.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))) as { locale: string; name: string; labels: Record<string, string> }[];
    expect(languages.map((l) => [l.locale, l.name, l.labels['send']])).toEqual([
      ['en-GB', 'British English', 'Send'], ['pt-BR', 'Português (Brasil)', 'Enviar'], ['es', 'Español', 'Enviar'], ['id', 'Indonesia', 'Kirim'],
    ]);
    expect((await call('/chat.js')).status).toBe(200);
    expect((await call('/chat.css')).headers.get('content-type')).toContain('text/css');
  });

  it('refuses the API without a key or with a wrong one (401)', async () => {
    expect(await refusal(call('/api/v1/orders'))).toEqual([401, 'VT_ERR_API_KEY_INVALID']);
    expect(await refusal(call('/api/v1/orders', { key: 'vt_wrong' }))).toEqual([401, 'VT_ERR_API_KEY_INVALID']);
  });

  it("lists only the key's business's orders, filtered by status", async () => {
    const mine = (await (await call('/api/v1/orders', { key: padariaKey })).json()) as { orders: OrderView[] };
    expect(mine.orders.map((o) => o.number)).toEqual([orderNumber]);
    expect(mine.orders[0]?.totalMinor).toBe(270);
    // The status is one of the order statuses, and typed as one.
    expectTypeOf<OrderView['status']>().toEqualTypeOf<OrderStatus>();
    expect(ORDER_STATUSES).toContain(mine.orders[0]?.status);
    const paid = (await (await call('/api/v1/orders?status=paid', { key: padariaKey })).json()) as { orders: unknown[] };
    expect(paid.orders).toEqual([]);
    expect(await refusal(call('/api/v1/orders?status=lost', { key: padariaKey }))).toEqual([400, 'VT_ERR_REQUEST_INVALID']);
    const theirs = (await (await call('/api/v1/orders', { key: tacoKey })).json()) as { orders: unknown[] };
    expect(theirs.orders).toEqual([]);
  });

  it("answers another business's order exactly like a missing one (404), so order numbers cannot be probed", async () => {
    const theirs = await call(`/api/v1/orders/${orderNumber}`, { key: tacoKey });
    const missing = await call('/api/v1/orders/VT-NOPE', { key: tacoKey });
    expect(theirs.status).toBe(404);
    expect(await theirs.json()).toEqual({ error: { code: 'VT_ERR_ORDER_UNKNOWN', message: `No order ${orderNumber}` } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'VT_ERR_ORDER_UNKNOWN', message: 'No order VT-NOPE' } });
    expect(await refusal(call(`/api/v1/orders/${orderNumber}/status`, { method: 'POST', key: tacoKey, body: '{"status":"shipped"}' }))).toEqual([404, 'VT_ERR_ORDER_UNKNOWN']);
    expect((await call(`/api/v1/orders/${orderNumber}`, { key: padariaKey })).status).toBe(200);
  });

  it('moves an order paid → fulfilled → shipped only, recording every attempt', async () => {
    const url = `/api/v1/orders/${orderNumber}/status`;
    const post = (status: unknown, key = padariaKey) => call(url, { method: 'POST', key, body: JSON.stringify({ status }) });
    expect(await refusal(call(url, { method: 'POST', key: padariaKey, body: '{oops' }))).toEqual([400, 'VT_ERR_BODY_INVALID_JSON']);
    expect(await refusal(post('teleported'))).toEqual([400, 'VT_ERR_REQUEST_INVALID']);
    expect(await refusal(post('shipped', tacoKey))).toEqual([404, 'VT_ERR_ORDER_UNKNOWN']);
    expect(await refusal(post('fulfilled'))).toEqual([409, 'VT_ERR_ORDER_TRANSITION']); // still awaiting payment
    await rt.db.order.update({ where: { number: orderNumber }, data: { status: 'paid' } });
    // The customer has the web chat open: they are told about each change.
    const frames: string[] = [];
    const webchat = app.channels.get(webchatChannel);
    if (!webchat) throw new Error('the web chat is always on');
    const disconnect = webchat.connect({ botId: 'directory', customerId: 'http-test-customer' }, { readyState: 1, send: (data) => frames.push(data) });
    try {
      expect(await (await post('fulfilled')).json()).toMatchObject({ status: 'fulfilled' });
      expect(await (await post('shipped')).json()).toMatchObject({ status: 'shipped' });
      await rt.engine.idle();
    } finally {
      disconnect();
    }
    expect(frames.join('\n')).toContain(`Order ${orderNumber} at Padaria São Jorge is ready.`);
    expect(frames.join('\n')).toContain(`Order ${orderNumber} at Padaria São Jorge is on its way.`);
    const events = await rt.db.orderEvent.findMany({ where: { order: { number: orderNumber } }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => [e.type, e.fromState, e.toState, e.applied])).toEqual([
      ['created', 'cart', 'awaiting_payment', true],
      ['fulfilled', 'awaiting_payment', 'awaiting_payment', false],
      ['fulfilled', 'paid', 'fulfilled', true],
      ['shipped', 'fulfilled', 'shipped', true],
    ]);
    expect(await refusal(post('fulfilled'))).toEqual([409, 'VT_ERR_ORDER_TRANSITION']); // a shipped order does not go back
    // The directory takes test payments (sandbox): only its signed webhook marks an order paid.
    expect(await refusal(post('paid'))).toEqual([409, 'VT_ERR_ORDER_PAID_BY_PROVIDER']);
  });

  it('shows an extra payment as a flag on the order and refunds that payment alone, the last one refunding the order', async () => {
    const order = await rt.db.order.findUniqueOrThrow({ where: { number: orderNumber } });
    const payment = (providerRef: string) => ({ orderId: order.id, provider: 'record', providerRef, status: 'succeeded', amountMinor: order.totalMinor, currency: order.currency });
    await rt.db.payment.create({ data: payment('record_first') });
    await rt.db.payment.create({ data: payment('record_extra') });
    await flagExtraPayment(rt.db, order.id, { providerRef: 'record_extra' });

    type View = OrderView;
    const view = (await (await call(`/api/v1/orders/${orderNumber}`, { key: padariaKey })).json()) as View;
    expect(view.flags).toEqual(['extra_payment']);
    // Beside the payment the checkout opened (never paid here).
    const mine = (v: View) => v.payments.filter((p) => p.ref === 'record_first' || p.ref === 'record_extra').sort((a, b) => a.ref.localeCompare(b.ref));
    expect(mine(view).map((p) => [p.ref, p.status, p.extra])).toEqual([['record_extra', 'succeeded', true], ['record_first', 'succeeded', false]]);

    const refund = (ref: string, key = padariaKey) => call(`/api/v1/orders/${orderNumber}/payments/${ref}/refund`, { method: 'POST', key });
    // Another business's order is answered like a missing one.
    expect(await refusal(refund('record_extra', tacoKey))).toEqual([404, 'VT_ERR_ORDER_UNKNOWN']);
    expect(await refusal(refund('record_none'))).toEqual([404, 'VT_ERR_ORDER_UNKNOWN']);
    const once = (await (await refund('record_extra')).json()) as View;
    expect(once).toMatchObject({ status: 'shipped', flags: [] });
    expect(mine(once).map((p) => [p.ref, p.status])).toEqual([['record_extra', 'refunded'], ['record_first', 'succeeded']]);
    expect(await refusal(refund('record_extra'))).toEqual([404, 'VT_ERR_ORDER_UNKNOWN']);
    expect(await (await refund('record_first')).json()).toMatchObject({ status: 'refunded' });
  });

  it("lets a key reload only a bot whose only business is its own, and answers unknown bots like others' bots", async () => {
    const bakery = await rt.db.business.findUniqueOrThrow({ where: { botId_slug: { botId: 'corner-bakery', slug: 'corner-bakery' } } });
    const bakeryKey = 'vt_test-corner-bakery-key';
    await rt.db.apiKey.create({ data: { businessId: bakery.id, hash: hashApiKey(bakeryKey) } });
    const ok = await call('/api/v1/bots/corner-bakery/reload', { method: 'POST', key: bakeryKey });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ botId: 'corner-bakery' });
    // One shop of the directory may not reload the other shops.
    expect(await refusal(call('/api/v1/bots/directory/reload', { method: 'POST', key: padariaKey }))).toEqual([403, 'VT_ERR_API_FORBIDDEN']);
    expect(await refusal(call('/api/v1/bots/corner-bakery/reload', { method: 'POST', key: padariaKey }))).toEqual([403, 'VT_ERR_API_FORBIDDEN']);
    expect(await refusal(call('/api/v1/bots/ghost/reload', { method: 'POST', key: padariaKey }))).toEqual([403, 'VT_ERR_API_FORBIDDEN']);
    expect(await refusal(call('/api/v1/bots/ghost/reload', { method: 'POST' }))).toEqual([401, 'VT_ERR_API_KEY_INVALID']);
  });

  it('lets the admin token reload any bot and tells it which bots are unknown', async () => {
    const admin = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent', ADMIN_TOKEN: ADMIN }) });
    try {
      const ok = await admin.inject({ method: 'POST', url: '/api/v1/bots/directory/reload', headers: { authorization: `Bearer ${ADMIN}` } });
      expect(ok.statusCode).toBe(200);
      const ghost = await admin.inject({ method: 'POST', url: '/api/v1/bots/ghost/reload', headers: { authorization: `Bearer ${ADMIN}` } });
      expect([ghost.statusCode, ghost.json()]).toEqual([404, { error: { code: 'VT_ERR_BOT_UNKNOWN', message: 'No bot ghost' } }]);
    } finally {
      await admin.close();
    }
  });

  it('keeps the raw bytes of JSON bodies and answers bad JSON with a clear 400', async () => {
    const other = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
    other.post('/echo-raw', async (request) => ({ raw: request.rawBody?.toString('utf8'), body: request.body }));
    const payload = '{ "a" :1,\n"__proto__": {"x": 1} }';
    const echoed = await other.inject({ method: 'POST', url: '/echo-raw', headers: { 'content-type': 'application/json' }, payload });
    expect(echoed.json()).toEqual({ raw: payload, body: { a: 1 } });
    await other.close();
    const bad = await call('/api/v1/orders/x/status', { method: 'POST', key: padariaKey, body: '{"status": ' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'VT_ERR_BODY_INVALID_JSON', message: expect.stringContaining('not valid JSON') } });
  });
});
