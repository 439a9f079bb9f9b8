/**
 * Baseline server for the web chat benchmark, run as a child process like the
 * real server: plain Fastify + @fastify/websocket on `GET /ws`. It answers a
 * `hello` frame with a `welcome` and every `text` frame with one `message` frame
 * echoing the text, so the benchmark's client works unchanged. No engine, no database.
 * Environment: PORT, HOST.
 */
import Fastify from 'fastify';
import websocket from '@fastify/websocket';

const app = Fastify({ logger: false });
await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
app.get('/health', async () => ({ status: 'ok' }));
app.get('/ws', { websocket: true }, (socket) => {
  socket.on('message', (data) => {
    let frame: { type?: unknown; text?: unknown; customerId?: unknown; botId?: unknown };
    try {
      frame = JSON.parse(String(data)) as typeof frame;
    } catch {
      socket.send(JSON.stringify({ v: 1, type: 'error', code: 'VT_ERR_CHANNEL_PAYLOAD', message: 'The frame is not JSON' }));
      return;
    }
    if (frame.type === 'hello') {
      socket.send(JSON.stringify({ v: 1, type: 'welcome', customerId: frame.customerId, botId: frame.botId, locales: ['en'] }));
    } else if (frame.type === 'text') {
      socket.send(JSON.stringify({ v: 1, type: 'message', message: { kind: 'text', text: String(frame.text) } }));
    }
  });
});
await app.listen({ port: Number(process.env['PORT'] ?? 0), host: process.env['HOST'] ?? '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
