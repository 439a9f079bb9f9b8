import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WebchatFrame, WebchatMessage } from '../../adapters/webchat/index.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { Client, lastChoice, messages, optionId } from '../support/webchat-client.ts';

describe('web chat over a real WebSocket', () => {
  let rt: TestRuntime;
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    rt = await createTestRuntime();
    app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/ws`;
  });
  afterAll(async () => {
    await app?.close();
    await rt?.dispose();
  });

  async function hello(customerId?: string): Promise<{ client: Client; customerId: string }> {
    const client = await Client.open(url);
    client.send({ type: 'hello', botId: 'directory', ...(customerId ? { customerId } : {}) });
    const [welcome] = await client.until((f) => f.type === 'welcome');
    if (welcome?.type !== 'welcome') throw new Error('no welcome');
    return { client, customerId: welcome.customerId };
  }

  it('answers a frame the journal cannot keep with VT_ERR_JOURNAL_UNAVAILABLE (no ack), and acks the same frame sent again once it can', async () => {
    const { client } = await hello();
    // The journal's table is unwritable: the database refuses the admission for real.
    await rt.db.$executeRawUnsafe('ALTER TABLE "InboundEvent" RENAME TO "InboundEventAway"');
    try {
      client.ws.send(JSON.stringify({ v: 1, id: 'kept-later', type: 'text', text: 'padaria' }));
      const frames = await client.until((f) => f.type === 'error' || f.type === 'ack');
      expect(frames.at(-1)).toMatchObject({ type: 'error', code: 'VT_ERR_JOURNAL_UNAVAILABLE', id: 'kept-later' });
    } finally {
      await rt.db.$executeRawUnsafe('ALTER TABLE "InboundEventAway" RENAME TO "InboundEvent"');
    }
    client.ws.send(JSON.stringify({ v: 1, id: 'kept-later', type: 'text', text: 'padaria' }));
    const [ack] = (await client.until((f) => f.type === 'ack')).slice(-1);
    expect(ack).toMatchObject({ type: 'ack', id: 'kept-later', duplicate: false });
    await client.until((f) => f.type === 'message' && f.message.kind === 'choice');
    client.ws.close();
  });

  it('sells bread from search to a confirmed order priced from the database, and a reconnect resumes the cart', async () => {
    const { client, customerId } = await hello();
    expect(customerId).toMatch(/^[0-9a-f-]{36}$/);
    const found = await client.say('padaria');
    const categories = await client.tap(optionId(found, (l) => l === 'Padaria São Jorge'));
    const products = await client.tap(optionId(categories, (l) => l === 'Pães'));
    const productOption = lastChoice(products).options.find((o) => o.product?.name === 'Pão francês');
    expect(productOption?.product?.price).toBe('R$0.90');
    const detail = await client.tap(productOption?.id ?? '');
    expect(detail.some((m) => m.kind === 'product' && m.product.name === 'Pão francês')).toBe(true);
    const added = await client.say('2');
    expect(added.some((m) => m.kind === 'text' && m.text.includes('2 × Pão francês'))).toBe(true);
    client.ws.close();

    const again = await hello(customerId);
    expect(again.customerId).toBe(customerId);
    const cart = await again.client.say('cart');
    const cartView = cart.find((m) => m.kind === "cart");
    expect(cartView).toMatchObject({ kind: 'cart', empty: false, total: 'R$1.80', lines: [{ name: 'Pão francês', quantity: 2 }] });
    const confirmed = await again.client.tap(optionId(cart, (l) => l === 'Check out'), 'orderStatus');
    const status = confirmed.find((m) => m.kind === 'orderStatus');
    if (status?.kind !== 'orderStatus') throw new Error('no order status');

    const order = await rt.db.order.findUniqueOrThrow({ where: { number: status.orderNumber }, include: { items: { include: { product: true } } } });
    expect(order.status).toBe('awaiting_payment');
    const fromPrices = order.items.reduce((sum, i) => sum + i.product.priceMinor * i.quantity, 0);
    expect(order.totalMinor).toBe(fromPrices);
    expect(order.totalMinor).toBe(180);
    again.client.ws.close();
  });

  it('keeps an order update sent while the chat is closed and delivers it when the customer is back', async () => {
    const { client, customerId } = await hello();
    const found = await client.say('bakery london');
    await client.tap(optionId(found, (l) => l === 'Hackney Bread Co.'));
    const products = await client.say('sausage roll');
    await client.tap(optionId(products, (l) => l === 'Sausage roll'));
    await client.say('1');
    const cart = await client.say('cart');
    const confirmed = await client.tap(optionId(cart, (l) => l === 'Check out'), 'orderStatus');
    const status = confirmed.find((m) => m.kind === 'orderStatus');
    if (status?.kind !== 'orderStatus') throw new Error('no order status');
    client.ws.close();
    await new Promise((resolve) => setTimeout(resolve, 100));

    // The shop marks the order paid and ready while the customer's chat is closed.
    const order = await rt.db.order.update({ where: { number: status.orderNumber }, data: { status: 'fulfilled' } });
    await rt.engine.notify(order.conversationId, { kind: 'system', event: 'order.fulfilled', data: { orderId: order.id } });
    await rt.engine.idle();
    const waiting = { channel: 'webchat', customerId, status: 'pending' };
    // Kept for the customer (with any reply that was still on its way when the chat closed).
    const kept0 = await rt.db.outboxMessage.findMany({ where: waiting });
    expect(kept0.filter((r) => r.message.includes(`Order ${order.number} at Hackney Bread Co. is ready`))).toHaveLength(1);

    const back = await hello(customerId);
    const isUpdate = (m: WebchatMessage) => m.kind === 'orderStatus' && m.text.includes(`Order ${order.number} at Hackney Bread Co. is ready`);
    const kept = messages(await back.client.until((f) => f.type === 'message' && isUpdate(f.message)));
    expect(kept.filter(isUpdate)).toHaveLength(1);
    await rt.engine.idle();
    expect(await rt.db.outboxMessage.count({ where: waiting })).toBe(0);
    back.client.ws.close();
  });

  it('acknowledges each message once it is kept, before its replies, and does not answer a repeated frame id again', async () => {
    const { client, customerId } = await hello();
    client.ws.send(JSON.stringify({ v: 1, type: 'text', id: 'ack-1', text: 'padaria' }));
    const frames = await client.until((f) => f.type === 'message' && f.message.kind === 'choice');
    expect(frames[0]).toEqual({ v: 1, type: 'ack', id: 'ack-1', duplicate: false });
    expect(await rt.db.inboundEvent.count({ where: { channel: 'webchat', messageId: `${customerId}:ack-1` } })).toBe(1);

    // The same frame again (a client retrying after a lost ack): acknowledged as a duplicate, not answered again.
    client.ws.send(JSON.stringify({ v: 1, type: 'text', id: 'ack-1', text: 'padaria' }));
    const again = await client.until((f) => f.type === 'ack');
    expect(again.at(-1)).toEqual({ v: 1, type: 'ack', id: 'ack-1', duplicate: true });
    await rt.engine.idle();
    expect(client.frames.slice(client.frames.indexOf(again.at(-1) as WebchatFrame) + 1).filter((f) => f.type === 'message')).toEqual([]);
    expect(await rt.db.outboxMessage.count({ where: { channel: 'webchat', customerId, status: 'pending' } })).toBe(0);
    client.ws.close();
  });

  it('answers malformed frames with error frames and keeps the connection', async () => {
    const client = await Client.open(url);
    client.ws.send('not json');
    expect((await client.until((f) => f.type === 'error')).at(-1)).toMatchObject({ code: 'VT_ERR_CHANNEL_PAYLOAD', message: 'The frame is not JSON' });
    const early = client.send({ type: 'text', text: 'too early' });
    expect((await client.until((f) => f.type === 'error')).at(-1)).toMatchObject({ code: 'VT_ERR_CHANNEL_HELLO_REQUIRED', id: early });
    client.send({ type: 'hello', botId: 'nope' });
    expect((await client.until((f) => f.type === 'error')).at(-1)).toMatchObject({ code: 'VT_ERR_BOT_UNKNOWN' });
    client.send({ type: 'hello', botId: 'directory' });
    await client.until((f) => f.type === 'welcome');
    client.send({ type: 'hello', botId: 'directory' });
    expect((await client.until((f) => f.type === 'error')).at(-1)).toMatchObject({ code: 'VT_ERR_CHANNEL_ALREADY_GREETED' });
    client.send({ type: 'dance' });
    expect((await client.until((f) => f.type === 'error')).at(-1)).toMatchObject({ code: 'VT_ERR_CHANNEL_PAYLOAD', message: expect.stringContaining('type must be one of') });
    client.send({ type: 'choice' });
    expect((await client.until((f) => f.type === 'error')).at(-1)).toMatchObject({ code: 'VT_ERR_CHANNEL_PAYLOAD', message: expect.stringContaining('optionId') });
    client.ws.send(JSON.stringify({ v: 2, type: 'text', id: 'x', text: 'hi' }));
    expect((await client.until((f) => f.type === 'error')).at(-1)).toMatchObject({ code: 'VT_ERR_CHANNEL_PROTOCOL_VERSION' });
    expect(client.closed).toBeUndefined();
    client.ws.close();
  });

  it('closes a socket that sends an oversized frame with 1009, and another client is still served', async () => {
    const big = await hello();
    big.client.send({ type: 'text', text: 'x'.repeat(20_000) });
    expect(await big.client.closedWith()).toMatchObject({ code: 1009, reason: expect.stringMatching(/^VT_ERR_CHANNEL_FRAME_TOO_LARGE: .*too large/) });

    const other = await hello();
    expect((await other.client.say('padaria')).some((m) => m.kind === 'choice')).toBe(true);
    other.client.ws.close();
  });

  it('rate-limits a flood, then closes a persistent flooder with 1008, and another client is still served', async () => {
    const flood = await hello();
    for (let i = 0; i < 15; i++) flood.client.ws.send('{}');
    await flood.client.until((f) => f.type === 'error' && f.code === 'VT_ERR_CHANNEL_RATE_LIMITED');
    for (let i = 0; i < 40; i++) if (flood.client.ws.readyState === WebSocket.OPEN) flood.client.ws.send('{}');
    expect(await flood.client.closedWith()).toEqual({ code: 1008, reason: 'VT_ERR_CHANNEL_RATE_LIMITED: Too many messages' });

    const other = await hello();
    expect((await other.client.say('bakery london')).some((m) => m.kind === 'choice')).toBe(true);
    other.client.ws.close();
  });
});

describe('web chat connection limits', () => {
  it('closes connections beyond the per-address cap and sockets that stay idle', async () => {
    const rt = await createTestRuntime();
    const app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }), env: { WEBCHAT_MAX_CONNECTIONS_PER_IP: '2', WEBCHAT_IDLE_MS: '400' } });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/ws`;
      const first = await Client.open(url);
      const second = await Client.open(url);
      const third = await Client.open(url);
      expect(await third.closedWith()).toEqual({ code: 1008, reason: 'VT_ERR_CHANNEL_RATE_LIMITED: Too many connections' });
      // The first two are served until they go quiet.
      second.send({ type: 'hello', botId: 'directory' });
      expect((await second.until((f) => f.type === 'welcome')).at(-1)).toMatchObject({ type: 'welcome' });
      expect(await first.closedWith()).toEqual({ code: 1000, reason: 'VT_ERR_CHANNEL_IDLE: Idle' });
      expect(await second.closedWith()).toEqual({ code: 1000, reason: 'VT_ERR_CHANNEL_IDLE: Idle' });
      // Closed sockets free their places.
      const fourth = await Client.open(url);
      fourth.send({ type: 'hello', botId: 'directory' });
      expect((await fourth.until((f) => f.type === 'welcome')).at(-1)).toMatchObject({ type: 'welcome' });
      fourth.ws.close();
    } finally {
      await app.close();
      await rt.dispose();
    }
  });
});

describe('connections that never complete their handshake', () => {
  it('closes a web chat socket that does not say hello in time, keeps one that did, and drops a silent TCP connection', async () => {
    const rt = await createTestRuntime();
    const app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent', HTTP_CONNECTION_TIMEOUT_MS: '300' }), env: { WEBCHAT_HELLO_TIMEOUT_MS: '300' } });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const silent = await Client.open(`ws://127.0.0.1:${port}/ws`);
      const greeted = await Client.open(`ws://127.0.0.1:${port}/ws`);
      greeted.send({ type: 'hello', botId: 'directory' });
      await greeted.until((f) => f.type === 'welcome');
      expect(await silent.closedWith()).toEqual({ code: 1008, reason: 'VT_ERR_CHANNEL_HELLO_REQUIRED: No hello in time' });
      // Past both timeouts, the socket that said hello is still served.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(greeted.closed).toBeUndefined();
      expect((await greeted.say('padaria')).some((m) => m.kind === 'choice')).toBe(true);
      greeted.ws.close();

      // A TCP connection that never sends a request is closed by the server.
      const tcp = net.connect(port, '127.0.0.1');
      const started = Date.now();
      await new Promise<void>((resolve, reject) => { tcp.once('close', () => resolve()); tcp.once('error', reject); setTimeout(() => reject(new Error('still open')), 5_000); });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await app.close();
      await rt.dispose();
    }
  });
});

describe('web chat frame budgets shared by sockets', () => {
  /** Sends `count` frames on each client and counts, over all of them, frames let through (payload errors) and refused ones. */
  async function flood(clients: Client[], count: number): Promise<{ through: number; refused: number }> {
    for (const client of clients) for (let i = 0; i < count; i++) client.ws.send('{}');
    let through = 0;
    let refused = 0;
    for (const client of clients) {
      for (let seen = 0; seen < count; seen++) {
        const [frame] = (await client.until((f) => f.type === 'error')).slice(-1);
        if (frame?.type === 'error' && frame.code === 'VT_ERR_CHANNEL_RATE_LIMITED') refused++;
        else through++;
      }
    }
    return { through, refused };
  }

  it('lets the 40 customers of one shared address (a carrier NAT, a proxy) each spend their whole budget by default', async () => {
    const rt = await createTestRuntime();
    const app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/ws`;
      const clients = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
        const client = await Client.open(url);
        client.send({ type: 'hello', botId: 'directory', customerId: `nat-customer-${i}` });
        await client.until((f) => f.type === 'welcome');
        return client;
      }));
      expect(await flood(clients, 10)).toEqual({ through: 400, refused: 0 });
      for (const client of clients) client.ws.close();
    } finally {
      await app.close();
      await rt.dispose();
    }
  });

  it('gives one customer on many sockets the budget of one, and one address the budget of one address', async () => {
    const rt = await createTestRuntime();
    const app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }), env: { WEBCHAT_ADDRESS_BURST: '40', WEBCHAT_ADDRESS_REFILL_MS: '60000' } });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/ws`;
      const greet = async (customerId: string) => {
        const client = await Client.open(url);
        client.send({ type: 'hello', botId: 'directory', customerId });
        await client.until((f) => f.type === 'welcome');
        return client;
      };
      // One customer, five sockets: 10 frames in a burst between them, not 10 each.
      const same = await Promise.all(Array.from({ length: 5 }, () => greet('shared-budget-customer')));
      const customer = await flood(same, 4);
      expect(customer.through).toBeGreaterThanOrEqual(10);
      expect(customer.through).toBeLessThanOrEqual(11);
      expect(customer.refused).toBe(20 - customer.through);
      for (const client of same) client.ws.close();

      // The address has spent 5 hellos and ~11 frames of its 40; three new customers share what is left.
      const others = await Promise.all(['addr-customer-1', 'addr-customer-2', 'addr-customer-3'].map(greet));
      const fromAddress = await flood(others, 8);
      expect(fromAddress.through).toBeLessThanOrEqual(40 - 5 - customer.through - 3);
      expect(fromAddress.refused).toBeGreaterThan(0);
      for (const client of others) client.ws.close();
    } finally {
      await app.close();
      await rt.dispose();
    }
  });
});

describe('web chat Origin check', () => {
  /** Opens `/ws` as a page of `origin` would; the HTTP status and body of a refusal, or 101 once open. */
  function knock(url: string, origin?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, origin ? { origin } : {});
      ws.once('open', () => {
        ws.close();
        resolve({ status: 101, body: '' });
      });
      ws.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      ws.once('error', reject);
    });
  }

  async function serve(env: Record<string, string>): Promise<{ url: string; close: () => Promise<void> }> {
    const rt = await createTestRuntime();
    const app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }), env });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    return { url: `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/ws`, close: async () => { await app.close(); await rt.dispose(); } };
  }

  it("accepts only PUBLIC_URL's origin and WEBCHAT_ORIGINS, and clients that send no Origin", async () => {
    const server = await serve({ PUBLIC_URL: 'https://shop.example.com/', WEBCHAT_ORIGINS: 'https://widget.example.org, http://localhost:8080' });
    try {
      const refused = await knock(server.url, 'https://evil.example');
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body)).toEqual({ error: { code: 'VT_ERR_CHANNEL_ORIGIN', message: 'Origin https://evil.example may not open the web chat' } });
      expect((await knock(server.url, 'https://shop.example.com.evil.example')).status).toBe(403);
      expect((await knock(server.url, 'https://shop.example.com')).status).toBe(101);
      expect((await knock(server.url, 'https://widget.example.org')).status).toBe(101);
      expect((await knock(server.url, 'http://localhost:8080')).status).toBe(101);
      expect((await knock(server.url)).status).toBe(101);
    } finally {
      await server.close();
    }
  });

  it('accepts pages of its own host when no PUBLIC_URL or WEBCHAT_ORIGINS is set', async () => {
    const server = await serve({});
    try {
      const own = server.url.replace(/^ws:/, 'http:').replace(/\/ws$/, '');
      expect((await knock(server.url, own)).status).toBe(101);
      expect((await knock(server.url, 'http://evil.example')).status).toBe(403);
    } finally {
      await server.close();
    }
  });
});

describe('web chat behind a reverse proxy', () => {
  it("counts connections per customer address with TRUST_PROXY, and per proxy address without it", async () => {
    const open = async (trust: Record<string, string>) => {
      const rt = await createTestRuntime();
      const app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent', ...trust }), env: { WEBCHAT_MAX_CONNECTIONS_PER_IP: '1' } });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/ws`;
      const from = (customer: string) => new Promise<WebSocket>((resolve) => {
        const ws = new WebSocket(url, { headers: { 'x-forwarded-for': customer } });
        ws.once('open', () => resolve(ws));
      });
      const first = await from('203.0.113.10');
      const second = await from('203.0.113.11');
      const closed = await new Promise<number | undefined>((resolve) => {
        second.once('close', (code) => resolve(code));
        setTimeout(() => resolve(undefined), 500);
      });
      first.close();
      second.close();
      await app.close();
      await rt.dispose();
      return closed;
    };
    expect(await open({ TRUST_PROXY: '127.0.0.1' })).toBeUndefined();
    expect(await open({})).toBe(1008);
  });
});
