import type { TFunction } from 'i18next';
import type { OutboundMessage } from '../messages.ts';
import { formatMoney } from '../money.ts';
import type { OrderRecord } from './order-service.ts';

/** The `orderStatus` kind of {@link OutboundMessage}. */
export type OrderStatusMessage = Extract<OutboundMessage, { kind: 'orderStatus' }>;

/** Who the message is for: a translate function and the locale money is formatted in. */
export interface OrderStatusAudience {
  /** Translate for the bot and the customer's locale. */
  t: TFunction;
  /** The customer's locale (money is formatted with `Intl` for it). */
  locale: string;
}

/**
 * An order as an `orderStatus` message in the customer's language: its lines,
 * its total and its status label. Every amount comes from the order's rows
 * (`totalMinor`, each line's `lineTotalMinor`), never recomputed. The text is
 * `textKey` with `number`, `business`, `status` (the label) and `total`.
 *
 * @example
 * ```ts
 * const message = orderStatusMessage(order, { t, locale: 'pt-BR' }, 'payment.receipt');
 * message.total; // "R$ 37,50"
 * ```
 */
export function orderStatusMessage(order: OrderRecord, audience: OrderStatusAudience, textKey = 'orders.status'): OrderStatusMessage {
  const { t, locale } = audience;
  const money = (minor: number): string => formatMoney({ minor, currency: order.currency }, locale);
  const total = money(order.totalMinor);
  const statusLabel = t(`orderStatus.${order.status}`);
  return {
    kind: 'orderStatus', orderNumber: order.number, status: order.status, statusLabel, total, currency: order.currency,
    text: t(textKey, { number: order.number, business: order.businessName, status: statusLabel, total }),
    lines: order.items.map((i) => ({
      productId: i.productId, sku: i.sku, name: i.name, quantity: i.quantity, unitPrice: money(i.unitPriceMinor), lineTotal: money(i.lineTotalMinor),
    })),
  };
}
