import { createHmac, timingSafeEqual } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadBot, type ShopNoticeBody } from '../../engine/index.ts';
import { markOrder } from '../../engine/orders/shop-marks.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { startFakePlatform, type FakePlatform } from '../channels/fake-platform.ts';
import { databases, type FreshDatabase } from '../support/databases.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

const SECRET = 'whsec_padaria_test_0001';
const root = path.resolve(import.meta.dirname, '..', '..');

/** A shop's webhook receiver: records each delivery and answers with the next planned status (200 when none is left). */
function receiver(): { server: Server; url: () => string; got: { headers: Record<string, string | string[] | undefined>; body: string; status: number }[]; plan: number[] } {
  const got: { headers: Record<string, string | string[] | undefined>; body: string; status: number }[] = [];
  const plan: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = plan.shift() ?? 200;
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, got, plan, url: () => { const a = server.address(); return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/vitrine`; } };
}

/** Checks a delivery's `vitrine-signature` as a receiver would: HMAC-SHA256 over `<t>.<raw body>`, compared in constant time. */
function signatureHolds(header: string | string[] | undefined, body: string, secret: string): boolean {
  const parts = new Map(String(header).split(',').map((p) => p.split('=', 2) as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.get('t')}.${body}`).digest();
  const given = Buffer.from(parts.get('v1') ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const until = async (check: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.each(databases)('notices to a business: a signed webhook for new orders, payments and hand-off requests, on $name', (database) => {
  const hook = receiver();
  let fresh: FreshDatabase | undefined;
  let telegram: FakePlatform;
  const STAFF_CHAT = '-1001234567890';
  /** What the staff's Telegram chat was sent. */
  const staffTexts = () => telegram.sent('/sendMessage').filter((r) => (r.body as { chat_id: unknown }).chat_id === STAFF_CHAT).map((r) => (r.body as { text: string }).text);
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-notices-'));
  let rt: TestRuntime;
  let app: FastifyInstance;
  let orderNumber = '';
  const bodies = (type: string) => hook.got.filter((g) => (JSON.parse(g.body) as ShopNoticeBody).type === type);

  const start = async (databaseUrl: string) => {
    rt = await createTestRuntime({ botDirs: [path.join(dir, 'directory')], databaseUrl, engine: { outbox: { baseDelayMs: 20, maxDelayMs: 80 } } });
    app = await buildApp({
      runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }),
      env: { PADARIA_WEBHOOK_SECRET: SECRET, TELEGRAM_BOT_TOKEN: '123:staff-test', TELEGRAM_SECRET_TOKEN: 'staff-secret', TELEGRAM_API_URL: telegram.url },
    });
  };

  beforeAll(async () => {
    if (database.skip) return;
    fresh = await database.create();
    await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve));
    telegram = await startFakePlatform(() => ({ status: 200, body: { ok: true, result: { message_id: 1 } } }));
    cpSync(path.join(root, 'bots', 'directory'), path.join(dir, 'directory'), { recursive: true });
    // Paid by hand in these tests: the shop settles its orders itself.
    const botFile = path.join(dir, 'directory', 'bot.yaml');
    writeFileSync(botFile, readFileSync(botFile, 'utf8').replace(/provider: \w+/, 'provider: record'));
    const file = path.join(dir, 'directory', 'businesses', 'padaria-sao-jorge.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}notify:\n  webhook:\n    url: ${hook.url()}\n    secretEnv: PADARIA_WEBHOOK_SECRET\n  staffChat:\n    channel: telegram\n    to: "${STAFF_CHAT}"\n    events: [order.placed, handoff.requested]\n`);
    await start(fresh.url);
  });
  afterAll(async () => {
    await app?.close();
    await rt?.close();
    await fresh?.cleanup();
    await telegram?.close();
    hook.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(database.skip)('tells the shop of a new order once, signed, after its webhook failed twice', async () => {
    hook.plan.push(503, 503);
    let n = 0;
    for (const text of ['padaria', '1', '1', '1', '3', 'cart', 'Check out']) {
      const turn = await rt.engine.process({ kind: 'text', text, messageId: `n${n++}`, channel: 'webchat', botId: 'directory', customer: { id: 'notice-customer' } });
      const status = turn.replies.find((r) => r.kind === 'orderStatus');
      if (status?.kind === 'orderStatus') orderNumber = status.orderNumber;
    }
    expect(orderNumber).not.toBe('');
    await until(() => bodies('order.placed').some((g) => g.status === 200));
    const placed = bodies('order.placed');
    expect(placed.map((g) => g.status)).toEqual([503, 503, 200]);
    // Every attempt is the same notice, each signed with the business's secret over its raw body.
    expect(new Set(placed.map((g) => g.body)).size).toBe(1);
    for (const g of placed) {
      expect(signatureHolds(g.headers['vitrine-signature'], g.body, SECRET)).toBe(true);
      expect(signatureHolds(g.headers['vitrine-signature'], g.body, 'another secret')).toBe(false);
      expect(g.headers['content-type']).toBe('application/json');
    }
    const body = JSON.parse(placed[0]!.body) as ShopNoticeBody;
    const order = await rt.db.order.findUniqueOrThrow({ where: { number: orderNumber }, include: { items: true } });
    expect(body).toMatchObject({
      type: 'order.placed',
      business: { slug: 'padaria-sao-jorge', name: 'Padaria São Jorge' },
      conversationId: order.conversationId,
      customer: { channel: 'webchat', id: 'notice-customer' },
      order: { number: orderNumber, status: 'awaiting_payment', currency: 'BRL', totalMinor: order.totalMinor },
    });
    expect(body.order?.items).toEqual(order.items.map((i) => ({ sku: i.sku, name: i.name, quantity: i.quantity, unitPriceMinor: i.unitPriceMinor, lineTotalMinor: i.lineTotalMinor })));
    expect(body.order!.items.reduce((sum, i) => sum + i.lineTotalMinor, 0)).toBe(order.totalMinor);
  });

  it.skipIf(database.skip)('tells the staff chat of the new order in the business\'s language, with its total formatted for it', async () => {
    await until(() => staffTexts().length === 1);
    const order = await rt.db.order.findUniqueOrThrow({ where: { number: orderNumber }, include: { items: true } });
    const total = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }).format(order.totalMinor / 100);
    const items = order.items.map((i) => `${i.quantity} × ${i.name}`).join(', ');
    expect(staffTexts()[0]).toBe(`Novo pedido ${orderNumber} em Padaria São Jorge: ${items}. Total ${total}, aguardando pagamento. Cliente: notice-customer (webchat).`);
  });

  it.skipIf(database.skip)('tells the shop when the order is paid, with the same order and a notice id of its own', async () => {
    const result = await markOrder({ db: rt.db, providers: rt.payments }, orderNumber, 'paid');
    expect(result.applied).toBe(true);
    await until(() => bodies('order.paid').length === 1);
    const paid = JSON.parse(bodies('order.paid')[0]!.body) as ShopNoticeBody;
    expect(paid.order).toMatchObject({ number: orderNumber, status: 'paid' });
    expect(paid.id).not.toBe((JSON.parse(bodies('order.placed')[0]!.body) as ShopNoticeBody).id);
    // Marking it paid again changes nothing and tells nobody.
    expect((await markOrder({ db: rt.db, providers: rt.payments }, orderNumber, 'paid')).applied).toBe(false);
  });

  it.skipIf(database.skip)('tells the shop when a customer at it asks for a person', async () => {
    let n = 0;
    let said: { kind: string; text?: string }[] = [];
    for (const text of ['padaria', '1', 'talk to a person']) {
      said = (await rt.engine.process({ kind: 'text', text, messageId: `h${n++}`, channel: 'webchat', botId: 'directory', customer: { id: 'handoff-customer' } })).replies;
    }
    // The customer hears that the team was told and that they can write here, with the shop's phone too.
    expect(said).toContainEqual({
      kind: 'handoff',
      text: 'I\'ve told the team at Padaria São Jorge that you\'d like to talk to a person. Write here: they\'ll read your messages and answer in this chat. Until then, I\'ll stay quiet. You can also reach them at +55 11 3333-4444.',
    });
    await until(() => bodies('handoff.requested').length === 1);
    const handoff = JSON.parse(bodies('handoff.requested')[0]!.body) as ShopNoticeBody;
    expect(handoff).toMatchObject({ type: 'handoff.requested', business: { slug: 'padaria-sao-jorge' }, customer: { channel: 'webchat', id: 'handoff-customer' } });
    expect(handoff.order).toBeUndefined();
    // The staff chat listens to new orders and hand-offs only: the payment told the webhook alone.
    await until(() => staffTexts().length === 2);
    expect(staffTexts()[1]).toBe('Um cliente de Padaria São Jorge quer falar com uma pessoa: handoff-customer (webchat).');
  });

  it.skipIf(database.skip)('sends nothing again after a restart, and gives up on a notice the shop refuses', async () => {
    const delivered = hook.got.length;
    const databaseUrl = rt.databaseUrl;
    await app.close();
    await rt.close();
    await start(databaseUrl);
    await new Promise((r) => setTimeout(r, 600));
    expect(hook.got.length).toBe(delivered);

    hook.plan.push(400);
    let n = 0;
    for (const text of ['padaria', '1', '1', '1', '2', 'cart', 'Check out']) {
      await rt.engine.process({ kind: 'text', text, messageId: `r${n++}`, channel: 'webchat', botId: 'directory', customer: { id: 'refused-customer' } });
    }
    await until(() => hook.got.length === delivered + 1);
    await new Promise((r) => setTimeout(r, 400));
    expect(hook.got.slice(delivered).map((g) => g.status)).toEqual([400]);
    expect((await rt.engine.store.backlog()).deadLetters).toBe(1);
  });

  it.skipIf(database.skip)('refuses a notify setting without a secret variable, with its file and path', async () => {
    const file = path.join(dir, 'directory', 'businesses', 'padaria-sao-jorge.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('secretEnv: PADARIA_WEBHOOK_SECRET', 'secretEnv: my secret'));
    const error = await loadBot(path.join(dir, 'directory')).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    const problem = (error as ConfigError).problems.find((p) => p.path?.includes('secretEnv'));
    expect(problem).toMatchObject({ file: expect.stringContaining('padaria-sao-jorge.yaml') as string });
    expect(problem?.message).toContain('environment variable');
  });
});
