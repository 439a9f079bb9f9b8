import type { FastifyInstance } from 'fastify';
import { VitrineError } from '../../engine/index.ts';
import { botForChannel, channelEnv, channelSender, sendRate, type RouteRuntime } from '../kit/index.ts';
import { telegramRoutes } from './routes.ts';
import { createTelegramAdapter, type TelegramAdapter } from './telegram-adapter.ts';

/** The environment variables of the Telegram channel. */
export const TELEGRAM_ENV = {
  required: ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_SECRET_TOKEN'],
  optional: ['TELEGRAM_API_URL', 'TELEGRAM_SEND_RATE'],
} as const;

/**
 * Turns the Telegram channel on when its environment variables are set. The
 * token belongs to one bot: the bot listing `telegram` in its bot.yaml
 * `channels`, or the only bot loaded.
 *
 * @example
 * ```ts
 * await registerTelegram(app, { runtime, env: process.env });
 * ```
 */
export async function registerTelegram(
  app: FastifyInstance,
  options: { runtime: RouteRuntime; env: Record<string, string | undefined>; fetch?: typeof fetch },
): Promise<TelegramAdapter | undefined> {
  const vars = channelEnv(options.env, 'Telegram', TELEGRAM_ENV.required, TELEGRAM_ENV.optional);
  if (!vars) return undefined;
  const secretToken = vars['TELEGRAM_SECRET_TOKEN'] ?? '';
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
    throw new VitrineError('VT_ERR_CONFIG_INVALID', 'TELEGRAM_SECRET_TOKEN must be 1 to 256 characters: letters, digits, _ and -');
  }
  const botId = botForChannel(options.runtime.engine.bots, 'telegram');
  if (botId === undefined) {
    throw new VitrineError('VT_ERR_CONFIG_INVALID', 'TELEGRAM_BOT_TOKEN is set but no single bot lists "telegram" in its bot.yaml channels', { context: { bots: [...options.runtime.engine.bots.keys()] } });
  }
  const adapter = createTelegramAdapter({
    token: vars['TELEGRAM_BOT_TOKEN'] ?? '', logger: options.runtime.logger,
    maxPerSecond: sendRate(options.env, 'TELEGRAM_SEND_RATE', 30), retry: { maxAttempts: 1 },
    ...(vars['TELEGRAM_API_URL'] ? { apiUrl: vars['TELEGRAM_API_URL'] } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  // Replies leave through the outbox, which owns the retries; the adapter paces them.
  options.runtime.engine.outbox.register(channelSender(adapter));
  await app.register(telegramRoutes, { runtime: options.runtime, adapter, secretToken, botId });
  options.runtime.logger.info({ channel: 'telegram', botId }, 'Telegram channel on: POST /webhooks/telegram');
  return adapter;
}
