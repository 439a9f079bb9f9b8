import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWebchatAdapter, webchatRoutes } from '../../adapters/webchat/index.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

const logs: { level: number; msg: string }[] = [];
let rt: TestRuntime;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  rt = await createTestRuntime();
  const logger: FastifyBaseLogger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as { level: number; msg: string }) });
  app = Fastify({ loggerInstance: logger });
  await app.register(webchatRoutes, { runtime: rt, adapter: createWebchatAdapter(), defaultBotId: 'directory' });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  url = `${base.replace('http', 'ws')}/ws`;
});
afterAll(async () => {
  await app?.close();
  await rt?.dispose();
});

describe('web chat log levels', () => {
  it('logs a frame over the socket hard limit as a warning, not an error, and closes that socket', async () => {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(200 * 1024));
    expect(await closed).toBeGreaterThan(1000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(logs.some((l) => l.level === 40 && /client error/.test(l.msg))).toBe(true);
  });
});

describe('a reply to a customer whose web chat is closed', () => {
  const runtimeLogs: { level: number; msg: string; err?: { stack?: string } }[] = [];
  let served: TestRuntime;
  let server: FastifyInstance;
  beforeAll(async () => {
    const logger = pino({ level: 'debug' }, { write: (line: string) => void runtimeLogs.push(JSON.parse(line) as (typeof runtimeLogs)[number]) });
    served = await createTestRuntime({ logger });
    server = await buildApp({ runtime: served, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
  });
  afterAll(async () => {
    await server?.close();
    await served?.dispose();
  });

  it('is kept for their return without a warning or a stack in the log', async () => {
    const [admission] = await served.engine.admit([{
      kind: 'text', text: 'hi', messageId: 'away-1:m1', channel: 'webchat', botId: 'directory', customer: { id: 'away-1' }, timestamp: new Date(),
    }]);
    expect(admission?.duplicate).toBe(false);
    // The web chat's sender is the one that finds the page closed.
    expect(runtimeLogs.some((l) => l.msg === 'Web chat channel on')).toBe(true);
    await served.engine.idle();
    await expect.poll(async () => (await served.db.outboxMessage.findMany({ where: { customerId: 'away-1' } })).map((r) => [r.status, r.lastError]), { timeout: 5000 })
      .toContainEqual(['pending', 'customer away']);
    const about = runtimeLogs.filter((l) => /web chat open|away/i.test(`${l.msg} ${JSON.stringify(l)}`));
    expect(about.filter((l) => l.level >= 40)).toEqual([]);
    expect(runtimeLogs.filter((l) => l.level >= 40)).toEqual([]);
    expect(runtimeLogs.some((l) => l.err?.stack?.includes('no web chat open'))).toBe(false);
  });
});
