import { VitrineError, type LoadedBot } from '../../engine/index.ts';

/**
 * Reads a channel's settings from the environment: all `required` names set
 * (the channel is on), or none (off). Some but not all is a configuration error.
 *
 * @example
 * ```ts
 * const vars = channelEnv(process.env, 'Telegram', ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_SECRET_TOKEN'], ['TELEGRAM_API_URL']);
 * if (vars) createTelegramAdapter({ token: vars['TELEGRAM_BOT_TOKEN'] ?? '' });
 * ```
 */
export function channelEnv(env: Record<string, string | undefined>, channel: string, required: readonly string[], optional: readonly string[] = []): Record<string, string> | undefined {
  const value = (name: string) => env[name]?.trim() || undefined;
  const missing = required.filter((name) => value(name) === undefined);
  if (missing.length === required.length) return undefined;
  if (missing.length > 0) {
    throw new VitrineError('VT_ERR_CONFIG_INVALID', `${channel} is half configured: set ${missing.join(', ')} too, or unset ${required.filter((n) => !missing.includes(n)).join(', ')}`, { context: { missing } });
  }
  const vars: Record<string, string> = {};
  for (const name of [...required, ...optional]) {
    const v = value(name);
    if (v !== undefined) vars[name] = v;
  }
  return vars;
}

/**
 * The bot a single-bot channel (one token, one number) talks for: the one bot
 * listing the channel in its bot.yaml `channels`, else the only bot loaded.
 *
 * @example
 * ```ts
 * const botId = botForChannel(runtime.engine.bots, 'telegram'); // 'directory' when its bot.yaml lists `telegram: {}`
 * ```
 */
export function botForChannel(bots: ReadonlyMap<string, LoadedBot>, channel: string): string | undefined {
  const listing = [...bots.values()].filter((b) => b.runtime.channels[channel] !== undefined);
  if (listing.length === 1) return listing[0]?.runtime.id;
  return listing.length === 0 && bots.size === 1 ? [...bots.keys()][0] : undefined;
}

/**
 * A channel's send rate in messages per second from its environment
 * variable (`WHATSAPP_SEND_RATE` …), or `fallback` when unset. Anything but a
 * positive number is a `VT_ERR_CONFIG_INVALID` error naming the variable.
 *
 * @example
 * ```ts
 * const maxPerSecond = sendRate(process.env, 'WHATSAPP_SEND_RATE', 80);
 * ```
 */
export function sendRate(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new VitrineError('VT_ERR_CONFIG_INVALID', `${name}=${JSON.stringify(raw)}: must be a positive number of messages per second (default ${fallback})`);
  }
  return rate;
}
