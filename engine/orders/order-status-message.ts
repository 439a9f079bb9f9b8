import type { TFunction } from 'i18next';
import type { ChargeView, OutboundMessage } from '../messages.ts';
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

/** The texts of an order's fee line (see {@link orderStatusMessage}): steps that show orders list them. */
export const ORDER_FEE_TEXT_KEYS = ['fulfilment.feeLine', 'fulfilment.feeLineZone', 'fulfilment.deliveryLine', 'fulfilment.free'];

/** The order's delivery fee as a line below its items ("Delivery: free" for a free delivery); none for an order without one. */
function feeLine(order: OrderRecord, t: TFunction, money: (minor: number) => string): ChargeView | undefined {
  const delivery = order.fulfilment?.method === 'delivery';
  const feeMinor = order.feeMinor ?? 0;
  if (feeMinor === 0) return delivery ? { label: t('fulfilment.deliveryLine'), amount: t('fulfilment.free') } : undefined;
  const zone = order.fulfilment?.zone;
  return { label: t(zone ? 'fulfilment.feeLineZone' : 'fulfilment.feeLine', { zone }), amount: money(feeMinor) };
}

/**
 * An order as an `orderStatus` message in the customer's language: its lines,
 * its delivery fee (`fee`), its total and its status label. Every amount comes from the order's rows
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
  const fee = feeLine(order, t, money);
  return {
    kind: 'orderStatus', orderNumber: order.number, status: order.status, statusLabel, total, currency: order.currency,
    text: t(textKey, { number: order.number, business: order.businessName, status: statusLabel, total }),
    lines: order.items.map((i) => ({
      productId: i.productId, sku: i.sku, name: i.name, quantity: i.quantity, unitPrice: money(i.unitPriceMinor), lineTotal: money(i.lineTotalMinor),
    })),
    ...(fee ? { fee } : {}),
  };
}
