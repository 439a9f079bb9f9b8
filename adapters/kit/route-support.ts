import type { Logger } from 'pino';
import type { Db, Engine, I18n, InboundMessage, TurnResult } from '../../engine/index.ts';

/** What webhook routes need of a running Vitrine (the server's `Runtime` fits). */
export interface RouteRuntime {
  engine: Engine;
  db: Db;
  i18n: I18n;
  logger: Logger;
}

/** What routes need of the server's `Delivery`. */
export interface RouteDelivery {
  deliver(turn: TurnResult): Promise<boolean>;
}

/** The i18n key of the reply to messages a channel cannot read. */
export const UNSUPPORTED_KEY = 'channel.unsupported';

/** English text of {@link UNSUPPORTED_KEY}, used while a locale has no text for it. */
export const UNSUPPORTED_FALLBACK = 'I can only read text and buttons.';

/**
 * The reply to a message the channel could not map (a sticker, a voice note),
 * in the customer's conversation locale when there is a conversation.
 *
 * @example
 * ```ts
 * const text = await unsupportedReply(runtime, message); // 'I can only read text and buttons.'
 * ```
 */
export async function unsupportedReply(runtime: RouteRuntime, message: InboundMessage): Promise<{ text: string; locale: string }> {
  const bot = runtime.engine.bots.get(message.botId);
  let locale = bot?.runtime.defaultLocale ?? 'en';
  try {
    const conversation = await runtime.db.conversation.findFirst({
      where: { botId: message.botId, channel: message.channel, customer: { externalId: message.customer.id } },
      select: { locale: true },
    });
    if (conversation) locale = conversation.locale;
  } catch (err) {
    runtime.logger.warn({ err, botId: message.botId }, 'conversation locale not found; replying in the bot default');
  }
  const text = runtime.i18n.has(UNSUPPORTED_KEY, locale, message.botId) ? runtime.i18n.t(message.botId, locale)(UNSUPPORTED_KEY) : UNSUPPORTED_FALLBACK;
  return { text, locale };
}

/**
 * Remembers recently seen ids, forgetting the oldest beyond `capacity`.
 *
 * @example
 * ```ts
 * const seen = new RecentIds(1000);
 * if (seen.add('wamid.1')) handle(); // false the second time
 * ```
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** Adds an id; false when it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}
