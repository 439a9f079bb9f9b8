import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { startFakePlatform, type FakePlatform } from './fake-platform.ts';
import { buttonReply, listReply, PHONE_NUMBER_ID, sign, textMessage } from './whatsapp-payloads.ts';

const ENV = {
  WHATSAPP_APP_SECRET: 'mount-secret', WHATSAPP_VERIFY_TOKEN: 'mount-verify', WHATSAPP_ACCESS_TOKEN: 'EAAmount', WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
  TELEGRAM_BOT_TOKEN: '42:mount', TELEGRAM_SECRET_TOKEN: 'mount_secret',
};

let runtime: TestRuntime;
let platform: FakePlatform;
let app: FastifyInstance;
let base: string;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  platform = await startFakePlatform(() => ({ status: 200, body: { ok: true, result: true, messages: [{ id: 'wamid.out' }] } }));
  for (const [k, v] of Object.entries({ ...ENV, WHATSAPP_GRAPH_URL: `${platform.url}/v21.0`, TELEGRAM_API_URL: platform.url })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  runtime = await createTestRuntime({ botDirs: [path.join(BOTS_DIR, 'directory')] });
  app = await buildApp({ runtime, config: loadServerConfig({ PUBLIC_URL: 'https://shop.example.com' }) });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await platform?.close();
  await runtime?.dispose();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await runtime.engine.drain().then(() => new Promise((r) => setImmediate(r)));
}

describe('channels mounted by the server', () => {
  it('serves the WhatsApp webhook with the server body parser and delivers through the Graph API', async () => {
    const handshake = await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=mount-verify&hub.challenge=7`);
    expect(await handshake.text()).toBe('7');
    const body = JSON.stringify(textMessage('padaria'));
    const res = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, 'mount-secret') }, body });
    expect(res.status).toBe(200);
    await until(() => platform.sent('/messages').length >= 3);
    expect(platform.sent('/messages')[0]?.headers.authorization).toBe('Bearer EAAmount');
    const forged = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, 'other') }, body });
    expect(forged.status).toBe(401);
  });

  it('serves the Telegram webhook', async () => {
    const update = { update_id: 1, message: { message_id: 1, from: { id: 5, is_bot: false, first_name: 'Rui' }, chat: { id: 5, type: 'private' }, date: 1, text: 'padaria' } };
    const res = await fetch(`${base}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'mount_secret' }, body: JSON.stringify(update) });
    expect(res.status).toBe(200);
    await until(() => platform.sent('/bot42:mount/sendMessage').length >= 3);
    expect(platform.sent('/bot42:mount/sendMessage')[0]?.body).toMatchObject({ chat_id: '5' });
  });

  it('sends a product\'s picture on WhatsApp as an image at PUBLIC_URL, which the server serves', async () => {
    type Sent = { type: string; image?: { link: string }; interactive?: { action: { buttons?: { reply: { id: string; title: string } }[]; sections?: { rows: { id: string; title: string }[] }[] } } };
    const sent = () => platform.sent('/messages').map((r) => r.body as Sent);
    const post = async (payload: unknown) => {
      const body = JSON.stringify(payload);
      const count = sent().length;
      const res = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, 'mount-secret') }, body });
      expect([res.status, await res.text()]).toEqual([200, expect.any(String)]);
      await until(() => sent().length > count);
    };
    /** Taps the button or list row titled `title` in the last interactive message. */
    const tap = async (title: string) => {
      const action = sent().map((b) => b.interactive?.action).filter((a) => a !== undefined).at(-1);
      const button = action?.buttons?.find((b) => b.reply.title === title);
      const row = action?.sections?.flatMap((x) => x.rows).find((r) => r.title === title);
      if (button) await post(buttonReply(button.reply.id, title));
      else if (row) await post(listReply(row.id, title));
      else throw new Error(`no option "${title}"`);
    };
    await post(textMessage('padaria', undefined, '5511900000001'));
    await tap('Padaria São Jorge');
    await tap('Pães');
    await tap('Pão francês');
    await until(() => sent().some((b) => b.type === 'image'));
    const link = sent().find((b) => b.type === 'image')?.image?.link ?? '';
    expect(link).toBe('https://shop.example.com/media/directory/images/padaria-sao-jorge/pao-frances.jpg');
    const picture = await fetch(`${base}${new URL(link).pathname}`);
    expect(picture.status).toBe(200);
    expect(picture.headers.get('content-type')).toBe('image/jpeg');
    expect((await picture.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });
});
