import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWhatsAppAdapter, whatsappRouting, whatsappRoutes } from '../../adapters/whatsapp/index.ts';
import { errorHandler } from '../../server/error-handler.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { PHONE_NUMBER_ID, sign, textMessage } from './whatsapp-payloads.ts';

const APP_SECRET = 'journal-app-secret';
let rt: TestRuntime;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  rt = await createTestRuntime();
  const adapter = createWhatsAppAdapter({
    accessToken: 'EAAtest', phoneNumberId: PHONE_NUMBER_ID, graphUrl: 'http://127.0.0.1:9/v21.0', appSecret: APP_SECRET,
    ...whatsappRouting(rt.engine.bots, { phoneNumberId: PHONE_NUMBER_ID, defaultBotId: 'directory' }),
  });
  app = Fastify({ logger: false });
  await app.register(errorHandler);
  await app.register(whatsappRoutes, { runtime: rt, adapter, verifyToken: 'v', appSecret: APP_SECRET });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await rt?.dispose();
});

const post = (payload: unknown) => {
  const body = JSON.stringify(payload);
  return fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, APP_SECRET) }, body });
};

describe('a webhook whose message cannot be kept', () => {
  it('is answered 503 (never 200), so Meta delivers it again, and 200 once the journal can keep it', async () => {
    const message = textMessage('padaria');
    // The journal's table is unwritable: the database refuses the admission for real.
    await rt.db.$executeRawUnsafe('ALTER TABLE "InboundEvent" RENAME TO "InboundEventAway"');
    try {
      const refused = await post(message);
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual({ error: { code: 'VT_ERR_JOURNAL_UNAVAILABLE', message: 'The message could not be kept; send it again later' } });
    } finally {
      await rt.db.$executeRawUnsafe('ALTER TABLE "InboundEventAway" RENAME TO "InboundEvent"');
    }
    // Meta's redelivery of the same body.
    expect((await post(message)).status).toBe(200);
    expect(await rt.db.inboundEvent.count({ where: { channel: 'whatsapp' } })).toBe(1);
  });
});
