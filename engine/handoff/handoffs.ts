import type { DbClient } from '../db/db-client.ts';
import { plainQuery } from '../db/plain-query.ts';
import { resolveChoice } from '../flow/intents.ts';
import type { SystemInput } from '../flow/step.ts';
import type { ChoiceMessage, InboundMessage, OutboundMessage } from '../messages.ts';
import type { Clock } from '../services.ts';
import { storedHandoffSettings } from './handoff-settings.ts';

/**
 * Where a hand-off is:
 * - `waiting`: the customer asked for a person and no one has answered yet;
 * - `answered`: the staff have replied at least once;
 * - `closed`: the conversation is back with the bot.
 * While `waiting` or `answered` (open) the bot is quiet in the conversation.
 */
export const HANDOFF_STATUSES = ['waiting', 'answered', 'closed'] as const;

/** One of {@link HANDOFF_STATUSES}. */
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

/** The system event a conversation gets when no one answered its hand-off in time (once). */
export const HANDOFF_TIMEOUT_EVENT = 'handoff.timeout';

/** The system event a conversation gets when its hand-off closes (`data.by`: `staff` or `customer`): the bot takes over again. */
export const HANDOFF_CLOSED_EVENT = 'handoff.closed';

/** The ids of the two options offered when no one has answered in time. */
export const HANDOFF_OPTION_IDS = { backToBot: 'handoff:bot', keepWaiting: 'handoff:wait' } as const;

/** A translation function of the conversation's bot and locale. */
type Translate = (key: string, values?: Record<string, unknown>) => string;

/**
 * The question asked when no one has answered in time: carry on with the bot,
 * or keep waiting for the staff.
 *
 * @example
 * ```ts
 * const reply = noAnswerOffer(t, 'Padaria São Jorge'); // { kind: 'choice', options: [{ id: 'handoff:bot', … }, { id: 'handoff:wait', … }] }
 * ```
 */
export function noAnswerOffer(t: Translate, business: string): ChoiceMessage {
  return {
    kind: 'choice',
    text: t('handoff.noAnswer', { business }),
    options: [
      { id: HANDOFF_OPTION_IDS.backToBot, label: t('handoff.continueWithBot') },
      { id: HANDOFF_OPTION_IDS.keepWaiting, label: t('handoff.keepWaiting') },
    ],
  };
}

/**
 * Opens a hand-off of a conversation to a business, unless one is open
 * already (then `opened` is false and nothing is written): at most one is
 * open per conversation, which the database enforces (`openFor` is unique).
 * Its answer is due after the business's `handoff.answerWithinMinutes`.
 * Runs in the caller's transaction (the turn's).
 *
 * @example
 * ```ts
 * const { id, opened } = await openHandoff(tx, { conversationId, businessId }, clock);
 * if (opened) await noticeShop(tx, { type: 'handoff.requested', businessId, conversationId, key: id }, clock);
 * ```
 */
export async function openHandoff(db: DbClient, ask: { conversationId: string; businessId: string }, clock: Clock): Promise<{ id: string; opened: boolean }> {
  const open = await db.handoff.findUnique({ where: { openFor: ask.conversationId }, select: { id: true } });
  if (open) return { id: open.id, opened: false };
  const business = await db.business.findUnique({ where: { id: ask.businessId }, select: { handoff: true } });
  const minutes = storedHandoffSettings(business?.handoff ?? '{}').answerWithinMinutes;
  const now = clock.now();
  const created = await db.handoff.create({
    data: { conversationId: ask.conversationId, businessId: ask.businessId, openFor: ask.conversationId, requestedAt: now, dueAt: new Date(now.getTime() + minutes * 60_000) },
    select: { id: true },
  });
  return { id: created.id, opened: true };
}

/**
 * What a customer's message does while their conversation is handed to a person:
 * - `kept`: it waits for the staff (counted unread); the bot says nothing;
 * - `replied`: the customer chose to keep waiting; these replies say so;
 * - `handBack`: the customer chose the bot (its option, or words that start
 *   over such as "start over" or "menu"): the hand-off is closed and the
 *   flow runs with `input` (a {@link HANDOFF_CLOSED_EVENT}) instead of the message.
 */
export type PausedTurn =
  | { kind: 'kept' }
  | { kind: 'replied'; replies: OutboundMessage[] }
  | { kind: 'handBack'; input: SystemInput };

/**
 * Which of the two options a message answers: a tap on one is always taken;
 * typed words (its number, its label) only while the question is the last thing asked.
 */
function offerAnswer(message: InboundMessage, offerOpen: boolean, t: Translate, business: string, startsOver: (text: string) => boolean): string | undefined {
  if (message.kind === 'text' && startsOver(message.text)) return HANDOFF_OPTION_IDS.backToBot;
  if (message.kind === 'choice') {
    return Object.values(HANDOFF_OPTION_IDS).find((id) => id === message.optionId);
  }
  if (message.kind !== 'text' || !offerOpen) return undefined;
  return resolveChoice(message.text, noAnswerOffer(t, business).options, true)?.id;
}

const OPEN_HANDOFF = 'SELECT h."id", h."offerOpen", b."name" AS "business" FROM "Handoff" h JOIN "Business" b ON b."id" = h."businessId" WHERE h."openFor" = $1';

/**
 * The turn of a customer's message in a conversation with an open hand-off,
 * or `undefined` when it has none (the flow runs as usual). Runs in the
 * turn's transaction; the message itself is already in the journal, which
 * is where the staff read it. `startsOver` says whether typed words mean
 * "start over" in the bot's languages: they give the conversation back to
 * the bot at any time, so a customer is never stuck waiting.
 *
 * @example
 * ```ts
 * const startsOver = (text: string) => intents.match(text)?.intent === 'restart';
 * const paused = await pausedTurn(tx, conversation.id, message, clock, i18n.t(botId, locale), startsOver);
 * if (paused?.kind === 'kept') // no reply: the staff will read it
 * ```
 */
export async function pausedTurn(
  db: DbClient, conversationId: string, message: InboundMessage, clock: Clock, t: Translate, startsOver: (text: string) => boolean,
): Promise<PausedTurn | undefined> {
  // Every customer's turn asks: a statement prepared once, not a query built by the Prisma client.
  const [open] = await plainQuery<{ id: string; offerOpen: unknown; business: string }>(db, OPEN_HANDOFF, [conversationId]);
  if (!open) return undefined;
  const now = clock.now();
  const answer = offerAnswer(message, Boolean(Number(open.offerOpen)), t, open.business, startsOver);
  if (answer === HANDOFF_OPTION_IDS.backToBot) {
    await closeOpenHandoff(db, open.id, 'customer', now);
    return { kind: 'handBack', input: { kind: 'system', event: HANDOFF_CLOSED_EVENT, data: { handoffId: open.id, by: 'customer' } } };
  }
  if (answer === HANDOFF_OPTION_IDS.keepWaiting) {
    await db.handoff.update({ where: { id: open.id }, data: { offerOpen: false, version: { increment: 1 } } });
    return { kind: 'replied', replies: [{ kind: 'text', text: t('handoff.keptWaiting', { business: open.business }) }] };
  }
  await db.handoff.update({ where: { id: open.id }, data: { unread: { increment: 1 }, lastCustomerAt: now, version: { increment: 1 } } });
  // The conversation's latest activity, which orders the staff's list (its row version stays: the flow did not run).
  await db.conversation.update({ where: { id: conversationId }, data: { updatedAt: now } });
  return { kind: 'kept' };
}

/**
 * Closes an open hand-off (by the staff or the customer), in the caller's
 * transaction. Returns false when it was not open any more.
 *
 * @example
 * ```ts
 * await closeOpenHandoff(tx, handoffId, 'staff', clock.now());
 * ```
 */
export async function closeOpenHandoff(db: DbClient, handoffId: string, by: 'staff' | 'customer', now: Date): Promise<boolean> {
  const closed = await db.handoff.updateMany({
    where: { id: handoffId, status: { in: ['waiting', 'answered'] } },
    data: { status: 'closed', openFor: null, closedAt: now, closedBy: by, offerOpen: false, version: { increment: 1 } },
  });
  return closed.count === 1;
}
