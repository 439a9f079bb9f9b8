import type { LoadedBot } from '../../engine/index.ts';

/** Options of {@link botForChannel}. */
export interface BotForChannelOptions {
  /** A bot named by configuration (`WEBCHAT_BOT` …): it wins, and undefined is returned when it is not loaded. */
  named?: string;
  /** Only bots passing this count as listing the channel (WhatsApp leaves out bots with their own number). */
  among?: (bot: LoadedBot) => boolean;
}

/**
 * The one rule for which bot a channel endpoint (one token, one phone number,
 * the web chat page) talks for: the bot named by configuration; else the one
 * bot listing the channel in its bot.yaml `channels`; else the only bot
 * loaded. Undefined when none of these decides (the caller reports it).
 *
 * @example
 * ```ts
 * botForChannel(runtime.engine.bots, 'telegram'); // 'directory' when only its bot.yaml lists `telegram: {}`
 * botForChannel(runtime.engine.bots, 'webchat', { named: 'corner-bakery' }); // 'corner-bakery' when loaded
 * ```
 */
export function botForChannel(bots: ReadonlyMap<string, LoadedBot>, channel: string, options: BotForChannelOptions = {}): string | undefined {
  if (options.named !== undefined) return bots.has(options.named) ? options.named : undefined;
  const among = options.among ?? (() => true);
  const listing = [...bots.values()].filter((bot) => bot.runtime.channels[channel] !== undefined && among(bot));
  if (listing.length === 1) return listing[0]?.runtime.id;
  return listing.length === 0 && bots.size === 1 ? [...bots.keys()][0] : undefined;
}
