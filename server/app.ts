import Fastify, { type FastifyInstance } from 'fastify';
import { CHANNELS } from '../adapters/channels.ts';
import { jsonBodyParser, MountedChannels, type Channel } from '../adapters/kit/index.ts';
import type { ServerConfig } from './config.ts';
import { errorHandler } from './error-handler.ts';
import { serializeRequest } from './log-serializers.ts';
import { mountMetrics, type Metrics } from './metrics.ts';
import type { Runtime } from './runtime.ts';
import { businessApiRoutes } from './routes/business-api.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { webSocketSupport } from '../adapters/webchat/index.ts';
import { healthRoutes } from './routes/health.ts';
import { mediaRoutes } from './routes/media.ts';
import { registerPayments } from './payments.ts';
import { shopWebhookSender, staffChatSender } from '../adapters/shop-notices/index.ts';
import { STAFF_CHAT_CHANNELS } from '../engine/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Vitrine runtime: `app.runtime.engine`, `app.runtime.db` … */
    runtime: Runtime;
    /** The channels that are on: `app.channels.get(webchatChannel)` is the web chat's adapter. */
    channels: MountedChannels;
    /** The server settings. */
    serverConfig: ServerConfig;
  }
}

/** `TRUST_PROXY` as Fastify takes it: a number of hops is a function of the hop. */
function proxyTrust(trust: ServerConfig['trustProxy']): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

/** What {@link buildApp} needs. */
export interface BuildAppOptions {
  runtime: Runtime;
  config: ServerConfig;
  /** The channels to mount (default `CHANNELS` of `adapters/channels.ts`). */
  channels?: readonly Channel[];
  /** Where the channels read their variables (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Prometheus metrics for `GET /metrics` (see `createMetrics`); none when not given. */
  metrics?: Metrics;
}

/**
 * Builds the Fastify app: JSON bodies keep their raw bytes (`request.rawBody`),
 * request logs carry no secret query values (`hub.verify_token=[redacted]`),
 * health checks, the business API, bots' product images (`/media/…`), payments, and every listed channel whose
 * environment turns it on (each registers its routes and its outbox sender).
 * `app.runtime` and `app.channels` are there for other plugins.
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
  const app = Fastify({
    loggerInstance: runtime.logger.child({}, { serializers: { req: serializeRequest } }),
    bodyLimit: 1024 * 1024,
    trustProxy: proxyTrust(config.trustProxy),
    // A client that opens a connection and stays silent, or trickles its request, is let go.
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
  }) as unknown as FastifyInstance;
  app.decorate('runtime', runtime);
  app.decorate('serverConfig', config);
  jsonBodyParser(app);

  // Every failure, in every plugin below, is answered as { error: { code, message } } (docs/errors.md).
  await app.register(errorHandler);

  if (options.metrics) {
    options.metrics.watchBacklog(runtime.engine.store);
    mountMetrics(app, options.metrics);
  }
  await app.register(healthRoutes, { engine: runtime.engine, brokenBots: runtime.brokenBots });
  await app.register(businessApiRoutes, { runtime, config });
  // Sockets of every plugin (the web chat's, the dashboard's) go through the one upgrade handler registered here.
  await webSocketSupport(app);
  // The staff dashboard: its page at /dashboard and its live channel (README, "The staff dashboard").
  await app.register(dashboardRoutes, { runtime });
  // Product images that are files of a bot: /media/<bot-id>/<path>.
  await app.register(mediaRoutes, { bots: runtime.engine.bots });

  // Notices to businesses' webhooks (new orders, payments, hand-off requests; docs/notifications.md).
  runtime.engine.outbox.register(shopWebhookSender({ db: runtime.db, env: options.env ?? process.env }));

  // Routes of other plugins register here.
  // Payment providers' webhooks (those of `runtime.payments`) and return pages (see docs/payments.md).
  await registerPayments(app, runtime);
  // Channels whose environment variables are set (see docs/adapters.md); the web chat is always on.
  const channels = new MountedChannels();
  app.decorate('channels', channels);
  for (const channel of options.channels ?? CHANNELS) await channels.mount(app, channel, { runtime, env: options.env ?? process.env, publicUrl: config.publicUrl });
  // Notices to a business's staff chat go out through the channel it names, when that channel is on.
  for (const name of STAFF_CHAT_CHANNELS) {
    const adapter = channels.adapterNamed(name);
    if (adapter) runtime.engine.outbox.register(staffChatSender(name, adapter, runtime.i18n));
  }

  return app;
}
