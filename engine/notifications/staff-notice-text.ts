import { formatMoney } from '../money.ts';
import type { ShopNoticeBody, ShopNoticeType } from './shop-notice.ts';
import type { OrderFulfilment } from '../orders/fulfilment.ts';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** The text key of each notice, under `staffNotice`. */
const KEYS: Record<ShopNoticeType, string> = {
  'order.placed': 'staffNotice.orderPlaced',
  'order.paid': 'staffNotice.orderPaid',
  'handoff.requested': 'staffNotice.handoffRequested',
};

/**
 * A notice worded for the business's staff, in the business's language
 * (`t` and `locale` are the business's): the order's number, items and
 * total formatted for that locale, and who the customer is and where.
 *
 * @example
 * ```ts
 * staffNoticeText(body, i18n.t('directory', 'pt-BR'), 'pt-BR');
 * // 'Novo pedido DR-7K3F9Q em Padaria São Jorge: 10 × Pão francês, 1 × Bolo de fubá. Total R$ 26,50, …'
 * ```
 */
export function staffNoticeText(body: ShopNoticeBody, t: Translate, locale: string): string {
  const order = body.order;
  const { name, phone, id } = body.customer;
  const text = t(KEYS[body.type], {
    business: body.business.name,
    customer: [name, phone && phone.replace(/\D/g, '') !== id ? phone : undefined, id].filter(Boolean).join(', '),
    channel: body.customer.channel,
    ...(order ? {
      number: order.number,
      items: order.items.map((i) => `${i.quantity} × ${i.name}`).join(', '),
      total: formatMoney({ minor: order.totalMinor, currency: order.currency }, locale),
    } : {}),
  });
  const how = order?.fulfilment && body.type === 'order.placed' ? fulfilmentText(order.fulfilment, order.currency, t, locale) : undefined;
  return how ? `${text} ${how}` : text;
}

/** How the order reaches the customer, for the staff: where to deliver (a map link for a pin), the fee, the table, the note. */
function fulfilmentText(f: OrderFulfilment, currency: string, t: Translate, locale: string): string {
  const pin = f.location ? `https://www.openstreetmap.org/?mlat=${f.location.latitude}&mlon=${f.location.longitude}#map=18/${f.location.latitude}/${f.location.longitude}` : undefined;
  const address = [f.address, f.zone && `(${f.zone})`, pin].filter(Boolean).join(' ');
  const how = f.method === 'delivery' ? t('fulfilment.staff.delivery', { address, fee: formatMoney({ minor: f.feeMinor, currency }, locale) })
    : f.method === 'dine-in' ? (f.table ? t('fulfilment.staff.table', { table: f.table }) : t('fulfilment.staff.dineIn'))
      : t('fulfilment.staff.pickup');
  return f.note ? `${how} ${t('fulfilment.staff.note', { note: f.note })}` : how;
}
