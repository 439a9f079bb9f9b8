import type { FastifyPluginAsync } from 'fastify';
import type { InboundMessage } from '../../engine/index.ts';
import { jsonBodyParser, MAX_WEBHOOK_BODY, PendingWork, safeEqual, answerThroughEngine, type RouteDelivery, type RouteRuntime } from '../kit/index.ts';
import type { ParsedTelegramUpdate } from './parse-update.ts';
import type { TelegramAdapter } from './telegram-adapter.ts';

/** Options of {@link telegramRoutes}. */
export interface TelegramRoutesOptions {
  runtime: RouteRuntime;
  adapter: TelegramAdapter;
  /** Sends turn replies; without it the adapter sends them directly. */
  delivery?: RouteDelivery;
  /** The `secret_token` given to `setWebhook`; Telegram echoes it in `X-Telegram-Bot-Api-Secret-Token`. */
  secretToken: string;
  /** The bot this Telegram token belongs to. */
  botId: string;
  /** Tracks work done after answering; pass one to wait for it in tests. */
  work?: PendingWork;
}

/**
 * Telegram webhooks: `POST /webhooks/telegram` checks the secret token header,
 * answers 200 at once, then answers any callback query and runs the message
 * through the engine. A redelivered update (same `update_id`) is answered once.
 *
 * @example
 * ```ts
 * await app.register(telegramRoutes, { runtime, adapter, delivery, secretToken, botId: 'directory' });
 * ```
 */
export const telegramRoutes: FastifyPluginAsync<TelegramRoutesOptions> = async (app, options) => {
  const { runtime, adapter } = options;
  const log = runtime.logger.child({ channel: 'telegram' });
  const work = options.work ?? new PendingWork();
  jsonBodyParser(app);
  app.addHook('onClose', async () => work.idle());

  const answer = (message: InboundMessage): Promise<void> =>
    answerThroughEngine({ runtime, adapter, log, ...(options.delivery ? { delivery: options.delivery } : {}) }, message);

  async function handle(parsed: ParsedTelegramUpdate): Promise<void> {
    if (parsed.callbackQueryId !== undefined) {
      try {
        await adapter.answerCallbackQuery(parsed.callbackQueryId);
      } catch (err) {
        log.warn({ err, updateId: parsed.updateId }, 'callback query not answered');
      }
    }
    for (const message of parsed.messages) await answer(message);
  }

  app.post('/webhooks/telegram', { bodyLimit: MAX_WEBHOOK_BODY }, async (request, reply) => {
    if (!safeEqual(request.headers['x-telegram-bot-api-secret-token'], options.secretToken)) {
      log.warn({ ip: request.ip }, 'Telegram webhook with a missing or wrong secret token refused');
      return reply.code(401).send({ error: 'invalid secret token' });
    }
    const parsed = adapter.parseUpdate(request.body, { botId: options.botId });
    if (!parsed.ok) {
      log.warn({ error: parsed.error }, 'malformed Telegram update');
      return reply.code(400).send({ error: parsed.error });
    }
    work.track(handle(parsed.value));
    return reply.code(200).send({ ok: true });
  });
};
