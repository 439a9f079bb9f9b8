import { z } from 'zod';
import type { DbClient } from '../db/db-client.ts';
import { systemClock, type Clock } from '../services.ts';
import type { OrderFulfilment } from '../orders/fulfilment.ts';
import { orderFulfilment } from '../orders/order-fulfilment.ts';

/** What a business can hear of: a new order, its payment, a customer asking for a person. */
export const SHOP_NOTICE_TYPES = ['order.placed', 'order.paid', 'handoff.requested'] as const;

/** One of {@link SHOP_NOTICE_TYPES}. */
export type ShopNoticeType = (typeof SHOP_NOTICE_TYPES)[number];

/** The outbox channel that carries notices to businesses' webhooks. */
export const SHOP_WEBHOOK_CHANNEL = 'shop-webhook';

/** The channels a business's staff can hear of notices on, in a chat of their own. */
export const STAFF_CHAT_CHANNELS = ['telegram', 'whatsapp'] as const;

/**
 * The outbox channel of notices to staff on a chat channel (`staff:telegram`):
 * its sender words each notice and sends it with that channel's adapter.
 *
 * @example
 * ```ts
 * staffChatChannel('telegram'); // 'staff:telegram'
 * ```
 */
export function staffChatChannel(channel: (typeof STAFF_CHAT_CHANNELS)[number]): string {
  return `staff:${channel}`;
}

/** Whether a destination listens to notices of `type` (all when it names none). */
const listens = (destination: { events?: readonly ShopNoticeType[] | undefined }, type: ShopNoticeType): boolean =>
  !destination.events || destination.events.includes(type);

/**
 * A business's `notify` setting, as written in its YAML file: a webhook the
 * server POSTs each notice to, signed with the secret in the environment
 * variable `secretEnv` (the secret itself never sits in the files), and a
 * staff chat on Telegram or WhatsApp that gets each notice as a message.
 *
 * @example
 * ```yaml
 * notify:
 *   webhook:
 *     url: https://padaria.example/vitrine
 *     secretEnv: PADARIA_WEBHOOK_SECRET
 *     events: [order.placed, order.paid]   # default: all
 *   staffChat:
 *     channel: telegram
 *     to: "-1001234567890"
 * ```
 */
export const notifySchema = z.object({
  webhook: z.object({
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL like "https://shop.example/vitrine"' }),
    secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected the name of an environment variable, like "PADARIA_WEBHOOK_SECRET"'),
    events: z.array(z.enum(SHOP_NOTICE_TYPES)).min(1).optional(),
  }).strict().optional(),
  staffChat: z.object({
    channel: z.enum(STAFF_CHAT_CHANNELS),
    /** A Telegram chat id (a person's, or a group's: `-100…`), or a WhatsApp number in international form. */
    to: z.string().regex(/^(-?\d{1,20}|\+\d{8,15})$/, 'expected a Telegram chat id like "-1001234567890" or a WhatsApp number like "+5511987654321"'),
    events: z.array(z.enum(SHOP_NOTICE_TYPES)).min(1).optional(),
  }).strict().optional(),
}).strict();

/** A business's `notify` setting. */
export type NotifySettings = z.infer<typeof notifySchema>;

/** The body of one notice, as the business's webhook receives it (docs/notifications.md). */
export interface ShopNoticeBody {
  /** Unique per notice, the same on every retry: a receiver deduplicates on it. */
  id: string;
  type: ShopNoticeType;
  createdAt: string;
  business: { id: string; slug: string; name: string };
  /** The conversation it came from. */
  conversationId: string;
  /** Who it is about: the channel and that channel's id for them (a phone number on WhatsApp), and their name when known. */
  customer: { channel: string; id: string; name?: string; phone?: string };
  /**
   * The order, for `order.*` notices: amounts in minor units of `currency`;
   * `fulfilment` (with its `feeMinor`, part of `totalMinor`) when its business has `fulfilment:`.
   */
  order?: {
    id: string; number: string; status: string; currency: string; totalMinor: number;
    items: { sku: string; name: string; quantity: number; unitPriceMinor: number; lineTotalMinor: number }[];
    fulfilment?: OrderFulfilment;
  };
}

/** What happened, for {@link noticeShop}: an order's id, or a conversation that asked for a person. */
export type ShopNoticeSubject =
  | { type: 'order.placed' | 'order.paid'; orderId: string; key: string }
  | { type: 'handoff.requested'; businessId: string; conversationId: string; key: string };

/** The stored setting of a business, `{}` when it cannot be read. */
function settingsOf(json: string): NotifySettings {
  const parsed = notifySchema.safeParse(JSON.parse(json || '{}'));
  return parsed.success ? parsed.data : {};
}

/**
 * Queues a notice to the business concerned, in the caller's transaction:
 * written with the change it tells of, or not at all. The outbox's sender
 * delivers it after the commit (see `shopWebhookSender`), with retries, and
 * once. Nothing is queued when the business listens to no such notice
 * (the result says whether one was).
 * `key` names what happened (an order event's id, …): the notice's id is
 * made from it, so a receiver can recognise a repeat.
 *
 * @example
 * ```ts
 * await noticeShop(tx, { type: 'order.paid', orderId, key: `${orderId}:${version}` });
 * ```
 */
export async function noticeShop(db: DbClient, subject: ShopNoticeSubject, clock: Clock = systemClock): Promise<boolean> {
  const order = subject.type === 'handoff.requested' ? undefined : await db.order.findUniqueOrThrow({ where: { id: subject.orderId }, include: { items: true } });
  const businessId = order?.businessId ?? (subject.type === 'handoff.requested' ? subject.businessId : '');
  const business = await db.business.findUnique({ where: { id: businessId }, select: { id: true, botId: true, slug: true, name: true, locale: true, notify: true } });
  const settings = business ? settingsOf(business.notify) : {};
  const destinations = [
    ...(settings.webhook && listens(settings.webhook, subject.type) ? [SHOP_WEBHOOK_CHANNEL] : []),
    ...(settings.staffChat && listens(settings.staffChat, subject.type) ? [staffChatChannel(settings.staffChat.channel)] : []),
  ];
  if (!business || destinations.length === 0) return false;
  const conversationId = order?.conversationId ?? (subject.type === 'handoff.requested' ? subject.conversationId : '');
  const conversation = await db.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { customer: { select: { channel: true, externalId: true, name: true, phone: true } } } });
  const { channel, externalId } = conversation.customer;
  // The name and phone given with the order come first.
  const name = order?.customerName ?? conversation.customer.name;
  const phone = order?.customerPhone ?? conversation.customer.phone;
  const fulfilment = order ? orderFulfilment(order) : null;
  const body: ShopNoticeBody = {
    id: `ntc_${subject.type}_${subject.key}`,
    type: subject.type,
    createdAt: clock.now().toISOString(),
    business: { id: business.id, slug: business.slug, name: business.name },
    conversationId,
    customer: { channel, id: externalId, ...(name ? { name } : {}), ...(phone ? { phone } : {}) },
    ...(order ? {
      order: {
        id: order.id, number: order.number, status: order.status, currency: order.currency, totalMinor: order.totalMinor,
        items: order.items.map((i) => ({ sku: i.sku, name: i.name, quantity: i.quantity, unitPriceMinor: i.unitPriceMinor, lineTotalMinor: i.lineTotalMinor })),
        ...(fulfilment ? { fulfilment } : {}),
      },
    } : {}),
  };
  // The outbox carries messages: a notice travels as the text of its JSON body, to the
  // business (webhook) or to the staff's chat, whose sender words it in the business's language.
  const message = JSON.stringify({ kind: 'text', text: JSON.stringify(body) });
  await db.outboxMessage.createMany({
    data: destinations.map((channel) => ({
      botId: business.botId, channel, conversationId, locale: business.locale, message, createdAt: clock.now(), nextAttemptAt: clock.now(),
      customerId: channel === SHOP_WEBHOOK_CHANNEL ? business.id : settings.staffChat?.to ?? '',
    })),
  });
  return true;
}
