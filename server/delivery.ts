import type { Logger } from 'pino';
import type { ChannelAdapter, DbClient, OutboundMessage, TurnResult } from '../engine/index.ts';

/** Who a delivery is for. */
export interface DeliveryAddress {
  botId: string;
  channel: string;
  /** The channel's id for the customer. */
  customerId: string;
}

/**
 * Delivers replies that were not asked for in a request (a payment receipt,
 * an order update) through the adapter of the conversation's channel.
 *
 * With a database, replies that cannot be delivered (the customer's web chat
 * is closed, the channel is down) are kept, and {@link Delivery.redeliver}
 * sends them when the customer is back: nothing is lost.
 *
 * @example
 * ```ts
 * const delivery = new Delivery(logger, db);
 * delivery.register(webchatAdapter);
 * await delivery.deliver(await engine.notify(conversationId, { kind: 'system', event: 'payment.succeeded', data: {} }));
 * // later, when the customer reconnects:
 * await delivery.redeliver({ botId: 'directory', channel: 'webchat', customerId });
 * ```
 */
export class Delivery {
  private readonly adapters = new Map<string, ChannelAdapter>();

  constructor(
    private readonly logger: Logger,
    private readonly db?: DbClient,
  ) {}

  /** Makes a channel reachable; the last adapter registered for a channel wins. */
  register(adapter: ChannelAdapter): void {
    this.adapters.set(adapter.channel, adapter);
  }

  /** The adapter of a channel, if registered. */
  adapter(channel: string): ChannelAdapter | undefined {
    return this.adapters.get(channel);
  }

  /**
   * Renders and sends a turn's replies. A failure is logged, never thrown, and
   * the replies are kept for {@link Delivery.redeliver}. Returns whether they were sent.
   */
  async deliver(turn: TurnResult): Promise<boolean> {
    if (turn.replies.length === 0) return true;
    if (await this.send(turn, turn.locale, turn.replies)) return true;
    await this.keep(turn, turn.locale, turn.replies);
    return false;
  }

  /**
   * Sends the replies kept for a customer, oldest first, and forgets those
   * sent. Stops at the first failure (the rest stay). Returns how many turns were sent.
   */
  async redeliver(to: DeliveryAddress): Promise<number> {
    if (!this.db) return 0;
    const pending = await this.db.pendingDelivery.findMany({
      where: { botId: to.botId, channel: to.channel, customerId: to.customerId },
      orderBy: { createdAt: 'asc' },
    });
    let sent = 0;
    for (const row of pending) {
      if (!(await this.send(to, row.locale, JSON.parse(row.replies) as OutboundMessage[]))) break;
      await this.db.pendingDelivery.delete({ where: { id: row.id } });
      sent += 1;
    }
    return sent;
  }

  private async send(to: DeliveryAddress & { conversationId?: string }, locale: string, replies: OutboundMessage[]): Promise<boolean> {
    const adapter = this.adapters.get(to.channel);
    if (!adapter) {
      this.logger.warn({ channel: to.channel, conversationId: to.conversationId }, 'no adapter registered for channel: replies not delivered');
      return false;
    }
    try {
      const rendered = replies.flatMap((r) => adapter.render(r, { locale }));
      await adapter.send({ botId: to.botId, customerId: to.customerId }, rendered);
      return true;
    } catch (err) {
      this.logger.warn({ err, channel: to.channel, conversationId: to.conversationId }, 'delivery failed');
      return false;
    }
  }

  private async keep(to: DeliveryAddress & { conversationId?: string }, locale: string, replies: OutboundMessage[]): Promise<void> {
    if (!this.db) return;
    try {
      await this.db.pendingDelivery.create({
        data: { botId: to.botId, channel: to.channel, customerId: to.customerId, locale, replies: JSON.stringify(replies) },
      });
      this.logger.info({ channel: to.channel, conversationId: to.conversationId }, 'replies kept until the customer is back');
    } catch (err) {
      this.logger.error({ err, channel: to.channel, conversationId: to.conversationId }, 'undelivered replies could not be kept');
    }
  }
}
