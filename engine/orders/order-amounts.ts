import type { OrderAmounts } from '../messages.ts';
import type { OrderRecord } from './order-service.ts';

/**
 * An order's lines and amounts in minor units, exactly as stored: each line's
 * unit price, the subtotal as the sum of the stored line totals, and what the
 * stored total holds on top of it (delivery, fees) as `shippingMinor`.
 * `text` is the translated summary a channel shows above the order.
 *
 * @example
 * ```ts
 * const amounts = orderAmounts(order, t('checkout.orderDetails', { number: order.number, business: order.businessName, total }));
 * amounts.totalMinor; // 3750
 * ```
 */
export function orderAmounts(order: OrderRecord, text: string): OrderAmounts {
  const subtotalMinor = order.items.reduce((sum, item) => sum + item.lineTotalMinor, 0);
  const extra = order.totalMinor - subtotalMinor;
  return {
    currency: order.currency,
    lines: order.items.map((i) => ({ sku: i.sku, name: i.name, quantity: i.quantity, unitPriceMinor: i.unitPriceMinor })),
    subtotalMinor,
    ...(extra > 0 ? { shippingMinor: extra } : {}),
    totalMinor: order.totalMinor,
    text,
  };
}
