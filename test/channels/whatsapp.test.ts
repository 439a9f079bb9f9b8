import Fastify, { type FastifyInstance } from 'fastify';
import { errorHandler } from '../../server/error-handler.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsAppAdapter, whatsappRouting, whatsappRoutes, type WhatsAppAdapter } from '../../adapters/whatsapp/index.ts';
import { channelSender, PendingWork } from '../../adapters/kit/index.ts';
import { isVitrineError } from '../../engine/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { startFakePlatform, type FakePlatform, type RecordedRequest } from './fake-platform.ts';
import {
  buttonReply, CUSTOMER, listReply, locationMessage, orderMessage, PHONE_NUMBER_ID, sign, statusUpdate, stickerMessage, textMessage, wamid,
} from './whatsapp-payloads.ts';

const APP_SECRET = 'test-app-secret';
const VERIFY_TOKEN = 'test-verify-token';
const ACCESS_TOKEN = 'EAAtest';

interface Interactive {
  type: string;
  body: { text: string };
  action: { buttons?: { reply: { id: string; title: string } }[]; sections?: { rows: { id: string; title: string; description?: string }[] }[]; button?: string };
}
type GraphBody = { messaging_product: string; to: string; type: string; text?: { body: string }; interactive?: Interactive; image?: { link: string; caption?: string } };

let runtime: TestRuntime;
let graph: FakePlatform;
let app: FastifyInstance;
let base: string;
let adapter: WhatsAppAdapter;
const work = new PendingWork();

beforeAll(async () => {
  runtime = await createTestRuntime();
  graph = await startFakePlatform(() => ({ status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.out' }] } }));
  adapter = createWhatsAppAdapter({
    accessToken: ACCESS_TOKEN, phoneNumberId: PHONE_NUMBER_ID, graphUrl: `${graph.url}/v21.0`, appSecret: APP_SECRET,
    ...whatsappRouting(runtime.engine.bots, { phoneNumberId: PHONE_NUMBER_ID, defaultBotId: 'directory' }),
    retry: { baseDelayMs: 1 }, publicUrl: 'https://shop.example.com',
  });
  runtime.engine.outbox.register(channelSender(adapter));
  app = Fastify({ logger: false });
  await app.register(errorHandler);
  await app.register(whatsappRoutes, { runtime, adapter, verifyToken: VERIFY_TOKEN, appSecret: APP_SECRET, work });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await graph?.close();
  await runtime?.dispose();
});

beforeEach(() => graph.clear());

async function post(payload: unknown, secret = APP_SECRET): Promise<Response> {
  const body = JSON.stringify(payload);
  const res = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, secret) }, body });
  await work.idle();
  await runtime.engine.idle();
  return res;
}

const sentBodies = (): GraphBody[] => graph.sent('/messages').map((r: RecordedRequest) => r.body as GraphBody);

/** The id of the button or list row titled `title` in the last interactive message sent. */
function optionId(title: string): { id: string; kind: 'button' | 'list' } {
  const interactive = sentBodies().map((b) => b.interactive).filter((i): i is Interactive => i !== undefined).at(-1);
  if (!interactive) throw new Error('no interactive message was sent');
  const button = interactive.action.buttons?.find((b) => b.reply.title === title);
  if (button) return { id: button.reply.id, kind: 'button' };
  const row = interactive.action.sections?.flatMap((s) => s.rows).find((r) => r.title === title);
  if (row) return { id: row.id, kind: 'list' };
  throw new Error(`no option "${title}" in ${JSON.stringify(interactive)}`);
}

async function tap(title: string): Promise<void> {
  const { id, kind } = optionId(title);
  graph.clear();
  expect((await post(kind === 'button' ? buttonReply(id, title) : listReply(id, title))).status).toBe(200);
}

describe('WhatsApp webhook handshake', () => {
  it('answers the challenge when the verify token matches', async () => {
    const res = await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1158201444');
  });

  it('refuses a wrong verify token with 403', async () => {
    const res = await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444`);
    expect(res.status).toBe(403);
  });
});

describe('a purchase over WhatsApp', () => {
  it('goes from a search to an order in the database, through buttons and lists', async () => {
    expect((await post(textMessage('padaria'))).status).toBe(200);
    const first = graph.sent('/messages');
    expect(first[0]?.method).toBe('POST');
    expect(first[0]?.path).toBe(`/v21.0/${PHONE_NUMBER_ID}/messages`);
    expect(first[0]?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(first[0]?.body).toMatchObject({ messaging_product: 'whatsapp', to: CUSTOMER, type: 'text' });
    const results = sentBodies().at(-1)?.interactive;
    expect(results?.type).toBe('button');
    expect(results?.action.buttons?.map((b) => b.reply.title)).toEqual(['Padaria São Jorge', 'Help']);

    await tap('Padaria São Jorge');
    const categories = sentBodies().at(-1)?.interactive;
    expect(categories?.type).toBe('list');
    expect(categories?.action.sections?.[0]?.rows.map((r) => r.title)).toContain('Pães');

    await tap('Pães');
    await tap('Pão francês');
    const product = sentBodies().find((b) => b.type === 'image');
    // The picture is a file of the bot: WhatsApp fetches it from PUBLIC_URL.
    expect(product?.image?.link).toBe('https://shop.example.com/media/directory/images/padaria-sao-jorge/pao-frances.jpg');
    expect(product?.image?.caption).toContain('R$0.90');

    graph.clear();
    await post(textMessage('2'));
    expect(sentBodies()[0]?.text?.body).toContain('Added 2 × Pão francês');

    graph.clear();
    await post(textMessage('cart'));
    expect(sentBodies()[0]?.text?.body).toContain('2 × Pão francês: R$1.80');

    await tap('Check out');
    expect(sentBodies().map((b) => b.text?.body ?? '').join('\n')).toMatch(/Order VT-[A-Z0-9]+ is placed: R\$1\.80/);

    const orders = await runtime.db.order.findMany({ include: { items: true } });
    expect(orders).toHaveLength(1);
    expect(orders[0]?.totalMinor).toBe(180);
    expect(orders[0]?.items.map((i) => [i.sku, i.quantity])).toEqual([['PAO-FRANCES', 2]]);
  });
});

describe('WhatsApp webhook safety', () => {
  it('refuses a forged signature with 401 and processes nothing', async () => {
    const before = await runtime.db.inboundEvent.count();
    expect((await post(textMessage('padaria', wamid(), '5511000000001'), 'not-the-secret')).status).toBe(401);
    const unsigned = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(textMessage('oi')) });
    expect(unsigned.status).toBe(401);
    await work.idle();
    expect(await runtime.db.inboundEvent.count()).toBe(before);
    expect(graph.requests).toHaveLength(0);
  });

  it('answers a message delivered twice only once', async () => {
    const payload = textMessage('bakery', wamid(), '5511000000002');
    await Promise.all([post(payload), post(payload)]);
    await post(payload);
    const replies = sentBodies().length;
    expect(replies).toBeGreaterThan(0);
    graph.clear();
    await post(textMessage('bakery', wamid(), '5511000000003'));
    expect(sentBodies().length).toBe(replies);
  });

  it('records delivery statuses, even out of order, and never answers them', async () => {
    const about = wamid();
    const now = Math.floor(Date.now() / 1000);
    for (const [status, t] of [['read', now + 2], ['sent', now], ['delivered', now + 1]] as const) {
      expect((await post(statusUpdate(status, about, t))).status).toBe(200);
    }
    expect(graph.requests).toHaveLength(0);
    const recorded = await runtime.db.analyticsEvent.findMany({ where: { type: 'whatsapp.status' } });
    expect(recorded.map((e) => (JSON.parse(e.data) as { status: string }).status).sort()).toEqual(['delivered', 'read', 'sent']);
  });

  it('answers 413 to a body over 1 MB and 400 to malformed bodies, and keeps serving', async () => {
    const huge = JSON.stringify({ object: 'whatsapp_business_account', entry: [], pad: 'x'.repeat(1_100_000) });
    const tooBig = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(huge, APP_SECRET) }, body: huge });
    expect(tooBig.status).toBe(413);
    const broken = '{"object": "whatsapp_business_account", "entry": [';
    const bad = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(broken, APP_SECRET) }, body: broken });
    expect(bad.status).toBe(400);
    for (const wrong of [{}, { object: 'page', entry: [] }, { object: 'whatsapp_business_account', entry: 'x' }, null, 'text']) {
      expect((await post(wrong)).status).toBe(400);
    }
    expect(graph.requests).toHaveLength(0);
    const alive = await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=42`);
    expect(await alive.text()).toBe('42');
  });
});

describe('a WhatsApp batch with a malformed message', () => {
  it('answers the valid messages with 200 and records the one not understood, with its wamid and reason', async () => {
    const good = textMessage('bakery', wamid(), '5511000000009') as { entry: { changes: { value: { messages: unknown[] } }[] }[] };
    const badId = wamid();
    good.entry[0]!.changes[0]!.value.messages.push({ from: '5511000000009', id: badId, type: 'text', text: { body: 42 } }, { id: 'no-sender' }, 'junk');
    const res = await post(good);
    expect(res.status).toBe(200);
    expect(sentBodies().filter((b) => b.to === '5511000000009').length).toBeGreaterThan(0);
    const rejected = (await runtime.db.analyticsEvent.findMany({ where: { type: 'whatsapp.rejected' } })).map((e) => JSON.parse(e.data) as { messageId?: string; reason: string });
    expect(rejected).toEqual(expect.arrayContaining([
      { messageId: badId, botId: 'directory', reason: 'message: unexpected shape for type "text"' },
      { messageId: 'no-sender', botId: 'directory', reason: 'message: expected an object with from and id' },
      { botId: 'directory', reason: 'message: expected an object with from and id' },
    ]));
  });
});

describe('WhatsApp message kinds', () => {
  it('answers a sticker with the "text and buttons only" reply', async () => {
    await post(stickerMessage());
    expect(sentBodies().at(-1)).toEqual(expect.objectContaining({ type: 'text', text: { body: 'Sorry, I can only read text and buttons. Please type your message.' } }));
  });

  it('parses orders from the WhatsApp cart into SKUs and quantities, and hands them to the engine', async () => {
    const payload = orderMessage([{ sku: 'PAO-FRANCES', quantity: 3 }, { sku: 'CAFE', quantity: 1 }]);
    const parsed = adapter.parse(payload, { botId: 'directory' });
    expect(parsed.ok && parsed.messages[0]).toMatchObject({ kind: 'order', items: [{ sku: 'PAO-FRANCES', quantity: 3 }, { sku: 'CAFE', quantity: 1 }], note: 'for pickup' });
    await post(payload);
    // The customer is shopping at the padaria (earlier test): known SKUs go into the cart at database prices.
    const sent = JSON.stringify(sentBodies());
    expect(sent).toContain("I've put 3 items from your order into your cart.");
    expect(sent).toContain('Some items could not be added (not for sale here, or not enough in stock): CAFE.');
    expect(sent).toContain('3 × Pão francês: R$2.70');
    const id = (payload['entry'] as { changes: { value: { messages: { id: string }[] } }[] }[])[0]?.changes[0]?.value.messages[0]?.id ?? '';
    expect(await runtime.db.inboundEvent.count({ where: { channel: 'whatsapp', messageId: id } })).toBe(1);
    expect(sentBodies().length).toBeGreaterThan(0);
  });

  it('parses locations', () => {
    const parsed = adapter.parse(locationMessage(), { botId: 'directory' });
    expect(parsed.ok && parsed.messages[0]).toMatchObject({ kind: 'location', latitude: -23.5505, longitude: -46.6333, name: 'Praça da Sé', customer: { id: CUSTOMER, name: 'Ana Souza' } });
  });

  it('sends option ids longer than WhatsApp allows as short tokens and reads them back', () => {
    const long = `product:${'x'.repeat(300)}`;
    const [rendered] = adapter.render({ kind: 'choice', text: 'Pick', options: [{ id: long, label: 'Long one' }, { id: 'b', label: 'B' }] }, { locale: 'en' });
    const id = rendered?.type === 'interactive' && rendered.interactive.type === 'button' ? rendered.interactive.action.buttons[0]?.reply.id ?? '' : '';
    expect(id.length).toBeLessThanOrEqual(200);
    const parsed = adapter.parse(buttonReply(id, 'Long one'), { botId: 'directory' });
    expect(parsed.ok && parsed.messages[0]).toMatchObject({ kind: 'choice', optionId: long });
    const forgotten = adapter.parse(buttonReply('~999999.2', 'B'), { botId: 'directory' });
    expect(forgotten.ok && forgotten.messages[0]).toMatchObject({ kind: 'text', text: '2' });
  });
});

describe('WhatsApp sending', () => {
  const to = { botId: 'directory', customerId: CUSTOMER };
  const hello = [{ type: 'text' as const, text: { body: 'hello' } }];

  it('retries a 429 and sends the message once', async () => {
    graph.script({ status: 429, body: { error: { code: 4, message: 'Too many calls' } } });
    await adapter.send(to, hello);
    expect(graph.sent('/messages')).toHaveLength(2);
  });

  it('retries error 130429 (throughput reached)', async () => {
    graph.script({ status: 400, body: { error: { code: 130429, message: 'Rate limit hit' } } }, { status: 503, body: {} });
    await adapter.send(to, hello);
    expect(graph.sent('/messages')).toHaveLength(3);
  });

  it('does not retry a permanent error and reports it', async () => {
    graph.script({ status: 400, body: { error: { code: 131009, message: 'Parameter value is not valid' } } });
    const failure = await adapter.send(to, hello).catch((err: unknown) => err);
    expect(isVitrineError(failure, 'VT_ERR_CHANNEL_SEND')).toBe(true);
    expect(graph.sent('/messages')).toHaveLength(1);
  });

  it('gives up after five attempts', async () => {
    graph.script(...Array.from({ length: 5 }, () => ({ status: 500, body: {} })));
    await expect(adapter.send(to, hello)).rejects.toThrow(/5 attempts/);
    expect(graph.sent('/messages')).toHaveLength(5);
  });

  it('sends from the phone number a bot sets in bot.yaml', async () => {
    const bots = new Map(runtime.engine.bots);
    const directory = bots.get('directory');
    if (!directory) throw new Error('directory bot missing');
    bots.set('directory', { ...directory, runtime: { ...directory.runtime, channels: { ...directory.runtime.channels, whatsapp: { phoneNumberId: '777' } } } });
    const routing = whatsappRouting(bots, { phoneNumberId: PHONE_NUMBER_ID });
    expect(routing.botFor?.('777')).toBe('directory');
    expect(routing.botFor?.('888')).toBeUndefined();
    const own = createWhatsAppAdapter({ accessToken: ACCESS_TOKEN, phoneNumberId: PHONE_NUMBER_ID, graphUrl: `${graph.url}/v21.0`, ...routing });
    await own.send(to, hello);
    expect(graph.requests[0]?.path).toBe('/v21.0/777/messages');
  });
});
