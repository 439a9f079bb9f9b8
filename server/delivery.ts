import type { Logger } from 'pino';
import type { ChannelAdapter, TurnResult } from '../engine/index.ts';

/**
 * Delivers replies that were not asked for in a request (a payment receipt,
 * an order update) through the adapter of the conversation's channel.
 *
 * @example
 * ```ts
 * const delivery = new Delivery(logger);
 * delivery.register(webchatAdapter);
 * await delivery.deliver(await engine.notify(conversationId, { kind: 'system', event: 'payment.succeeded', data: {} }));
 * ```
 */
export class Delivery {
  private readonly adapters = new Map<string, ChannelAdapter>();

  constructor(private readonly logger: Logger) {}

  /** Makes a channel reachable; the last adapter registered for a channel wins. */
  register(adapter: ChannelAdapter): void {
    this.adapters.set(adapter.channel, adapter);
  }

  /** The adapter of a channel, if registered. */
  adapter(channel: string): ChannelAdapter | undefined {
    return this.adapters.get(channel);
  }

  /** Renders and sends a turn's replies; a failure is logged, never thrown. Returns whether it was sent. */
  async deliver(turn: TurnResult): Promise<boolean> {
    if (turn.replies.length === 0) return true;
    const adapter = this.adapters.get(turn.channel);
    if (!adapter) {
      this.logger.warn({ channel: turn.channel, conversationId: turn.conversationId }, 'no adapter registered for channel: replies not delivered');
      return false;
    }
    try {
      const rendered = turn.replies.flatMap((r) => adapter.render(r, { locale: turn.locale }));
      await adapter.send({ botId: turn.botId, customerId: turn.customerId }, rendered);
      return true;
    } catch (err) {
      this.logger.error({ err, channel: turn.channel, conversationId: turn.conversationId }, 'delivery failed');
      return false;
    }
  }
}
