import type { DbClient } from '../db/db-client.ts';
import type { I18n } from '../i18n/create-i18n.ts';
import type { OutboundMessage } from '../messages.ts';
import { formatMoney } from '../money.ts';

/**
 * A short `orderStatus` notice about an order in the customer's language
 * (texts `orderUpdate.<event>`), for when the conversation is elsewhere.
 *
 * @example
 * ```ts
 * const [notice] = await orderNotice(db, i18n, { botId: 'directory', locale: 'pt-BR' }, 'order.shipped', orderId);
 * ```
 */
export async function orderNotice(db: DbClient, i18n: I18n, to: { botId: string; locale: string }, event: string, orderId: string): Promise<OutboundMessage[]> {
  const order = await db.order.findUnique({ where: { id: orderId }, include: { items: true, business: { select: { name: true } } } });
  if (!order) return [];
  const t = i18n.t(to.botId, to.locale);
  const key = `orderUpdate.${event}`;
  const money = (minor: number) => formatMoney({ minor, currency: order.currency }, to.locale);
  const total = money(order.totalMinor);
  const text = t(key, { number: order.number, business: order.business.name, total, defaultValue: '' });
  if (text === '') return [];
  return [{
    kind: 'orderStatus', text, orderNumber: order.number, status: order.status, statusLabel: t(`orderStatus.${order.status}`), total,
    lines: order.items.map((i) => ({ productId: i.productId, sku: i.sku, name: i.name, quantity: i.quantity, unitPrice: money(i.unitPriceMinor), lineTotal: money(i.lineTotalMinor) })),
  }];
}
