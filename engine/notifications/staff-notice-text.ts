import { formatMoney } from '../money.ts';
import type { ShopNoticeBody, ShopNoticeType } from './shop-notice.ts';

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
export function staffNoticeText(body: ShopNoticeBody, t: (key: string, values?: Record<string, unknown>) => string, locale: string): string {
  const order = body.order;
  return t(KEYS[body.type], {
    business: body.business.name,
    customer: body.customer.name ? `${body.customer.name}, ${body.customer.id}` : body.customer.id,
    channel: body.customer.channel,
    ...(order ? {
      number: order.number,
      items: order.items.map((i) => `${i.quantity} × ${i.name}`).join(', '),
      total: formatMoney({ minor: order.totalMinor, currency: order.currency }, locale),
    } : {}),
  });
}
