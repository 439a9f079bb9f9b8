import type { FastifyPluginAsync } from 'fastify';
import { VitrineError } from '../../engine/index.ts';
import { admitThroughEngine, jsonBodyParser, MAX_WEBHOOK_BODY, PendingWork, safeEqual, type RouteRuntime } from '../kit/index.ts';
import type { ParsedTelegramUpdate } from './parse-update.ts';
import type { TelegramAdapter } from './telegram-adapter.ts';

/** Options of {@link telegramRoutes}. */
export interface TelegramRoutesOptions {
  runtime: RouteRuntime;
  adapter: TelegramAdapter;
  /** The `secret_token` given to `setWebhook`; Telegram echoes it in `X-Telegram-Bot-Api-Secret-Token`. */
  secretToken: string;
  /** The bot this Telegram token belongs to. */
  botId: string;
  /** Tracks the callback answers made after answering; pass one to wait for them in tests. */
  work?: PendingWork;
}

/**
 * Telegram webhooks: `POST /webhooks/telegram` checks the secret token header,
 * admits the update's messages to the engine's journal and answers 200 once
 * they are on disk (503 when they could not be kept, so Telegram delivers
 * again), then answers any callback query. The engine answers the messages
 * through the outbox. A redelivered update (same `update_id`) is answered once.
 *
 * @example
 * ```ts
 * await app.register(telegramRoutes, { runtime, adapter, secretToken, botId: 'directory' });
 * ```
 */
export const telegramRoutes: FastifyPluginAsync<TelegramRoutesOptions> = async (app, options) => {
  const { runtime, adapter } = options;
  const log = runtime.logger.child({ channel: 'telegram' });
  const work = options.work ?? new PendingWork();
  jsonBodyParser(app);
  app.addHook('onClose', async () => work.idle());

  async function answerCallback(parsed: ParsedTelegramUpdate): Promise<void> {
    if (parsed.callbackQueryId === undefined) return;
    try {
      await adapter.answerCallbackQuery(parsed.callbackQueryId);
    } catch (err) {
      log.warn({ err, updateId: parsed.updateId }, 'callback query not answered');
    }
  }

  app.post('/webhooks/telegram', { bodyLimit: MAX_WEBHOOK_BODY }, async (request, reply) => {
    if (!safeEqual(request.headers['x-telegram-bot-api-secret-token'], options.secretToken)) {
      log.warn({ ip: request.ip }, 'Telegram webhook with a missing or wrong secret token refused');
      throw new VitrineError('VT_ERR_WEBHOOK_SIGNATURE');
    }
    const parsed = adapter.parseUpdate(request.body, { botId: options.botId });
    if (!parsed.ok) {
      log.warn({ error: parsed.error.message }, 'malformed Telegram update');
      throw parsed.error;
    }
    if (!(await admitThroughEngine(runtime, parsed.value.messages, log))) throw new VitrineError('VT_ERR_JOURNAL_UNAVAILABLE');
    work.track(answerCallback(parsed.value));
    return reply.code(200).send({ ok: true });
  });
};
