import { VitrineError } from '../../engine/index.ts';

/**
 * Reads a channel's settings from the environment: all `required` names set
 * (the channel is on), or none (off). Some but not all is a configuration error.
 * A channel with no required names is always on.
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
  if (required.length > 0 && missing.length === required.length) return undefined;
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
