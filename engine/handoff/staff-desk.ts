import { atomically } from '../db/atomically.ts';
import type { DbClient } from '../db/db-client.ts';
import { VitrineError } from '../errors.ts';
import type { SystemInput } from '../flow/step.ts';
import type { I18n } from '../i18n/create-i18n.ts';
import type { OutboundMessage } from '../messages.ts';
import { systemClock, type Clock } from '../services.ts';
import { closeOpenHandoff, HANDOFF_CLOSED_EVENT } from './handoffs.ts';

/** Which conversation of which business the staff act on. */
export interface StaffTarget {
  businessId: string;
  conversationId: string;
}

/**
 * The conversations a business's staff may see: those with a hand-off, a
 * cart or an order at the business.
 *
 * @example
 * ```ts
 * await db.conversation.findMany({ where: seenBy(businessId) });
 * ```
 */
export const seenBy = (businessId: string) =>
  ({ OR: [{ handoffs: { some: { businessId } } }, { carts: { some: { businessId } } }, { orders: { some: { businessId } } }] });

/**
 * The conversation if the business may see it: one with a hand-off, a cart
 * or an order at that business. Any other (another business's, or none) is
 * `VT_ERR_CONVERSATION_UNKNOWN`, so an id cannot be probed.
 *
 * @example
 * ```ts
 * const conversation = await visibleConversation(db, { businessId, conversationId });
 * ```
 */
export async function visibleConversation(db: DbClient, target: StaffTarget) {
  const { businessId, conversationId } = target;
  const conversation = await db.conversation.findFirst({
    where: { id: conversationId, ...seenBy(businessId) },
    include: { customer: { select: { externalId: true, name: true } } },
  });
  if (!conversation) throw new VitrineError('VT_ERR_CONVERSATION_UNKNOWN', `No conversation ${conversationId}`);
  return conversation;
}

/** The open hand-off of a conversation at the business, or `VT_ERR_HANDOFF_NOT_OPEN`. */
async function openHandoffAt(db: DbClient, target: StaffTarget): Promise<{ id: string; status: string }> {
  const open = await db.handoff.findFirst({ where: { openFor: target.conversationId, businessId: target.businessId }, select: { id: true, status: true } });
  if (!open) throw new VitrineError('VT_ERR_HANDOFF_NOT_OPEN', `Conversation ${target.conversationId} has no open hand-off: the customer has not asked for a person, or it was closed`);
  return open;
}

/**
 * Queues a staff member's text to the customer, on the customer's own
 * channel, and marks the hand-off answered with nothing left unread: one
 * transaction, no network call (the outbox's sender delivers it after the
 * commit; wake it with `engine.outbox.wake()`). Only a conversation whose
 * hand-off is open at the business can be answered (else
 * `VT_ERR_HANDOFF_NOT_OPEN`): replying is not a way to silence the bot for
 * a customer who did not ask for a person. The customer reads it under the
 * business's name (`handoff.staffSays`: "Padaria São Jorge: Olá! Temos sim.",
 * in their language when `i18n` is given); the transcript keeps the staff's own words.
 *
 * @example
 * ```ts
 * const { id } = await replyToCustomer(db, { businessId, conversationId, text: 'Olá! Temos sim.' }, clock, i18n);
 * engine.outbox.wake();
 * ```
 */
export async function replyToCustomer(db: DbClient, reply: StaffTarget & { text: string }, clock: Clock = systemClock, i18n?: I18n): Promise<{ id: string }> {
  return atomically(db, async (tx) => {
    const conversation = await visibleConversation(tx, reply);
    const open = await openHandoffAt(tx, reply);
    const now = clock.now();
    const business = await tx.business.findUniqueOrThrow({ where: { id: reply.businessId }, select: { name: true } });
    const text = i18n ? i18n.t(conversation.botId, conversation.locale)('handoff.staffSays', { business: business.name, text: reply.text }) : `${business.name}: ${reply.text}`;
    const message: OutboundMessage = { kind: 'text', text, from: 'staff', said: reply.text };
    // Anchored to the conversation's latest event, as a turn's replies are: histories place it after what the customer said last.
    const latest = await tx.inboundEvent.findFirst({ where: { conversationId: conversation.id }, orderBy: { id: 'desc' }, select: { id: true } });
    const row = await tx.outboxMessage.create({
      data: {
        botId: conversation.botId, channel: conversation.channel, customerId: conversation.customer.externalId, conversationId: conversation.id,
        locale: conversation.locale, message: JSON.stringify(message), createdAt: now, nextAttemptAt: now, ...(latest ? { inboundEventId: latest.id } : {}),
      },
      select: { id: true },
    });
    await tx.handoff.update({
      where: { id: open.id },
      data: { status: 'answered', unread: 0, offerOpen: false, version: { increment: 1 }, ...(open.status === 'waiting' ? { answeredAt: now } : {}) },
    });
    await tx.conversation.update({ where: { id: conversation.id }, data: { updatedAt: now } });
    return { id: String(row.id) };
  });
}

/**
 * Marks the customer's messages read by the staff: the hand-off's unread
 * count goes back to 0 (nothing changes when it already is, or when the
 * conversation has no hand-off).
 *
 * @example
 * ```ts
 * await markHandoffRead(db, { businessId, conversationId });
 * ```
 */
export async function markHandoffRead(db: DbClient, target: StaffTarget): Promise<void> {
  await atomically(db, async (tx) => {
    await visibleConversation(tx, target);
    await tx.handoff.updateMany({ where: { conversationId: target.conversationId, businessId: target.businessId, unread: { gt: 0 } }, data: { unread: 0, version: { increment: 1 } } });
  });
}

/** Admits a system event into a conversation in the transaction `tx` (the engine's `notify`). */
export type NotifyInTransaction = (conversationId: string, event: SystemInput, options: { eventId: string; tx: DbClient }) => Promise<unknown>;

/**
 * Closes a conversation's open hand-off and hands it back to the bot: in one
 * transaction the hand-off is closed and a {@link HANDOFF_CLOSED_EVENT} is
 * admitted into the conversation's journal (`engine.notify` with `tx`); its
 * turn tells the customer, in their language, and shows again where they
 * were (the cart, the catalog …). Call `engine.wake()` after it returns.
 * A conversation without an open hand-off is `VT_ERR_HANDOFF_NOT_OPEN`.
 *
 * @example
 * ```ts
 * await closeHandoff(db, { businessId, conversationId }, engine.notify, clock);
 * engine.wake();
 * ```
 */
export async function closeHandoff(db: DbClient, target: StaffTarget, notify: NotifyInTransaction, clock: Clock = systemClock): Promise<void> {
  await atomically(db, async (tx) => {
    await visibleConversation(tx, target);
    const open = await openHandoffAt(tx, target);
    if (!(await closeOpenHandoff(tx, open.id, 'staff', clock.now()))) throw new VitrineError('VT_ERR_HANDOFF_NOT_OPEN', `The hand-off of conversation ${target.conversationId} was closed meanwhile`);
    const event: SystemInput = { kind: 'system', event: HANDOFF_CLOSED_EVENT, data: { handoffId: open.id, by: 'staff' } };
    await notify(target.conversationId, event, { eventId: `${HANDOFF_CLOSED_EVENT}:${open.id}`, tx });
  });
}

/**
 * A cheap stamp of a business's hand-offs: it changes whenever one opens or
 * changes (a customer's message, a reply, a read, a close), so a dashboard
 * polls it and reloads its list only when it differs. Two queries on one index.
 *
 * @example
 * ```ts
 * const stamp = await conversationStamp(db, businessId); // 'h3.17'
 * ```
 */
export async function conversationStamp(db: DbClient, businessId: string): Promise<string> {
  const totals = await db.handoff.aggregate({ where: { businessId }, _count: { _all: true }, _sum: { version: true } });
  return `h${totals._count._all}.${totals._sum.version ?? 0}`;
}
