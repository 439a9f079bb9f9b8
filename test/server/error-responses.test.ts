import path from 'node:path';
import pino from 'pino';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VitrineError } from '../../engine/index.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { requestError } from '../../server/error-handler.ts';
import { paymentProvidersFromEnv } from '../../server/payments.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { PHONE_NUMBER_ID, sign, textMessage } from '../channels/whatsapp-payloads.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

const ADMIN_TOKEN = 'admin-token-for-error-tests-0123456789';
const ENV = {
  WHATSAPP_APP_SECRET: 'errors-app-secret', WHATSAPP_VERIFY_TOKEN: 'errors-verify', WHATSAPP_ACCESS_TOKEN: 'EAAerrors', WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
  WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9/v21.0',
  TELEGRAM_BOT_TOKEN: '42:errors', TELEGRAM_SECRET_TOKEN: 'errors_secret', TELEGRAM_API_URL: 'http://127.0.0.1:9',
  STRIPE_SECRET_KEY: 'sk_test_errors', STRIPE_WEBHOOK_SECRET: 'whsec_errors', STRIPE_API_URL: 'http://127.0.0.1:9',
};

let rt: TestRuntime;
let app: FastifyInstance;

beforeAll(async () => {
  for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
  const config = loadServerConfig({ LOG_LEVEL: 'silent', ADMIN_TOKEN });
  const payments = paymentProvidersFromEnv(process.env, { publicUrl: config.publicUrl, logger: pino({ level: 'silent' }) });
  rt = await createTestRuntime({ botDirs: [path.join(BOTS_DIR, 'directory')], payments });
  app = await buildApp({ runtime: rt, config });
  // Routes that fail the ways a plugin's code can.
  app.get('/test/throws', async () => { throw new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2'); });
  app.get('/test/database', async () => { throw new VitrineError('VT_ERR_DATABASE', 'Could not connect to PostgreSQL at postgresql://app:***@db.internal/shop'); });
  app.post('/test/schema', { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } }, async () => ({ ok: true }));
  await app.ready();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await app?.close();
  await rt?.dispose();
});

/** Asserts the one error shape and returns its status, code and message. */
function refusal(res: LightMyRequestResponse): { status: number; code: string; message: string } {
  expect(res.headers['content-type']).toContain('application/json');
  const body = res.json() as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  return { status: res.statusCode, code: body.error.code, message: body.error.message };
}

const json = { 'content-type': 'application/json' };

describe('every surface answers a bad request as { error: { code, message } } with the code\'s status', () => {
  it('the business API: a bad key, an unknown order, an invalid query', async () => {
    expect(refusal(await app.inject({ url: '/api/v1/orders', headers: { authorization: 'Bearer vt_nobody' } })))
      .toEqual({ status: 401, code: 'VT_ERR_API_KEY_INVALID', message: 'The API key is not valid' });
    expect(refusal(await app.inject({ url: '/api/v1/orders/VT-NOPE', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })))
      .toEqual({ status: 404, code: 'VT_ERR_ORDER_UNKNOWN', message: 'No order VT-NOPE' });
    expect(refusal(await app.inject({ url: '/api/v1/orders', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })))
      .toEqual({ status: 403, code: 'VT_ERR_API_FORBIDDEN', message: 'Listing orders needs a business key' });
  });

  it('the WhatsApp webhook: a bad signature, a wrong handshake, a signed payload of the wrong shape', async () => {
    const body = JSON.stringify(textMessage('padaria'));
    const forged = await app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: { ...json, 'x-hub-signature-256': sign(body, 'not-the-secret') }, payload: body });
    expect(refusal(forged)).toMatchObject({ status: 401, code: 'VT_ERR_WEBHOOK_SIGNATURE' });
    const handshake = await app.inject({ url: '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1' });
    expect(refusal(handshake)).toMatchObject({ status: 403, code: 'VT_ERR_WEBHOOK_HANDSHAKE' });
    const odd = JSON.stringify({ object: 'page', entry: [] });
    const wrongShape = await app.inject({ method: 'POST', url: '/webhooks/whatsapp', headers: { ...json, 'x-hub-signature-256': sign(odd, ENV.WHATSAPP_APP_SECRET) }, payload: odd });
    expect(refusal(wrongShape)).toEqual({ status: 400, code: 'VT_ERR_CHANNEL_PAYLOAD', message: 'expected object "whatsapp_business_account"' });
  });

  it('the Telegram and Stripe webhooks: a missing or wrong secret or signature', async () => {
    const update = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, text: 'hi' } };
    const telegram = await app.inject({ method: 'POST', url: '/webhooks/telegram', headers: { 'x-telegram-bot-api-secret-token': 'wrong' }, payload: update });
    expect(refusal(telegram)).toMatchObject({ status: 401, code: 'VT_ERR_WEBHOOK_SIGNATURE' });
    const unsigned = await app.inject({ method: 'POST', url: '/webhooks/stripe', payload: { id: 'evt_1' } });
    expect(refusal(unsigned)).toEqual({ status: 401, code: 'VT_ERR_WEBHOOK_SIGNATURE', message: 'The signature is missing or does not match' });
    const forged = await app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'stripe-signature': 't=1,v1=00' }, payload: { id: 'evt_1' } });
    expect(refusal(forged)).toEqual({ status: 401, code: 'VT_ERR_WEBHOOK_SIGNATURE', message: 'The signature is missing or does not match' });
  });

  it('malformed bodies: invalid JSON, an empty JSON body, too large, an unsupported type, a failed schema', async () => {
    for (const url of ['/webhooks/whatsapp', '/webhooks/telegram', '/webhooks/stripe', '/api/v1/orders/VT-1/status']) {
      const res = await app.inject({ method: 'POST', url, headers: { ...json, authorization: `Bearer ${ADMIN_TOKEN}` }, payload: '{"entry": [' });
      expect(refusal(res), url).toMatchObject({ status: 400, code: 'VT_ERR_BODY_INVALID_JSON' });
    }
    const empty = await app.inject({ method: 'POST', url: '/api/v1/orders/VT-1/status', headers: { ...json, authorization: `Bearer ${ADMIN_TOKEN}` }, payload: '' });
    expect(refusal(empty)).toMatchObject({ status: 400, code: 'VT_ERR_BODY_EMPTY' });
    const huge = await app.inject({ method: 'POST', url: '/webhooks/telegram', headers: json, payload: `{"pad":"${'x'.repeat(1_100_000)}"}` });
    expect(refusal(huge)).toMatchObject({ status: 413, code: 'VT_ERR_BODY_TOO_LARGE' });
    const xml = await app.inject({ method: 'POST', url: '/api/v1/orders/VT-1/status', headers: { 'content-type': 'application/xml', authorization: `Bearer ${ADMIN_TOKEN}` }, payload: '<status>paid</status>' });
    expect(refusal(xml)).toMatchObject({ status: 415, code: 'VT_ERR_BODY_MEDIA_TYPE' });
    const schema = await app.inject({ method: 'POST', url: '/test/schema', headers: json, payload: '{"title": "x"}' });
    expect(refusal(schema)).toMatchObject({ status: 400, code: 'VT_ERR_REQUEST_INVALID', message: expect.stringContaining('name') });
  });

  it('unknown routes and unexpected failures, which never show their details', async () => {
    expect(refusal(await app.inject({ method: 'DELETE', url: '/nowhere?x=1' })))
      .toEqual({ status: 404, code: 'VT_ERR_ROUTE_UNKNOWN', message: 'No route DELETE /nowhere' });
    expect(refusal(await app.inject({ url: '/test/throws' })))
      .toEqual({ status: 500, code: 'VT_ERR_INTERNAL', message: 'Something went wrong on our side' });
    expect(refusal(await app.inject({ url: '/test/database' })))
      .toEqual({ status: 500, code: 'VT_ERR_DATABASE', message: 'The database could not be opened or migrated' });
  });
});

describe('readiness', () => {
  it('answers 503 in the one error shape when the database does not answer, and 200 again once it does', async () => {
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
    const backlog = vi.spyOn(rt.engine.store, 'backlog').mockRejectedValueOnce(new Error('connect ECONNREFUSED 10.0.0.7:5432'));
    expect(refusal(await app.inject({ url: '/ready' })))
      .toEqual({ status: 503, code: 'VT_ERR_DATABASE_UNAVAILABLE', message: 'The database does not answer' });
    backlog.mockRestore();
    expect((await app.inject({ url: '/ready' })).json()).toMatchObject({ status: 'ready', backlog: { deadLetters: 0 } });
  });
});

describe('requestError', () => {
  it("maps Fastify's own errors to catalogue codes and anything else to VT_ERR_INTERNAL", () => {
    const fastify = (code: string, statusCode: number) => Object.assign(new Error(code), { code, statusCode });
    expect(requestError(fastify('FST_ERR_CTP_BODY_TOO_LARGE', 413)).code).toBe('VT_ERR_BODY_TOO_LARGE');
    expect(requestError(fastify('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415)).code).toBe('VT_ERR_BODY_MEDIA_TYPE');
    expect(requestError(fastify('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400)).code).toBe('VT_ERR_REQUEST_INVALID');
    expect(requestError(fastify('FST_ERR_SOMETHING_ELSE', 500)).code).toBe('VT_ERR_INTERNAL');
    expect(requestError('a string').code).toBe('VT_ERR_INTERNAL');
    const own = new VitrineError('VT_ERR_CART_EMPTY');
    expect(requestError(own)).toBe(own);
  });
});
