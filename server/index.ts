/**
 * `vitrine/server`: the runtime that loads bots from folders into an engine,
 * and the HTTP/WebSocket server that mounts channels, payment webhooks, the
 * business API, health checks and metrics on it. `server/main.ts` (`npm start`)
 * is the program built from these.
 *
 * @example
 * ```ts
 * import { buildApp, createRuntime, loadServerConfig } from 'vitrine/server';
 * const config = loadServerConfig(process.env);
 * const runtime = await createRuntime({ databaseUrl: config.databaseUrl });
 * const app = await buildApp({ runtime, config });
 * ```
 *
 * @packageDocumentation
 */

// Loading bots into an engine
export { createRuntime, listBotDirs, BOTS_DIR } from './runtime.ts';
export type { Runtime, RuntimeOptions } from './runtime.ts';

// The HTTP server
export { buildApp } from './app.ts';
export type { BuildAppOptions } from './app.ts';
export { loadServerConfig } from './config.ts';
export type { ServerConfig } from './config.ts';
export { errorHandler } from './error-handler.ts';
export type { ErrorResponse } from './error-handler.ts';
export type { OrderView, PaymentView } from './routes/business-api.ts';
export { createMetrics } from './metrics.ts';
export type { Metrics } from './metrics.ts';

// Channels and payment providers the server mounts
export { CHANNELS, channelCapabilities } from '../adapters/channels.ts';
export { PAYMENT_PROVIDERS, paymentProvidersFromEnv } from './payments.ts';
