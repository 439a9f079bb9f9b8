import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWebchatAdapter, webchatRoutes } from '../../adapters/webchat/index.ts';
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
