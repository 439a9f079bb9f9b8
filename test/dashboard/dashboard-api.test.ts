import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { utcDay } from '../../engine/analytics/index.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { hashApiKey } from '../../server/routes/business-api.ts';
import { cashBakery } from '../support/cash-bakery.ts';
import { onEachDatabase, type TestRuntime } from '../support/test-runtime.ts';
import { BAKERY_WORDS, pickUpAtBakery } from '../support/bakery-pickup.ts';
import { optionNumber } from '../support/text.ts';

// The staff dashboard's reads of the business API: order filters, the order's history and valid marks,
// the funnel per day and the searches that found nothing, on each database.

const KEY = 'vt_test-dashboard-bakery-key';
const OTHER_KEY = 'vt_test-dashboard-padaria-key';
let rt: TestRuntime;
let app: FastifyInstance;

const get = async (url: string, key = KEY) => {
  const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
  return { status: response.statusCode, body: response.json() };
};
const mark = (number: string, status: string) =>
  app.inject({ method: 'POST', url: `/api/v1/orders/${number}/status`, headers: { authorization: `Bearer ${KEY}` }, payload: { status } });

/** A customer at the bakery: opens it, views the white sourdough (twice), adds two; optionally checks out. */
async function shopper(customerId: string, { checkout }: { checkout: boolean }) {
  const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId, locale: 'en-GB' });
  const categories = await chat.say('hi');
  const bread = await chat.say(optionNumber(categories, 'Bread'));
  await chat.say(optionNumber(bread, 'White sourdough'));
  const again = await chat.say('back');
  const product = await chat.say(optionNumber(again, 'White sourdough'));
  expect(product).toContain('White sourdough');
  expect(await chat.say('2')).toContain('Added 2');
  if (!checkout) return undefined;
  await pickUpAtBakery(chat, BAKERY_WORDS.en, { name: 'Ana', phone: '020 7946 0000' });
  return rt.db.order.findFirstOrThrow({ where: { conversation: { customer: { externalId: customerId } } } });
}

onEachDatabase((runtime) => { rt = runtime; }, () => {
  let number = '';
  beforeAll(async () => {
    app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
    const bakery = await rt.db.business.findFirstOrThrow({ where: { botId: 'corner-bakery' } });
    await rt.db.apiKey.create({ data: { businessId: bakery.id, hash: hashApiKey(KEY) } });
    const padaria = await rt.db.business.findFirstOrThrow({ where: { botId: 'directory', slug: 'padaria-sao-jorge' } });
    await rt.db.apiKey.create({ data: { businessId: padaria.id, hash: hashApiKey(OTHER_KEY) } });
    // One conversation goes all the way; another stops at the cart.
    const order = await shopper('funnel-all-the-way', { checkout: true });
    number = order?.number ?? '';
    expect((await mark(number, 'paid')).statusCode).toBe(200);
    await shopper('funnel-stops-at-cart', { checkout: false });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('counts each conversation once per stage and day: all the way to paid, and stopping at the cart', async () => {
    const { status, body } = await get('/api/v1/funnel?days=14');
    expect(status).toBe(200);
    expect(body.days).toHaveLength(14);
    expect(body.days.at(-1)).toEqual({ day: utcDay(new Date()), started: 2, found: 2, viewed: 2, added: 2, checkout: 1, paid: 1 });
    expect(body.days.slice(0, -1).every((d: Record<string, unknown>) => d['started'] === 0 && d['found'] === 0 && d['paid'] === 0)).toBe(true);
    // Another business's key sees its own funnel: nobody came.
    expect((await get('/api/v1/funnel?days=3', OTHER_KEY)).body.days.map((d: { found: number }) => d.found)).toEqual([0, 0, 0]);
    expect((await get('/api/v1/funnel?days=0')).status).toBe(400);
  });

  it('lists the searches at the shop that found nothing, most searched first, only to that shop', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'unfound-searcher', locale: 'en-GB' });
    await chat.say('hi');
    expect(await chat.say('xylophone')).toContain('xylophone');
    await chat.say('  XYLOPHONE ');
    expect(await chat.say('Tofu  Burger')).toContain('Tofu  Burger');
    // A search that found something is not counted.
    await chat.say('sourdough');
    const { body } = await get('/api/v1/searches/unfound?days=14');
    expect(body.searches).toEqual([{ query: 'xylophone', count: 2 }, { query: 'tofu burger', count: 1 }]);
    expect((await get('/api/v1/searches/unfound?days=14', OTHER_KEY)).body.searches).toEqual([]);
  });

  it('filters orders by the day they were placed and by how they reach the customer, and refuses filters it cannot read', async () => {
    const today = utcDay(new Date());
    const tomorrow = utcDay(new Date(Date.now() + 86_400_000));
    const yesterday = utcDay(new Date(Date.now() - 86_400_000));
    const numbers = async (query: string) => (await get(`/api/v1/orders${query}`)).body.orders.map((o: { number: string }) => o.number);
    expect(await numbers(`?from=${today}&to=${today}`)).toEqual([number]);
    expect(await numbers(`?from=${tomorrow}`)).toEqual([]);
    expect(await numbers(`?to=${yesterday}`)).toEqual([]);
    expect(await numbers(`?from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&status=paid`)).toEqual([number]);
    expect(await numbers('?status=awaiting_payment')).toEqual([]);
    // The order was for pickup.
    expect(await numbers('?fulfilment=pickup')).toEqual([number]);
    expect(await numbers('?fulfilment=delivery')).toEqual([]);
    for (const bad of ['?from=yesterday', '?to=2026-13-40', '?fulfilment=teleport']) {
      const { status, body } = await get(`/api/v1/orders${bad}`);
      expect([status, body.error.code]).toEqual([400, 'VT_ERR_REQUEST_INVALID']);
      expect(body.error.message).toContain('fulfilment is one of pickup, delivery, dine-in');
    }
  });

  it('shows an order with its history and the marks the order machine allows now', async () => {
    const { body } = await get(`/api/v1/orders/${number}`);
    expect(body.history.map((e: { type: string; to: string }) => [e.type, e.to])).toEqual([['created', 'awaiting_payment'], ['received', 'paid']]);
    expect(body.marks).toEqual(['fulfilled', 'refunded']);
    // A pickup order is collected, never shipped.
    expect((await mark(number, 'fulfilled')).json().marks).toEqual(['refunded']);
    // The list says the same.
    expect((await get('/api/v1/orders')).body.orders[0].marks).toEqual(['refunded']);
  });

  it('tells the dashboard which business the key is for and what it can filter by', async () => {
    const { body } = await get('/api/v1/business');
    expect(body.business).toMatchObject({ name: 'Corner Bakery', currency: 'GBP' });
    expect(body.orderStatuses).toContain('awaiting_payment');
    // The ways this shop offers (the bakery: pickup and delivery); a shop that asks nothing has none.
    expect(body.fulfilmentMethods).toEqual(['pickup', 'delivery']);
    expect((await get('/api/v1/business', OTHER_KEY)).body.fulfilmentMethods).toEqual([]);
  });
}, { botDirs: [cashBakery(), path.resolve(import.meta.dirname, '..', '..', 'bots', 'directory')] });
