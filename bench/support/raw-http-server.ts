/**
 * Baseline server for the full-path benchmark, run as a child process like the
 * real server: plain Fastify (no logger) that parses the JSON body of
 * `POST /webhooks/whatsapp` and answers `{ ok: true }`. No signature check, no work.
 * Environment: PORT, HOST.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.get('/health', async () => ({ status: 'ok' }));
app.post('/webhooks/whatsapp', async (request) => ({ ok: typeof request.body === 'object' }));
app.listen({ port: Number(process.env['PORT'] ?? 0), host: process.env['HOST'] ?? '127.0.0.1' }).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
