import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, channelCapabilities } from '../../adapters/channels.ts';
import { createHttpJsonAdapter, httpJsonChannel } from '../../adapters/http-json/index.ts';
import { defineChannel, MountedChannels } from '../../adapters/kit/index.ts';
import { WEBCHAT_ERROR_CODES, webchatChannel, webchatPageBot } from '../../adapters/webchat/index.ts';
import { ERROR_CODES, type LoadedBot } from '../../engine/index.ts';
import { HTTP_JSON_CAPABILITIES } from '../../adapters/http-json/http-json-adapter.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

/** Every variable every listed channel reads, set, so each channel is on. */
const ALL_ON: Record<string, string> = {
  WHATSAPP_APP_SECRET: 'secret', WHATSAPP_VERIFY_TOKEN: 'verify', WHATSAPP_ACCESS_TOKEN: 'EAAtest', WHATSAPP_PHONE_NUMBER_ID: '1',
  TELEGRAM_BOT_TOKEN: '1:test', TELEGRAM_SECRET_TOKEN: 'secret_token',
  HTTP_JSON_API_KEY: 'key-123', HTTP_JSON_BOT: 'directory',
};
const ROOT = path.resolve(import.meta.dirname, '..', '..');

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await createTestRuntime();
});
afterAll(async () => {
  await runtime?.dispose();
});

const context = (env: Record<string, string>) => ({ runtime, env });

describe('the channel list', () => {
  it('has one channel per name, each with capabilities the server checks bots against', () => {
    const names = CHANNELS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...channelCapabilities().keys()].sort()).toEqual(['console', ...names].sort());
  });

  it('mounts every listed channel with exactly the routes it declares', async () => {
    const app = Fastify({ logger: false });
    const routes: string[] = [];
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
    });
    const mounted = new MountedChannels();
    for (const channel of CHANNELS) await mounted.mount(app, channel, context(ALL_ON));
    await app.ready();
    expect(mounted.names()).toEqual(CHANNELS.map((c) => c.name));
    expect(routes.sort()).toEqual(CHANNELS.flatMap((c) => c.routes.map((r) => `${r.method} ${r.url}`)).sort());
    await app.close();
  });

  it('leaves a channel off when none of its variables is set, and refuses one half configured', async () => {
    const app = Fastify({ logger: false });
    const mounted = new MountedChannels();
    await mounted.mount(app, httpJsonChannel, context({}));
    expect(mounted.get(httpJsonChannel)).toBeUndefined();
    await expect(new MountedChannels().mount(app, CHANNELS.find((c) => c.name === 'telegram') ?? httpJsonChannel, context({ TELEGRAM_BOT_TOKEN: '1:x' })))
      .rejects.toMatchObject({ code: 'VT_ERR_CONFIG_INVALID', message: expect.stringContaining('TELEGRAM_SECRET_TOKEN') });
    await app.close();
  });

  it('refuses a channel whose routes are not the ones it declares, and two channels of one name', async () => {
    const sneaky = defineChannel({
      name: 'http-json', title: 'Sneaky', capabilities: HTTP_JSON_CAPABILITIES, env: { required: [], optional: [] },
      routes: [{ method: 'POST', url: '/webhooks/sneaky' }],
      configure: () => ({}),
      createAdapter: () => createHttpJsonAdapter(),
      async register(app) {
        app.post('/webhooks/sneaky', async () => ({}));
        app.get('/admin', async () => ({}));
      },
    });
    const app = Fastify({ logger: false });
    await expect(new MountedChannels().mount(app, sneaky, context({}))).rejects.toMatchObject({ code: 'VT_ERR_CONFIG_INVALID', message: expect.stringContaining('GET /admin') });
    const twice = new MountedChannels();
    await twice.mount(Fastify({ logger: false }), httpJsonChannel, context(ALL_ON));
    await expect(twice.mount(Fastify({ logger: false }), httpJsonChannel, context(ALL_ON))).rejects.toMatchObject({ code: 'VT_ERR_CONFIG_INVALID' });
  });

  it('documents every variable and route of every channel in docs/adapters.md', () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'adapters.md'), 'utf8');
    for (const channel of CHANNELS) {
      for (const name of [...channel.env.required, ...channel.env.optional]) expect(doc, `${channel.name}: ${name}`).toContain(name);
      for (const route of channel.routes) expect(doc, `${channel.name}: ${route.method} ${route.url}`).toContain(`${route.method} ${route.url}`);
    }
  });
});

describe('the web chat page\'s bot comes from configuration', () => {
  async function pageBot(env: Record<string, string>, rt: TestRuntime = runtime): Promise<string> {
    const app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }), channels: [webchatChannel], env });
    try {
      const html = (await app.inject({ method: 'GET', url: '/' })).body;
      return /data-bot="([^"]*)"/.exec(html)?.[1] ?? '';
    } finally {
      await app.close();
    }
  }

  it('serves WEBCHAT_BOT, refuses an unknown one, and lets the URL pick another bot', async () => {
    expect(await pageBot({ WEBCHAT_BOT: 'directory' })).toBe('directory');
    expect(await pageBot({ WEBCHAT_BOT: 'corner-bakery' })).toBe('corner-bakery');
    await expect(pageBot({ WEBCHAT_BOT: 'ghost' })).rejects.toMatchObject({ code: 'VT_ERR_CONFIG_INVALID', message: expect.stringContaining('WEBCHAT_BOT') });
    const app = await buildApp({ runtime, config: loadServerConfig({ LOG_LEVEL: 'silent' }), channels: [webchatChannel], env: { WEBCHAT_BOT: 'corner-bakery' } });
    expect((await app.inject({ method: 'GET', url: '/?bot=directory' })).body).toContain('data-bot="directory"');
    await app.close();
  });

  it('without WEBCHAT_BOT, serves the bot whose bot.yaml marks the page, and the only bot when one is loaded', async () => {
    expect(await pageBot({})).toBe('directory');
    const single = await createTestRuntime({ botDirs: [path.join(BOTS_DIR, 'corner-bakery')] });
    try {
      expect(await pageBot({}, single)).toBe('corner-bakery');
    } finally {
      await single.dispose();
    }
  });

  it('picks the page bot by configuration only: WEBCHAT_BOT, the page mark, the one bot listing the web chat, the first bot', () => {
    const directory = runtime.engine.bots.get('directory');
    const bakery = runtime.engine.bots.get('corner-bakery');
    if (!directory || !bakery) throw new Error('example bots missing');
    const as = (bot: LoadedBot, id: string, channels: Record<string, Record<string, unknown>>): [string, LoadedBot] => [id, { ...bot, runtime: { ...bot.runtime, id, channels } }];
    const marked = new Map([as(directory, 'a', { webchat: {} }), as(bakery, 'b', { webchat: { page: true } })]);
    expect(webchatPageBot(marked)).toBe('b');
    expect(webchatPageBot(marked, 'a')).toBe('a');
    expect(webchatPageBot(marked, 'ghost')).toBe('');
    expect(webchatPageBot(new Map([as(directory, 'a', {}), as(bakery, 'b', { webchat: {} })]))).toBe('b');
    expect(webchatPageBot(new Map([as(directory, 'a', { webchat: {} }), as(bakery, 'b', { webchat: {} })]))).toBe('a');
    expect(webchatPageBot(new Map())).toBe('');
  });

  it('hands back the mounted web chat adapter with its own type', async () => {
    const app = await buildApp({ runtime, config: loadServerConfig({ LOG_LEVEL: 'silent' }), channels: [webchatChannel], env: {} });
    expect(app.channels.get(webchatChannel)?.connections({ botId: 'directory', customerId: 'nobody-0001' })).toBe(0);
    expect(app.channels.get(httpJsonChannel)).toBeUndefined();
    await app.close();
  });
});

describe('the http-json channel mounted from the list', () => {
  it('answers on POST /webhooks/http-json for HTTP_JSON_BOT when HTTP_JSON_API_KEY is set', async () => {
    const app = await buildApp({ runtime, config: loadServerConfig({ LOG_LEVEL: 'silent' }), env: { HTTP_JSON_API_KEY: 'key-123', HTTP_JSON_BOT: 'directory' } });
    try {
      const say = (key: string) => app.inject({
        method: 'POST', url: '/webhooks/http-json', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        payload: JSON.stringify({ messageId: 'list-1', customerId: 'lia', text: 'padaria' }),
      });
      expect((await say('wrong')).statusCode).toBe(401);
      const res = await say('key-123');
      expect(res.statusCode).toBe(200);
      expect(JSON.stringify(res.json())).toContain('Padaria São Jorge');
    } finally {
      await app.close();
    }
  });
});

describe('the web chat protocol document', () => {
  it('documents every code the web chat sends, each one from the error catalogue', () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'webchat-protocol.md'), 'utf8');
    for (const code of WEBCHAT_ERROR_CODES) {
      expect(Object.keys(ERROR_CODES), code).toContain(code);
      expect(doc, code).toContain(`\`${code}\``);
    }
  });
});
