import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { createWebchatAdapter, type WebchatAdapter } from '../adapters/webchat/index.ts';
import type { ServerConfig } from './config.ts';
import { channelSender } from '../adapters/kit/index.ts';
import { mountMetrics, type Metrics } from './metrics.ts';
import type { Runtime } from './runtime.ts';
import { businessApiRoutes } from './routes/business-api.ts';
import { healthRoutes } from './routes/health.ts';
import { webchatRoutes, type WebchatRateLimit } from './routes/webchat.ts';
import { registerStripe } from './routes/stripe-webhook.ts';
import { registerTelegram } from '../adapters/telegram/index.ts';
import { registerWhatsApp } from '../adapters/whatsapp/index.ts';
import './raw-body.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Vitrine runtime: `app.runtime.engine`, `app.runtime.db` … */
    runtime: Runtime;
    /** The web chat adapter (its sockets). */
    webchat: WebchatAdapter;
    /** The server settings. */
    serverConfig: ServerConfig;
  }
}

/** What {@link buildApp} needs. */
export interface BuildAppOptions {
  runtime: Runtime;
  config: ServerConfig;
  /** The web chat adapter (created when not given). */
  webchat?: WebchatAdapter;
  /** Prometheus metrics for `GET /metrics` (see `createMetrics`); none when not given. */
  metrics?: Metrics;
  /** Web chat flood, connection and idle limits (defaults in {@link WebchatRateLimit}). */
  webchatLimits?: Partial<WebchatRateLimit>;
}

/** Largest WebSocket message the socket library accepts at all; the web chat route enforces its own, smaller limit. */
const WS_HARD_MAX_PAYLOAD = 64 * 1024;

function parseJson(text: string): unknown {
  // Drop `__proto__` keys so parsed bodies can never reach an object's prototype.
  return JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));
}

/**
 * Builds the Fastify app: JSON bodies keep their raw bytes (`request.rawBody`),
 * the web chat page and socket, health checks and the business API. Every
 * channel's replies leave through the engine's outbox; the web chat's sender
 * is registered here. `app.runtime` and `app.webchat` are there for other plugins.
 *
 * @example
 * ```ts
 * const runtime = await createRuntime();
 * const app = await buildApp({ runtime, config: loadServerConfig(process.env) });
 * await app.listen({ port: 3000, host: '127.0.0.1' });
 * ```
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { runtime, config } = options;
  const app = Fastify({ loggerInstance: runtime.logger, bodyLimit: 1024 * 1024 }) as unknown as FastifyInstance;
  const webchat = options.webchat ?? createWebchatAdapter();
  runtime.engine.outbox.register(channelSender(webchat));
  app.decorate('runtime', runtime);
  app.decorate('webchat', webchat);
  app.decorate('serverConfig', config);

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) {
      done(Object.assign(new Error('The body is empty; send a JSON value or no Content-Type'), { statusCode: 400, code: 'VT_ERR_BODY_EMPTY' }), undefined);
      return;
    }
    try {
      done(null, parseJson(raw.toString('utf8')));
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      done(Object.assign(new Error(`The body is not valid JSON (${detail})`), { statusCode: 400, code: 'VT_ERR_BODY_INVALID_JSON' }), undefined);
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.code(status).send({ error: 'internal', message: 'Something went wrong on our side' });
    }
    return reply.code(status).send({ error: error.code ?? 'bad_request', message: error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0] ?? ''}` }));

  if (options.metrics) {
    options.metrics.watchBacklog(runtime.engine.store);
    mountMetrics(app, options.metrics);
  }
  await app.register(websocket, { options: { maxPayload: WS_HARD_MAX_PAYLOAD } });
  await app.register(healthRoutes, { engine: runtime.engine });
  await app.register(webchatRoutes, { runtime, adapter: webchat, ...(options.webchatLimits ? { rateLimit: options.webchatLimits } : {}) });
  await app.register(businessApiRoutes, { runtime, config });

  // Routes of other plugins register here.
  // Card payments when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set (see docs/payments.md).
  await registerStripe(app, { runtime, env: process.env });
  // Channels whose environment variables are set (see docs/adapters.md).
  await registerWhatsApp(app, { runtime, env: process.env });
  await registerTelegram(app, { runtime, env: process.env });

  return app;
}
