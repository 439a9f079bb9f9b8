import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../channels/whatsapp-payloads.ts';
import { describeCalls, startFakeGraph, type FakeGraphApi } from '../../adapters/kit/testing/index.ts';
import { queryDatabase, settled } from '../support/read-database.ts';
import { startServer, tempDir, type ProcessExit, type ServerProcess } from '../support/server-process.ts';
import { textWebhook, whatsappEnv, WHATSAPP_TEST_ENV, type Webhook } from '../support/whatsapp-webhooks.ts';

// SIGTERM (a deploy, `docker stop`) while Meta is delivering a webhook over a kept-alive
// connection, against the real server process (server/main.ts).

const CUSTOMER = '5511974000001';

/**
 * A webhook sent the way a keep-alive HTTP/1.1 client sends it, in two parts: the request
 * is still arriving until {@link SlowWebhook.finish}, and the connection stays open after
 * the answer, for the next delivery.
 */
interface SlowWebhook {
  /** Sends the rest of the body and resolves with the status line's code. */
  finish(): Promise<number>;
  close(): void;
}

async function startSlowWebhook(url: string, hook: Webhook): Promise<SlowWebhook> {
  const socket: Socket = connect(Number(new URL(url).port), '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  const answered = new Promise<number>((resolve, reject) => {
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      received += chunk;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (status && received.includes('\r\n\r\n')) resolve(Number(status[1]));
    });
    socket.once('close', () => reject(new Error(`connection closed before an answer: ${JSON.stringify(received)}`)));
  });
  answered.catch(() => undefined);
  const body = Buffer.from(hook.body);
  socket.write([
    'POST /webhooks/whatsapp HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'Connection: keep-alive',
    `X-Hub-Signature-256: ${sign(hook.body, WHATSAPP_TEST_ENV.WHATSAPP_APP_SECRET)}`, `Content-Length: ${body.length}`, '', '',
  ].join('\r\n'));
  socket.write(body.subarray(0, 20));
  return {
    finish() {
      socket.write(body.subarray(20));
      return answered;
    },
    close: () => void socket.destroy(),
  };
}

let graph: FakeGraphApi;
let db: ReturnType<typeof tempDir>;
let server: ServerProcess;
const hook = textWebhook(CUSTOMER, 'padaria');

beforeAll(async () => {
  graph = await startFakeGraph();
  db = tempDir('graceful-shutdown');
  // LOG_LEVEL info: the server logs "shutting down" when it takes the SIGTERM.
  server = await startServer({ databaseUrl: db.databaseUrl, env: whatsappEnv(graph.graphUrl, { LOG_LEVEL: 'info' }) });
}, 90_000);

afterAll(async () => {
  await server?.kill('SIGKILL');
  await graph?.close();
  db?.remove();
});

describe('a SIGTERM while a webhook is arriving', () => {
  it('answers the webhook with 200 and exits cleanly (code 0) within 5 s, though the sender keeps its connection open', async () => {
    const webhook = await startSlowWebhook(server.url, hook);
    const stopping = server.kill('SIGTERM');
    const signalledAt = Date.now();
    // The request is completed once the server is shutting down (it logs that first).
    await server.waitForOutput('shutting down', 10_000);
    expect(await webhook.finish()).toBe(200);

    const exit = await Promise.race([stopping, timeout(20_000)]);
    const tookMs = Date.now() - signalledAt;
    webhook.close();
    expect(exit, `the server said:\n${server.output().slice(-2000)}`).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(5_000);
  }, 30_000);

  it('answers that webhook\'s message after the restart, each reply once', async () => {
    await server.exited;
    server = await startServer({ databaseUrl: db.databaseUrl, env: whatsappEnv(graph.graphUrl) });
    await graph.waitFor(() => graph.accepted(CUSTOMER).length >= 3, 15_000, () => describeCalls(graph.calls));
    await settled(server.url, 10_000);
    expect(graph.accepted(CUSTOMER).map((c) => c.key)).toEqual([
      expect.stringContaining('Welcome to Vitrine Directory!'),
      expect.stringContaining('What are you looking for?'),
      expect.stringContaining('Here\'s what I found for "padaria"'),
    ]);
    const events = queryDatabase<{ status: string }>(db.databaseUrl, 'SELECT status FROM InboundEvent WHERE messageId = ?', hook.id);
    expect(events.map((e) => e.status)).toEqual(['done']);
  }, 40_000);
});

function timeout(ms: number): Promise<ProcessExit | undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
