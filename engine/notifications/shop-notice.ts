import { z } from 'zod';
import type { DbClient } from '../db/db-client.ts';
import { systemClock, type Clock } from '../services.ts';

/** What a business can hear of: a new order, its payment, a customer asking for a person. */
export const SHOP_NOTICE_TYPES = ['order.placed', 'order.paid', 'handoff.requested'] as const;

/** One of {@link SHOP_NOTICE_TYPES}. */
export type ShopNoticeType = (typeof SHOP_NOTICE_TYPES)[number];

/** The outbox channel that carries notices to businesses' webhooks. */
export const SHOP_WEBHOOK_CHANNEL = 'shop-webhook';

/**
 * A business's `notify` setting, as written in its YAML file: a webhook the
 * server POSTs each notice to, signed with the secret in the environment
 * variable `secretEnv` (the secret itself never sits in the files).
 *
 * @example
 * ```yaml
 * notify:
 *   webhook:
 *     url: https://padaria.example/vitrine
 *     secretEnv: PADARIA_WEBHOOK_SECRET
 *     events: [order.placed, order.paid]   # default: all
 * ```
 */
export const notifySchema = z.object({
  webhook: z.object({
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL like "https://shop.example/vitrine"' }),
    secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected the name of an environment variable, like "PADARIA_WEBHOOK_SECRET"'),
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
  /** The order, for `order.*` notices: amounts in minor units of `currency`. */
  order?: {
    id: string; number: string; status: string; currency: string; totalMinor: number;
    /** Who ordered: the channel and that channel's id for them (a phone number on WhatsApp), and their name when known. */
    customer: { channel: string; id: string; name?: string };
    items: { sku: string; name: string; quantity: number; unitPriceMinor: number; lineTotalMinor: number }[];
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
 * once. Nothing is queued when the business listens to no such notice.
 * `key` names what happened (an order event's id, …): the notice's id is
 * made from it, so a receiver can recognise a repeat.
 *
 * @example
 * ```ts
 * await noticeShop(tx, { type: 'order.paid', orderId, key: `${orderId}:${version}` });
 * ```
 */
export async function noticeShop(db: DbClient, subject: ShopNoticeSubject, clock: Clock = systemClock): Promise<void> {
  const order = subject.type === 'handoff.requested' ? undefined : await db.order.findUniqueOrThrow({
    where: { id: subject.orderId },
    include: { items: true, customer: { select: { channel: true, externalId: true, name: true } } },
  });
  const businessId = order?.businessId ?? (subject.type === 'handoff.requested' ? subject.businessId : '');
  const business = await db.business.findUnique({ where: { id: businessId }, select: { id: true, botId: true, slug: true, name: true, locale: true, notify: true } });
  const webhook = business ? settingsOf(business.notify).webhook : undefined;
  if (!business || !webhook || (webhook.events && !webhook.events.includes(subject.type))) return;
  const conversationId = order?.conversationId ?? (subject.type === 'handoff.requested' ? subject.conversationId : '');
  const body: ShopNoticeBody = {
    id: `ntc_${subject.type}_${subject.key}`,
    type: subject.type,
    createdAt: clock.now().toISOString(),
    business: { id: business.id, slug: business.slug, name: business.name },
    conversationId,
    ...(order ? {
      order: {
        id: order.id, number: order.number, status: order.status, currency: order.currency, totalMinor: order.totalMinor,
        customer: { channel: order.customer.channel, id: order.customer.externalId, ...(order.customer.name ? { name: order.customer.name } : {}) },
        items: order.items.map((i) => ({ sku: i.sku, name: i.name, quantity: i.quantity, unitPriceMinor: i.unitPriceMinor, lineTotalMinor: i.lineTotalMinor })),
      },
    } : {}),
  };
  await db.outboxMessage.create({
    data: {
      botId: business.botId, channel: SHOP_WEBHOOK_CHANNEL, customerId: business.id, conversationId, locale: business.locale,
      // The outbox carries messages; a notice travels as the text of its JSON body.
      message: JSON.stringify({ kind: 'text', text: JSON.stringify(body) }),
      createdAt: clock.now(), nextAttemptAt: clock.now(),
    },
  });
}
