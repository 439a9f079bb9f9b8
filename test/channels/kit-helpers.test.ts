import path from 'node:path';
import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { botForChannel, jsonBodyParser, MAX_WEBHOOK_BODY, safeEqual, withAbsoluteImages } from '../../adapters/kit/index.ts';
import { FrameBudget } from '../../adapters/webchat/index.ts';
import { loadBot, type LoadedBot, type ProductView } from '../../engine/index.ts';
import { BOTS_DIR } from '../../server/runtime.ts';

let directory: LoadedBot;
let bakery: LoadedBot;

/** A copy of a loaded bot under another id, enabled on the given channels. */
const botWith = (bot: LoadedBot, id: string, channels: Record<string, Record<string, unknown>>): LoadedBot =>
  ({ ...bot, runtime: { ...bot.runtime, id, channels } });
const botsOf = (...bots: LoadedBot[]) => new Map(bots.map((b) => [b.runtime.id, b]));

beforeAll(async () => {
  directory = await loadBot(path.join(BOTS_DIR, 'directory'));
  bakery = await loadBot(path.join(BOTS_DIR, 'corner-bakery'));
});

describe('botForChannel: which bot a channel endpoint talks for', () => {
  it('takes the bot named by configuration, and nothing when it is not loaded', () => {
    const bots = botsOf(botWith(directory, 'a', { telegram: {} }), botWith(bakery, 'b', {}));
    expect(botForChannel(bots, 'telegram', { named: 'b' })).toBe('b');
    expect(botForChannel(bots, 'telegram', { named: 'ghost' })).toBeUndefined();
  });

  it('else the one bot listing the channel, else the only bot loaded', () => {
    expect(botForChannel(botsOf(botWith(directory, 'a', { telegram: {} }), botWith(bakery, 'b', {})), 'telegram')).toBe('a');
    expect(botForChannel(botsOf(botWith(directory, 'a', {})), 'telegram')).toBe('a');
    expect(botForChannel(botsOf(botWith(directory, 'a', {}), botWith(bakery, 'b', {})), 'telegram')).toBeUndefined();
    expect(botForChannel(botsOf(botWith(directory, 'a', { telegram: {} }), botWith(bakery, 'b', { telegram: {} })), 'telegram')).toBeUndefined();
  });

  it('counts only the bots a channel lets in (WhatsApp leaves out bots with their own number)', () => {
    const bots = botsOf(botWith(directory, 'a', { whatsapp: { phoneNumberId: '777' } }), botWith(bakery, 'b', { whatsapp: {} }));
    expect(botForChannel(bots, 'whatsapp', { among: (bot) => bot.runtime.channels['whatsapp']?.['phoneNumberId'] === undefined })).toBe('b');
  });
});

describe('withAbsoluteImages: a bot\'s image files as addresses a platform can fetch', () => {
  const view = (imageUrl?: string): ProductView => ({
    id: 'p1', sku: 'BUN', name: 'Bun', description: '', price: { minor: 370, currency: 'GBP', formatted: '£3.70' }, inStock: true, ...(imageUrl ? { imageUrl } : {}),
  });
  const base = 'https://shop.example.com/';

  it('makes paths on this server absolute in products, lists, choices and images, and leaves web addresses alone', () => {
    expect(withAbsoluteImages({ kind: 'product', product: view('/media/corner-bakery/images/bun.jpg') }, base))
      .toMatchObject({ product: { imageUrl: 'https://shop.example.com/media/corner-bakery/images/bun.jpg' } });
    expect(withAbsoluteImages({ kind: 'productList', title: 'Buns', products: [view('/media/b/x.png'), view('https://cdn.example.org/y.jpg'), view()] }, base))
      .toMatchObject({ products: [{ imageUrl: 'https://shop.example.com/media/b/x.png' }, { imageUrl: 'https://cdn.example.org/y.jpg' }, {}] });
    const choice = withAbsoluteImages({ kind: 'choice', text: 'Pick', options: [{ id: 'a', label: 'Bun', product: view('/media/b/x.png') }, { id: 'b', label: 'Back' }] }, base);
    expect(choice).toMatchObject({ options: [{ product: { imageUrl: 'https://shop.example.com/media/b/x.png' } }, { id: 'b', label: 'Back' }] });
    expect(withAbsoluteImages({ kind: 'image', url: '//evil.example/x.jpg' }, base)).toEqual({ kind: 'image', url: '//evil.example/x.jpg' });
  });

  it('changes nothing without a public URL', () => {
    const message = { kind: 'product', product: view('/media/b/x.png') } as const;
    expect(withAbsoluteImages(message, undefined)).toEqual(message);
  });
});

describe('safeEqual', () => {
  it('is true only for the same string', () => {
    expect(safeEqual('s3cret', 's3cret')).toBe(true);
    expect(safeEqual('s3cret', 's3creT')).toBe(false);
    expect(safeEqual('s3cre', 's3cret')).toBe(false);
    expect(safeEqual(undefined, 's3cret')).toBe(false);
    expect(safeEqual(['s3cret'], 's3cret')).toBe(false);
  });
});

describe('jsonBodyParser: the one JSON body parser', () => {
  async function echo() {
    const app = Fastify({ logger: false });
    jsonBodyParser(app);
    app.post('/echo', async (request) => ({ raw: request.rawBody?.toString('utf8'), body: request.body }));
    return app;
  }
  const post = async (payload: string) => {
    const app = await echo();
    try {
      const res = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });
      return { status: res.statusCode, json: res.json() as Record<string, unknown> };
    } finally {
      await app.close();
    }
  };

  it('keeps the exact bytes and drops __proto__ keys', async () => {
    const payload = '{ "a" :1,\n"__proto__": {"x": 1} }';
    expect(await post(payload)).toEqual({ status: 200, json: { raw: payload, body: { a: 1 } } });
  });

  it('refuses empty bodies and invalid JSON with 400 and a code', async () => {
    expect(await post('')).toMatchObject({ status: 400, json: { code: 'VT_ERR_BODY_EMPTY' } });
    expect(await post('{"a": ')).toMatchObject({ status: 400, json: { code: 'VT_ERR_BODY_INVALID_JSON', message: expect.stringContaining('not valid JSON') } });
  });

  it('refuses bodies over the limit with 413', async () => {
    expect((await post(JSON.stringify({ a: 'x'.repeat(MAX_WEBHOOK_BODY) }))).status).toBe(413);
  });
});

describe('FrameBudget: a web chat connection\'s flood control', () => {
  it('accepts a burst, refuses beyond it, regains a frame per refill and asks to close after the strikes', () => {
    let now = 0;
    const budget = new FrameBudget({ capacity: 2, refillMs: 1000, maxStrikes: 3 }, () => now);
    expect([budget.take(), budget.take(), budget.take()]).toEqual(['accept', 'accept', 'refuse']);
    now = 1000;
    expect([budget.take(), budget.take()]).toEqual(['accept', 'refuse']);
    expect(budget.take()).toBe('close');
  });
});
