import type { FastifyInstance } from 'fastify';
import { channelEnv, channelSender, sendRate, type RouteRuntime } from '../kit/index.ts';
import { whatsappRoutes } from './routes.ts';
import { createWhatsAppAdapter, whatsappRouting, type WhatsAppAdapter } from './whatsapp-adapter.ts';

/** The environment variables of the WhatsApp channel. */
export const WHATSAPP_ENV = {
  required: ['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID'],
  optional: ['WHATSAPP_GRAPH_URL', 'WHATSAPP_SEND_RATE'],
} as const;

/**
 * Turns the WhatsApp channel on when its environment variables are set:
 * creates the adapter, registers it for delivery and mounts its webhook routes.
 * Returns the adapter, or undefined when the channel is off.
 *
 * @example
 * ```ts
 * await registerWhatsApp(app, { runtime, env: process.env });
 * ```
 */
export async function registerWhatsApp(
  app: FastifyInstance,
  options: { runtime: RouteRuntime; env: Record<string, string | undefined>; fetch?: typeof fetch },
): Promise<WhatsAppAdapter | undefined> {
  const vars = channelEnv(options.env, 'WhatsApp', WHATSAPP_ENV.required, WHATSAPP_ENV.optional);
  if (!vars) return undefined;
  const phoneNumberId = vars['WHATSAPP_PHONE_NUMBER_ID'] ?? '';
  const appSecret = vars['WHATSAPP_APP_SECRET'] ?? '';
  const routing = whatsappRouting(options.runtime.engine.bots, { phoneNumberId });
  const adapter = createWhatsAppAdapter({
    accessToken: vars['WHATSAPP_ACCESS_TOKEN'] ?? '', phoneNumberId, appSecret,
    ...(vars['WHATSAPP_GRAPH_URL'] ? { graphUrl: vars['WHATSAPP_GRAPH_URL'] } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    logger: options.runtime.logger,
    maxPerSecond: sendRate(options.env, 'WHATSAPP_SEND_RATE', 80), retry: { maxAttempts: 1 },
    ...routing,
  });
  if (routing.botFor?.(phoneNumberId) === undefined) {
    options.runtime.logger.warn({ phoneNumberId }, 'no bot answers on WHATSAPP_PHONE_NUMBER_ID: list "whatsapp" in one bot\'s bot.yaml channels');
  }
  // Replies leave through the outbox, which owns the retries; the adapter paces them.
  options.runtime.engine.outbox.register(channelSender(adapter));
  await app.register(whatsappRoutes, { runtime: options.runtime, adapter, verifyToken: vars['WHATSAPP_VERIFY_TOKEN'] ?? '', appSecret });
  options.runtime.logger.info({ channel: 'whatsapp', phoneNumberId }, 'WhatsApp channel on: POST /webhooks/whatsapp');
  return adapter;
}
