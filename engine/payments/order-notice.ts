import type { DbClient } from '../db/db-client.ts';
import { isVitrineError } from '../errors.ts';
import type { I18n } from '../i18n/create-i18n.ts';
import type { OutboundMessage } from '../messages.ts';
import { orderStatusMessage } from '../orders/order-status-message.ts';
import { readFulfilment } from '../orders/fulfilment.ts';
import { readOrder, type OrderRecord } from '../orders/order-service.ts';

/**
 * A short `orderStatus` notice about an order in the customer's language
 * (texts `orderUpdate.<event>`), for when the conversation is elsewhere. Its
 * lines and total are those of {@link orderStatusMessage}, as every order
 * message; it is marked as a `change` of the order. An order to pick up that
 * is ready says where to collect it (`orderUpdate.order.fulfilledPickup`, with
 * the business's pickup address). Nothing when the order does not exist or the event has no text.
 *
 * @example
 * ```ts
 * const [notice] = await orderNotice(db, i18n, { botId: 'directory', locale: 'pt-BR' }, 'order.shipped', orderId);
 * ```
 */
export async function orderNotice(db: DbClient, i18n: I18n, to: { botId: string; locale: string }, event: string, orderId: string): Promise<OutboundMessage[]> {
  const t = i18n.t(to.botId, to.locale);
  const key = `orderUpdate.${event}`;
  if (t(key, { defaultValue: '' }) === '') return [];
  let order: OrderRecord;
  try {
    order = await readOrder(db, orderId);
  } catch (err) {
    if (isVitrineError(err, 'VT_ERR_ORDER_UNKNOWN')) return [];
    throw err;
  }
  const message = orderStatusMessage(order, { t, locale: to.locale }, key);
  if (event === 'order.fulfilled' && order.fulfilment?.method === 'pickup') {
    const address = await pickupAddress(db, order.businessId);
    const vars = { number: order.number, business: order.businessName, address };
    message.text = t(address ? 'orderUpdate.order.fulfilledPickup' : 'orderUpdate.order.fulfilledPickupShop', vars);
  }
  return [{ ...message, change: true }];
}

/** Where the business's pickup orders are collected (its `fulfilment.pickup.address`), if it says. */
async function pickupAddress(db: DbClient, businessId: string): Promise<string | undefined> {
  const row = await db.business.findUnique({ where: { id: businessId }, select: { fulfilment: true, currency: true } });
  return row ? readFulfilment(row.fulfilment, row.currency)?.pickup?.address : undefined;
}
