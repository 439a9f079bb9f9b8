import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { createMetrics } from '../../server/metrics.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

let rt: TestRuntime;
let app: FastifyInstance;
let base: string;
const metrics = createMetrics();

const WHATSAPP = {
  WHATSAPP_APP_SECRET: 'metrics-app-secret', WHATSAPP_VERIFY_TOKEN: 'metrics-verify', WHATSAPP_ACCESS_TOKEN: 'metrics-token',
  WHATSAPP_PHONE_NUMBER_ID: '100000000000001', WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9/v21.0',
};

beforeAll(async () => {
  rt = await createTestRuntime({ engine: { observer: metrics.engine, outbox: { observer: metrics.outbox } } });
  // The server mounts WhatsApp from the environment: a forged webhook must be counted.
  Object.assign(process.env, WHATSAPP);
  try {
    app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }), metrics });
  } finally {
    for (const name of Object.keys(WHATSAPP)) delete process.env[name];
  }
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await rt?.dispose();
});

/** The value of one sample line of the Prometheus text, or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('GET /metrics', () => {
  it('counts turns per bot and channel, their latency, the backlog, and refused webhook signatures', async () => {
    const customer = { id: 'metrics-ana' };
    await rt.engine.handle({ kind: 'text', text: 'oi', messageId: 'metrics-1', channel: 'console', botId: 'directory', customer });
    await rt.engine.handle({ kind: 'text', text: 'padaria', messageId: 'metrics-2', channel: 'console', botId: 'directory', customer });
    const forged = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00' }, body: '{"object":"whatsapp_business_account","entry":[]}' });
    expect(forged.status).toBe(401);

    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'vitrine_turns_total{bot="directory",channel="console",outcome="done"}')).toBe(2);
    expect(sample(text, 'vitrine_turn_duration_seconds_count{bot="directory",channel="console"}')).toBe(2);
    expect(sample(text, 'vitrine_backlog{queue="journal"}')).toBe(0);
    expect(sample(text, 'vitrine_backlog{queue="dead_letters"}')).toBe(0);
    expect(text).toContain('vitrine_process_resident_memory_bytes');
    expect(sample(text, 'vitrine_webhook_signature_rejections_total{route="/webhooks/whatsapp"}')).toBe(1);
    expect(sample(text, 'vitrine_events_admitted_total{channel="whatsapp",duplicate="false"}')).toBeUndefined();
  });
});
