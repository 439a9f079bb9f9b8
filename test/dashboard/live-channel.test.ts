import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { ChangeWatcher } from '../../server/dashboard/change-stamps.ts';
import { hashApiKey } from '../../server/routes/business-api.ts';
import { listenOnLoopback } from '../support/browser.ts';
import { cashBakery } from '../support/cash-bakery.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber } from '../support/text.ts';
import { BAKERY_WORDS, pickUpAtBakery } from '../support/bakery-pickup.ts';

const KEY = 'vt_test-live-channel-key';

/** A live socket and the frames it got; `closed` once the server closed it. */
async function live(base: string) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/dashboard/live`);
  const frames: { type: string; parts?: string[] }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as { type: string }));
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  return { ws, frames, closed };
}

describe('the dashboard live channel', () => {
  let rt: TestRuntime;
  let app: FastifyInstance;
  let base = '';
  beforeAll(async () => {
    rt = await createTestRuntime({ botDirs: [cashBakery()] });
    app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
    base = await listenOnLoopback(app);
    const bakery = await rt.db.business.findFirstOrThrow({ where: { botId: 'corner-bakery' } });
    await rt.db.apiKey.create({ data: { businessId: bakery.id, hash: hashApiKey(KEY) } });
  });
  afterAll(async () => {
    await app?.close();
    await rt?.dispose();
  });

  it('closes the socket of a wrong key with 4401, and of a first frame that names none with 4400', async () => {
    const wrong = await live(base);
    wrong.ws.send(JSON.stringify({ type: 'auth', key: 'vt_wrong' }));
    expect(await wrong.closed).toEqual({ code: 4401, reason: 'VT_ERR_API_KEY_INVALID' });
    const silent = await live(base);
    silent.ws.send('hello');
    expect((await silent.closed).code).toBe(4400);
    expect([...wrong.frames, ...silent.frames]).toEqual([]);
  });

  it('tells a signed-in page that orders changed when a customer places an order', async () => {
    const page = await live(base);
    page.ws.send(JSON.stringify({ type: 'auth', key: KEY }));
    await expect.poll(() => page.frames).toEqual([{ type: 'ready' }]);
    const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'live-channel-customer', locale: 'en-GB' });
    const bread = await chat.say(optionNumber(await chat.say('hi'), 'Bread'));
    await chat.say(optionNumber(bread, 'White sourdough'));
    await chat.say('1');
    await pickUpAtBakery(chat, BAKERY_WORDS.en, { name: 'Ana', phone: '020 7946 0000' });
    await expect.poll(() => page.frames[1], { timeout: 5000 }).toEqual({ type: 'changed', parts: ['orders'] });
    page.ws.close();
  });

  it('sees an order written by another process, reading one stamp per watched business', async () => {
    const bakery = await rt.db.business.findFirstOrThrow({ where: { botId: 'corner-bakery' } });
    // No timer: the test reads the stamps itself.
    const watcher = new ChangeWatcher({ db: rt.db, logger: rt.logger, intervalMs: 3_600_000 });
    const heard: string[][] = [];
    const stop = await watcher.watch(bakery.id, (parts) => heard.push(parts));
    await watcher.tick();
    expect(heard).toEqual([]);
    const order = await rt.db.order.findFirstOrThrow({ where: { businessId: bakery.id } });
    // As the orders CLI or another server instance would: straight to the database.
    await rt.db.order.update({ where: { id: order.id }, data: { status: 'cancelled', updatedAt: new Date(order.updatedAt.getTime() + 1000) } });
    await watcher.tick();
    expect(heard).toEqual([['orders']]);
    await watcher.tick();
    expect(heard).toHaveLength(1);
    stop();
    watcher.close();
  });
});
