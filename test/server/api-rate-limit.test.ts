import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { hashApiKey } from '../../server/routes/business-api.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

describe('business API rate limits over loopback', () => {
  let rt: TestRuntime;
  const apps: FastifyInstance[] = [];
  const key = 'vt_test-rate-limited-key';

  beforeAll(async () => {
    rt = await createTestRuntime();
    const padaria = await rt.db.business.findUniqueOrThrow({ where: { botId_slug: { botId: 'directory', slug: 'padaria-sao-jorge' } } });
    await rt.db.apiKey.create({ data: { businessId: padaria.id, hash: hashApiKey(key) } });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await rt?.dispose();
  });

  /** A server with these settings, listening on a free port; returns its base URL. */
  async function serve(env: Record<string, string>): Promise<string> {
    const app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent', ...env }) });
    apps.push(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }
  const get = (base: string, bearer: string, from?: string) =>
    fetch(`${base}/api/v1/orders`, { headers: { authorization: `Bearer ${bearer}`, ...(from ? { 'x-forwarded-for': from } : {}) } });
  const statuses = async (calls: (() => Promise<Response>)[]) => {
    const out: number[] = [];
    for (const call of calls) out.push((await call()).status);
    return out;
  };

  it('counts wrong keys per address and answers over the cap with 429 in the error shape', async () => {
    const base = await serve({ API_RATE_LIMIT_PER_ADDRESS: '5' });
    const wrong = Array.from({ length: 5 }, (_, i) => () => get(base, `vt_guess-${i}`));
    expect(await statuses(wrong)).toEqual([401, 401, 401, 401, 401]);
    const refused = await get(base, 'vt_guess-next');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toEqual({ error: { code: 'VT_ERR_API_RATE_LIMITED', message: expect.stringContaining('Too many requests') } });
    // The right key from the same address is refused too: the address spent its budget.
    expect((await get(base, key)).status).toBe(429);
  });

  it('counts each key across addresses, and without TRUST_PROXY every forwarded address is the proxy', async () => {
    const trusting = await serve({ TRUST_PROXY: 'true', API_RATE_LIMIT_PER_KEY: '3', API_RATE_LIMIT_PER_ADDRESS: '4' });
    const fromMany = Array.from({ length: 4 }, (_, i) => () => get(trusting, key, `203.0.113.${i + 1}`));
    expect(await statuses(fromMany)).toEqual([200, 200, 200, 429]);
    // Other addresses behind the proxy keep their own budgets.
    expect(await statuses(Array.from({ length: 4 }, () => () => get(trusting, 'vt_wrong', '198.51.100.7')))).toEqual([401, 401, 401, 401]);
    expect((await get(trusting, 'vt_wrong', '198.51.100.8')).status).toBe(401);

    const direct = await serve({ API_RATE_LIMIT_PER_ADDRESS: '4' });
    const spoofed = Array.from({ length: 5 }, (_, i) => () => get(direct, 'vt_wrong', `192.0.2.${i + 1}`));
    expect(await statuses(spoofed)).toEqual([401, 401, 401, 401, 429]);
  });

  it('reads TRUST_PROXY as true, false, hops or a list of addresses, and refuses anything else', () => {
    expect(loadServerConfig({}).trustProxy).toBe(false);
    expect(loadServerConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadServerConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadServerConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toBe('127.0.0.1,10.0.0.0/8');
    expect(() => loadServerConfig({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY="yes please": must be true, false/);
    expect(loadServerConfig({}).apiRateLimit).toEqual({ perKey: 120, perAddress: 300, windowMs: 60_000 });
  });
});
