import type { TFunction } from 'i18next';
import { isVitrineError } from '../errors.ts';
import type { Services } from '../services.ts';
import type { ConversationData, StepResult } from './step.ts';

/** A cart sent from a channel's own catalog UI (e.g. a WhatsApp order message). */
export interface ChannelOrder {
  items: { sku: string; quantity: number }[];
}

/**
 * Puts the items of a channel order into the conversation's cart at database
 * prices (the channel's prices are never used). The business is the one the
 * customer is shopping at, or the bot's only business. Unknown SKUs and
 * impossible quantities are reported, not guessed.
 *
 * @returns the replies, the business chosen (if any) and whether anything was added.
 */
export async function importChannelOrder(order: ChannelOrder, data: ConversationData, services: Services, t: TFunction): Promise<{ result: StepResult; added: boolean }> {
  let businessId = data.businessId;
  if (!businessId) {
    const all = await services.directory.list(data.botId);
    if (all.length === 1) businessId = all[0]?.id;
  }
  if (!businessId) return { result: { replies: [{ kind: 'text', text: t('cart.orderNeedsShop') }] }, added: false };
  const skipped: string[] = [];
  let added = 0;
  for (const item of order.items) {
    const product = await services.db.product.findFirst({ where: { businessId, sku: item.sku, active: true }, select: { id: true } });
    if (!product) {
      skipped.push(item.sku);
      continue;
    }
    try {
      await services.cart.add(data.conversationId, businessId, product.id, item.quantity);
      added += item.quantity;
    } catch (err) {
      if (!isVitrineError(err, 'VT_ERR_CART_QUANTITY') && !isVitrineError(err, 'VT_ERR_OUT_OF_STOCK')) throw err;
      skipped.push(item.sku);
    }
  }
  const replies = [
    ...(added > 0 ? [{ kind: 'text' as const, text: t('cart.orderImported', { count: added }) }] : []),
    ...(skipped.length > 0 ? [{ kind: 'text' as const, text: t('cart.orderSkipped', { skus: skipped.join(', ') }) }] : []),
  ];
  return { result: { replies, set: { businessId } }, added: added > 0 };
}
