import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { redactUrl } from '../../server/log-serializers.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { whatsappEnv, WHATSAPP_TEST_ENV } from '../support/whatsapp-webhooks.ts';

describe('request logs', () => {
  const lines: string[] = [];
  let rt: TestRuntime;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    const sink = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
    rt = await createTestRuntime({ logger: pino({ level: 'info' }, sink) });
    app = await buildApp({ runtime: rt, config: loadServerConfig({}), env: whatsappEnv('http://127.0.0.1:9') });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await app?.close();
    await rt?.dispose();
  });

  it("never write the WhatsApp verify token or other secret query values, and keep the rest of the URL", async () => {
    const token = WHATSAPP_TEST_ENV.WHATSAPP_VERIFY_TOKEN;
    expect(token.length).toBeGreaterThan(3);
    const res = await fetch(`${base}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=4711`);
    expect(await res.text()).toBe('4711');
    await fetch(`${base}/api/v1/orders?status=paid&api_key=vt_leaked-key-123&access_token=abc987`);
    const log = lines.join('');
    expect(log).toContain('hub.challenge=4711');
    expect(log).toContain('hub.verify_token=[redacted]');
    expect(log).toContain('/api/v1/orders?status=paid&api_key=[redacted]&access_token=[redacted]');
    expect(log).not.toContain(token);
    expect(log).not.toContain('vt_leaked-key-123');
    expect(log).not.toContain('abc987');
  });

  it('redact only the values of secret-looking names', () => {
    expect(redactUrl('/ws')).toBe('/ws');
    expect(redactUrl('/?bot=directory&lang')).toBe('/?bot=directory&lang');
    expect(redactUrl('/x?Secret=1&hub%2Everify_token=2&q=3')).toBe('/x?Secret=[redacted]&hub%2Everify_token=[redacted]&q=3');
  });
});
