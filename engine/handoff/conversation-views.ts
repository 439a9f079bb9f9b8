import type { DbClient } from '../db/db-client.ts';
import { createCartService } from '../cart/cart-service.ts';
import { conversationTimeline, customerWords, messageText } from '../conversation/history.ts';
import type { OutboundMessage } from '../messages.ts';
import type { HandoffStatus } from './handoffs.ts';
import { seenBy, visibleConversation, type StaffTarget } from './staff-desk.ts';

/** A conversation in a business's list (`GET /api/v1/conversations`); times are ISO 8601. */
export interface ConversationSummary {
  id: string;
  channel: string;
  locale: string;
  customer: { name: string | null; phone: string | null };
  /** Its latest activity. */
  updatedAt: string;
  /** The last message, from whoever wrote it. */
  lastText: string | null;
  /** Its latest hand-off at this business, none if it never had one. */
  handoff: { status: HandoffStatus; requestedAt: string; unread: number } | null;
}

/** A conversation with its messages and cart (`GET /api/v1/conversations/:id`). */
export interface ConversationDetail extends ConversationSummary {
  /** Oldest first, the last 100. */
  messages: { from: 'customer' | 'bot' | 'staff'; text: string; at: string }[];
  /** Its open cart at this business, none when empty. */
  cart: { lines: { name: string; quantity: number; lineTotalMinor: number }[]; totalMinor: number; currency: string } | null;
}

/** Which conversations a list shows: with a waiting hand-off, an open one (waiting or answered), or all the business may see. */
export const HANDOFF_FILTERS = ['waiting', 'open', 'all'] as const;

/** One of {@link HANDOFF_FILTERS}. */
export type HandoffFilter = (typeof HANDOFF_FILTERS)[number];

/** Channels whose customer id is a phone number. */
const PHONE_CHANNELS = new Set(['whatsapp']);

type ConversationRowWithCustomer = {
  id: string; botId: string; channel: string; locale: string; updatedAt: Date;
  customer: { externalId: string; name: string | null };
};

/** The last message of a conversation, of the customer or to them. */
async function lastText(db: DbClient, c: ConversationRowWithCustomer): Promise<string | null> {
  const event = await db.inboundEvent.findFirst({ where: { conversationId: c.id }, orderBy: { id: 'desc' }, select: { id: true, payload: true } });
  const reply = await db.outboxMessage.findFirst({
    where: { botId: c.botId, channel: c.channel, customerId: c.customer.externalId, status: { not: 'dead' } }, orderBy: { id: 'desc' }, select: { message: true, inboundEventId: true },
  });
  const customerText = (event && customerWords(event.payload)) ?? null;
  // A reply to (or after) the latest event came after it; the customer's words otherwise.
  if (reply && (!event || (reply.inboundEventId ?? 0) >= event.id || !customerText)) return messageText(JSON.parse(reply.message) as OutboundMessage) || null;
  return customerText;
}

type LatestHandoff = { status: string; requestedAt: Date; unread: number };

/** The latest hand-off at the business of each of the conversations, in one query. */
async function latestHandoffs(db: DbClient, businessId: string, conversationIds: string[]): Promise<Map<string, LatestHandoff>> {
  const rows = await db.handoff.findMany({
    where: { businessId, conversationId: { in: conversationIds } }, orderBy: { requestedAt: 'desc' },
    select: { conversationId: true, status: true, requestedAt: true, unread: true },
  });
  const latest = new Map<string, LatestHandoff>();
  for (const { conversationId, ...handoff } of rows) if (!latest.has(conversationId)) latest.set(conversationId, handoff);
  return latest;
}

async function summaryOf(db: DbClient, c: ConversationRowWithCustomer, handoff: LatestHandoff | undefined): Promise<ConversationSummary> {
  return {
    id: c.id, channel: c.channel, locale: c.locale,
    customer: { name: c.customer.name, phone: PHONE_CHANNELS.has(c.channel) ? `+${c.customer.externalId.replace(/^\+/, '')}` : null },
    updatedAt: c.updatedAt.toISOString(),
    lastText: await lastText(db, c),
    handoff: handoff ? { status: handoff.status as HandoffStatus, requestedAt: handoff.requestedAt.toISOString(), unread: handoff.unread } : null,
  };
}

/**
 * The conversations a business's staff see, newest activity first: those
 * with a hand-off, a cart or an order at the business, filtered by their
 * hand-off (`waiting`; `open`: waiting or answered; `all`).
 *
 * @example
 * ```ts
 * const waiting = await listConversations(db, businessId, { handoff: 'waiting', limit: 50 });
 * waiting[0]?.handoff; // { status: 'waiting', requestedAt: '2026-12-05T20:14:00.000Z', unread: 2 }
 * ```
 */
export async function listConversations(db: DbClient, businessId: string, query: { handoff: HandoffFilter; limit: number }): Promise<ConversationSummary[]> {
  const statuses = query.handoff === 'waiting' ? ['waiting'] : query.handoff === 'open' ? ['waiting', 'answered'] : undefined;
  const rows = await db.conversation.findMany({
    where: statuses
      ? { handoffs: { some: { businessId, status: { in: statuses } } } }
      : seenBy(businessId),
    orderBy: [{ updatedAt: 'desc' }, { id: 'asc' }], take: query.limit,
    select: { id: true, botId: true, channel: true, locale: true, updatedAt: true, customer: { select: { externalId: true, name: true } } },
  });
  const handoffs = await latestHandoffs(db, businessId, rows.map((r) => r.id));
  const out: ConversationSummary[] = [];
  for (const row of rows) out.push(await summaryOf(db, row, handoffs.get(row.id)));
  return out;
}

/**
 * In a bot of several businesses (a directory), the journal id of the
 * customer's message whose turn began the conversation's first cart,
 * hand-off or order at this business: the staff of one shop read the chat
 * from there, not what the customer did at other shops. 0 (everything) in a
 * bot of one business, whose whole chat is the shop's.
 */
async function firstEventAtBusiness(db: DbClient, conversation: { id: string; botId: string }, businessId: string): Promise<number> {
  if ((await db.business.count({ where: { botId: conversation.botId, id: { not: businessId } } })) === 0) return 0;
  const where = { conversationId: conversation.id, businessId };
  const [cart, handoff, order] = await Promise.all([
    db.cart.findFirst({ where, orderBy: { createdAt: 'asc' }, select: { createdAt: true } }),
    db.handoff.findFirst({ where, orderBy: { requestedAt: 'asc' }, select: { requestedAt: true } }),
    db.order.findFirst({ where, orderBy: { createdAt: 'asc' }, select: { createdAt: true } }),
  ]);
  const times = [cart?.createdAt, handoff?.requestedAt, order?.createdAt].filter((t): t is Date => t !== undefined);
  if (times.length === 0) return 0;
  // The message admitted last before it began is the one whose turn began it.
  const began = new Date(Math.min(...times.map((t) => t.getTime())));
  const event = await db.inboundEvent.findFirst({ where: { conversationId: conversation.id, createdAt: { lte: began } }, orderBy: { id: 'desc' }, select: { id: true } });
  return event?.id ?? 0;
}

/**
 * One conversation as the staff read it: its summary, its last 100 messages
 * (the customer's, the bot's and the staff's) and its open cart at the
 * business. Another business's conversation is `VT_ERR_CONVERSATION_UNKNOWN`.
 *
 * @example
 * ```ts
 * const detail = await conversationDetail(db, { businessId, conversationId });
 * detail.messages.filter((m) => m.from === 'customer');
 * ```
 */
export async function conversationDetail(db: DbClient, target: StaffTarget): Promise<ConversationDetail> {
  const conversation = await visibleConversation(db, target);
  const summary = await summaryOf(db, conversation, (await latestHandoffs(db, target.businessId, [conversation.id])).get(conversation.id));
  const fromEvent = await firstEventAtBusiness(db, conversation, target.businessId);
  const timeline = await conversationTimeline(db, { id: conversation.id, botId: conversation.botId, channel: conversation.channel, customerId: conversation.customer.externalId }, 100, fromEvent);
  const cart = await createCartService(db).get(conversation.id, target.businessId);
  return {
    ...summary,
    messages: timeline.map((m) => ({ from: m.from, text: m.text, at: m.at.toISOString() })),
    cart: cart.lines.length === 0 ? null : {
      lines: cart.lines.map((l) => ({ name: l.name, quantity: l.quantity, lineTotalMinor: l.lineTotalMinor })), totalMinor: cart.totalMinor, currency: cart.currency,
    },
  };
}
