import Fastify, { type FastifyInstance } from 'fastify';
import { errorHandler } from '../../server/error-handler.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter, telegramRoutes, type TelegramAdapter } from '../../adapters/telegram/index.ts';
import { channelSender, PendingWork } from '../../adapters/kit/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { startFakePlatform, type FakePlatform } from './fake-platform.ts';

const TOKEN = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';
const SECRET = 'telegram-secret_token-1';
const CHAT = 987654321;

type Button = { text: string; callback_data?: string; url?: string };
type Call = { chat_id?: number | string; text?: string; photo?: string; caption?: string; callback_query_id?: string; reply_markup?: { inline_keyboard: Button[][] } };

let runtime: TestRuntime;
let botApi: FakePlatform;
let app: FastifyInstance;
let base: string;
let adapter: TelegramAdapter;
const work = new PendingWork();
let updateId = 10_000;

const user = (id = CHAT) => ({ id, is_bot: false, first_name: 'Budi', last_name: 'Santoso', language_code: 'en' });
const textUpdate = (text: string, chat = CHAT, id = ++updateId) => ({
  update_id: id,
  message: { message_id: id, from: user(chat), chat: { id: chat, first_name: 'Budi', type: 'private' }, date: Math.floor(Date.now() / 1000), text },
});
const callbackUpdate = (data: string, chat = CHAT, id = ++updateId) => ({
  update_id: id,
  callback_query: {
    id: `4382bfdwdsb323b2d9${id}`, from: user(chat), chat_instance: '-8210493852170452396', data,
    message: { message_id: 55, chat: { id: chat, type: 'private' }, date: Math.floor(Date.now() / 1000), text: 'Pick one' },
  },
});

beforeAll(async () => {
  runtime = await createTestRuntime();
  botApi = await startFakePlatform(() => ({ status: 200, body: { ok: true, result: true } }));
  adapter = createTelegramAdapter({ token: TOKEN, apiUrl: botApi.url, retry: { baseDelayMs: 1 }, publicUrl: 'https://shop.example.com' });
  runtime.engine.outbox.register(channelSender(adapter));
  app = Fastify({ logger: false });
  await app.register(errorHandler);
  await app.register(telegramRoutes, { runtime, adapter, secretToken: SECRET, botId: 'directory', work });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await botApi?.close();
  await runtime?.dispose();
});

beforeEach(() => botApi.clear());

async function post(update: unknown, secret: string | null = SECRET): Promise<Response> {
  const res = await fetch(`${base}/webhooks/telegram`, {
    method: 'POST', body: JSON.stringify(update),
    headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
  });
  await work.idle();
  await runtime.engine.idle();
  return res;
}

const calls = (method: string): Call[] => botApi.sent(`/bot${TOKEN}/${method}`).map((r) => r.body as Call);

/** Taps the inline button labelled `label` in the last keyboard, or types its number from the last numbered text. */
async function pick(label: string): Promise<void> {
  const messages = calls('sendMessage');
  const keyboard = messages.map((m) => m.reply_markup).filter((k) => k !== undefined).at(-1);
  const button = keyboard?.inline_keyboard.flat().find((b) => b.text === label);
  botApi.clear();
  if (button?.callback_data) {
    await post(callbackUpdate(button.callback_data));
    return;
  }
  const numbered = messages.map((m) => m.text ?? '').reverse().map((t) => new RegExp(`^(\\d+)\\. ${label}`, 'm').exec(t)).find(Boolean);
  if (!numbered?.[1]) throw new Error(`no option "${label}"`);
  await post(textUpdate(numbered[1]));
}

describe('a purchase over Telegram', () => {
  it('goes from a search to an order in the database with inline keyboards', async () => {
    expect((await post(textUpdate('padaria'))).status).toBe(200);
    const first = botApi.requests[0];
    expect(first?.method).toBe('POST');
    expect(first?.path).toBe(`/bot${TOKEN}/sendMessage`);
    expect(first?.body).toMatchObject({ chat_id: String(CHAT) });
    const results = calls('sendMessage').at(-1);
    expect(results?.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(['Padaria São Jorge', 'Help']);
    for (const b of results?.reply_markup?.inline_keyboard.flat() ?? []) expect(Buffer.byteLength(b.callback_data ?? '')).toBeLessThanOrEqual(64);

    await pick('Padaria São Jorge');
    expect(calls('answerCallbackQuery')).toHaveLength(1);
    await pick('Pães');
    await pick('Pão francês');
    // The picture is a file of the bot: Telegram fetches it from PUBLIC_URL.
    expect(calls('sendPhoto')[0]).toMatchObject({ photo: 'https://shop.example.com/media/directory/images/padaria-sao-jorge/pao-frances.jpg' });
    botApi.clear();
    await post(textUpdate('2'));
    expect(calls('sendMessage')[0]?.text).toContain('Added 2 × Pão francês');
    botApi.clear();
    await post(textUpdate('cart'));
    expect(calls('sendMessage')[0]?.text).toContain('2 × Pão francês: R$1.80');
    await pick('Check out');
    expect(calls('sendMessage').map((m) => m.text).join('\n')).toMatch(/Order VT-[A-Z0-9]+ is placed/);

    const orders = await runtime.db.order.findMany({ include: { items: true } });
    expect(orders.map((o) => o.totalMinor)).toEqual([180]);
    expect(orders[0]?.items.map((i) => [i.sku, i.quantity])).toEqual([['PAO-FRANCES', 2]]);
  });
});

describe('Telegram webhook safety', () => {
  it('refuses a missing or wrong secret token and processes nothing', async () => {
    const before = await runtime.db.inboundEvent.count();
    expect((await post(textUpdate('padaria', 111), 'wrong')).status).toBe(401);
    expect((await post(textUpdate('padaria', 111), null)).status).toBe(401);
    expect(await runtime.db.inboundEvent.count()).toBe(before);
    expect(botApi.requests).toHaveLength(0);
  });

  it('answers a redelivered update once, and always answers the callback query', async () => {
    await post(textUpdate('padaria', 222));
    const keyboard = calls('sendMessage').at(-1)?.reply_markup?.inline_keyboard.flat() ?? [];
    const data = keyboard[0]?.callback_data ?? '';
    botApi.clear();
    const tap = callbackUpdate(data, 222);
    await post(tap);
    const once = calls('sendMessage').length;
    expect(once).toBeGreaterThan(0);
    await post(tap);
    expect(calls('sendMessage')).toHaveLength(once);
    expect(calls('answerCallbackQuery')).toHaveLength(2);
  });

  it('answers 413 to an oversized body and 400 to malformed ones, and keeps serving', async () => {
    const huge = await fetch(`${base}/webhooks/telegram`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: 1, pad: 'x'.repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
    const broken = await fetch(`${base}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: '{"update_id": ' });
    expect(broken.status).toBe(400);
    for (const wrong of [{}, { update_id: 'x' }, { update_id: 5, message: { text: 'hi' } }, { update_id: 6, callback_query: { data: 'x' } }, null]) {
      expect((await post(wrong)).status).toBe(400);
    }
    expect(botApi.requests).toHaveLength(0);
    expect((await post(textUpdate('help', 333))).status).toBe(200);
  });
});

describe('Telegram messages', () => {
  it('passes language_code as the customer locale hint', () => {
    const parsed = adapter.parse(textUpdate('oi'), { botId: 'directory' });
    expect(parsed.ok && parsed.messages[0]).toMatchObject({ kind: 'text', customer: { id: String(CHAT), name: 'Budi Santoso', locale: 'en' } });
  });

  it('answers a sticker with the "text and buttons only" reply', async () => {
    await post({ update_id: ++updateId, message: { message_id: 9, from: user(444), chat: { id: 444, type: 'private' }, date: 1, sticker: { file_id: 'CAAC', width: 512, height: 512 } } });
    expect(calls('sendMessage').at(-1)).toEqual({ chat_id: '444', text: 'Sorry, I can only read text and buttons. Please type your message.' });
  });

  it('keeps callback_data within 64 bytes and resolves long ids, or their position once forgotten', () => {
    const long = `cart:edit:${'é'.repeat(60)}`;
    const [call] = adapter.render({ kind: 'choice', text: 'Pick', options: [{ id: 'a', label: 'A' }, { id: long, label: 'Long' }] }, { locale: 'en' });
    const buttons = call?.method === 'sendMessage' ? call.reply_markup?.inline_keyboard.flat() ?? [] : [];
    const data = buttons[1] && 'callback_data' in buttons[1] ? buttons[1].callback_data : '';
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    const tapped = adapter.parse(callbackUpdate(data), { botId: 'directory' });
    expect(tapped.ok && tapped.messages[0]).toMatchObject({ kind: 'choice', optionId: long });
    const forgotten = adapter.parse(callbackUpdate('~424242.2'), { botId: 'directory' });
    expect(forgotten.ok && forgotten.messages[0]).toMatchObject({ kind: 'text', text: '2' });
  });

  it('sends a payment link as a URL button', () => {
    const [call] = adapter.render({ kind: 'paymentLink', text: 'Pay for order VT-1', url: 'https://pay.example/s/1', label: 'Pay R$1.80', amount: 'R$1.80', orderNumber: 'VT-1' }, { locale: 'en' });
    expect(call).toEqual({ method: 'sendMessage', text: 'Pay for order VT-1', reply_markup: { inline_keyboard: [[{ text: 'Pay R$1.80', url: 'https://pay.example/s/1' }]] } });
  });

  it('retries a 429 after retry_after and does not retry a 400', async () => {
    botApi.script({ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 0', parameters: { retry_after: 0 } } });
    await adapter.send({ botId: 'directory', customerId: '1' }, [{ method: 'sendMessage', text: 'hi' }]);
    expect(calls('sendMessage')).toHaveLength(2);
    botApi.clear();
    botApi.script({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } });
    await expect(adapter.send({ botId: 'directory', customerId: '1' }, [{ method: 'sendMessage', text: 'hi' }])).rejects.toThrow(/chat not found/);
    expect(calls('sendMessage')).toHaveLength(1);
  });
});
