import type { Logger } from 'pino';
import type { ChannelAdapter, Db, Engine, I18n, InboundMessage, TurnResult } from '../../engine/index.ts';

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

/**
 * Hands a customer's message to the engine and sends the replies back through
 * the channel (via the server's `Delivery` when there is one). Every message
 * goes through the engine: it deduplicates (a redelivered message is not
 * answered again), imports channel carts at database prices and answers
 * messages the channel could not map, in the customer's language. Never
 * throws: a failure is logged, so one message cannot stop the others.
 *
 * @example
 * ```ts
 * work.run(() => answerThroughEngine({ runtime, adapter, delivery, log }, message));
 * ```
 */
export async function answerThroughEngine(
  deps: { runtime: RouteRuntime; adapter: ChannelAdapter<unknown>; delivery?: RouteDelivery; log: Logger },
  message: InboundMessage,
): Promise<void> {
  const { runtime, adapter, delivery, log } = deps;
  let turn: TurnResult;
  try {
    turn = await runtime.engine.process(message);
  } catch (err) {
    log.error({ err, messageId: message.messageId, botId: message.botId }, 'message not handled');
    return;
  }
  if (turn.duplicate) {
    log.info({ messageId: message.messageId, conversationId: turn.conversationId }, 'duplicate delivery: not answered again');
    return;
  }
  if (delivery) {
    await delivery.deliver(turn);
    return;
  }
  try {
    await adapter.send({ botId: turn.botId, customerId: turn.customerId }, turn.replies.flatMap((r) => adapter.render(r, { locale: turn.locale })));
  } catch (err) {
    log.error({ err, conversationId: turn.conversationId, botId: turn.botId }, 'replies not delivered');
  }
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
