import { VitrineError } from '../../engine/index.ts';
import { botForChannel, defineChannel, sendRate } from '../kit/index.ts';
import { TELEGRAM_CAPABILITIES } from './render.ts';
import { telegramRoutes } from './routes.ts';
import { createTelegramAdapter } from './telegram-adapter.ts';

/** What the Telegram channel reads from its environment. */
export interface TelegramSettings {
  token: string;
  secretToken: string;
  apiUrl?: string;
  maxPerSecond: number;
  /** The bot this token belongs to. */
  botId: string;
}

/**
 * The Telegram Bot API channel: on when `TELEGRAM_BOT_TOKEN` and
 * `TELEGRAM_SECRET_TOKEN` are set; `POST /webhooks/telegram`. The token
 * belongs to the bot `botForChannel` picks (the one listing `telegram` in its
 * bot.yaml `channels`, or the only bot loaded).
 *
 * @example
 * ```ts
 * await telegramChannel.mount(app, { runtime, env: process.env });
 * ```
 */
export const telegramChannel = defineChannel({
  name: 'telegram',
  title: 'Telegram',
  capabilities: TELEGRAM_CAPABILITIES,
  env: { required: ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_SECRET_TOKEN'], optional: ['TELEGRAM_API_URL', 'TELEGRAM_SEND_RATE'] },
  routes: [{ method: 'POST', url: '/webhooks/telegram' }],
  configure(vars, { runtime, env }): TelegramSettings {
    const secretToken = vars['TELEGRAM_SECRET_TOKEN'] ?? '';
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
      throw new VitrineError('VT_ERR_CONFIG_INVALID', 'TELEGRAM_SECRET_TOKEN must be 1 to 256 characters: letters, digits, _ and -');
    }
    const botId = botForChannel(runtime.engine.bots, 'telegram');
    if (botId === undefined) {
      throw new VitrineError('VT_ERR_CONFIG_INVALID', 'TELEGRAM_BOT_TOKEN is set but no single bot lists "telegram" in its bot.yaml channels', { context: { bots: [...runtime.engine.bots.keys()] } });
    }
    return {
      token: vars['TELEGRAM_BOT_TOKEN'] ?? '', secretToken, botId, maxPerSecond: sendRate(env, 'TELEGRAM_SEND_RATE', 30),
      ...(vars['TELEGRAM_API_URL'] ? { apiUrl: vars['TELEGRAM_API_URL'] } : {}),
    };
  },
  createAdapter: (settings, { runtime, publicUrl }) => createTelegramAdapter({
    token: settings.token, logger: runtime.logger, maxPerSecond: settings.maxPerSecond, retry: { maxAttempts: 1 }, ...(publicUrl ? { publicUrl } : {}),
    ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
  }),
  async register(app, { runtime, adapter, settings }) {
    await app.register(telegramRoutes, { runtime, adapter, secretToken: settings.secretToken, botId: settings.botId });
  },
});
