import Fastify, { type FastifyInstance } from 'fastify';
import { errorHandler } from '../../server/error-handler.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpJsonAdapter, httpJsonRoutes, type HttpJsonOutbound } from '../../adapters/http-json/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

let runtime: TestRuntime;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  runtime = await createTestRuntime();
  app = Fastify({ logger: false });
  await app.register(errorHandler);
  await app.register(httpJsonRoutes, { engine: runtime.engine, adapter: createHttpJsonAdapter(), botId: 'directory', apiKey: 'key-123' });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await runtime?.dispose();
});

async function say(body: unknown, key = 'key-123'): Promise<{ status: number; messages: HttpJsonOutbound[] }> {
  const res = await fetch(`${base}/webhooks/http-json`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  const json = (await res.json()) as { messages?: HttpJsonOutbound[] };
  return { status: res.status, messages: json.messages ?? [] };
}

describe('the http-json example channel', () => {
  it('answers a search with buttons and a tap with the shop', async () => {
    const first = await say({ messageId: 'h1', customerId: 'ana', text: 'padaria' });
    expect(first.status).toBe(200);
    const results = first.messages.find((m) => m.type === 'text' && m.buttons);
    const shop = results?.type === 'text' ? results.buttons?.find((b) => b.title === 'Padaria São Jorge') : undefined;
    expect(shop).toBeDefined();
    const second = await say({ messageId: 'h2', customerId: 'ana', optionId: shop?.id });
    expect(second.messages.map((m) => (m.type === 'text' ? m.text : '')).join('\n')).toContain('Welcome to Padaria São Jorge');
    expect(await say({ messageId: 'h2', customerId: 'ana', optionId: shop?.id })).toEqual(second);
  });

  it('refuses a wrong key and malformed bodies', async () => {
    expect((await say({ messageId: 'h3', customerId: 'ana', text: 'hi' }, 'wrong')).status).toBe(401);
    expect((await say({ customerId: 'ana', text: 'hi' })).status).toBe(400);
  });
});
