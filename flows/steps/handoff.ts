import { z } from 'zod';
import { defineStep, HANDOFF_CLOSED_EVENT, HANDOFF_TIMEOUT_EVENT, noAnswerOffer, noticeShop, openHandoff } from '../../engine/index.ts';

/**
 * Hands the conversation to a person of the current business (docs/handoff.md):
 * opens a hand-off (one per conversation: asking again while it is open opens
 * no second one and sends no second notice), queues a `handoff.requested`
 * notice to the business when it listens for one, and tells the customer
 * once that the team was told and that they can write here
 * (`handoff.paused`, with the business's phone when it has one). Then the
 * step waits: the engine keeps the customer's messages for the staff and the
 * bot stays quiet. When no one answered in time it asks whether to carry on
 * with the bot (`handoff.noAnswer`); when the hand-off closes (by the staff,
 * or the customer's choice) it says the bot is back and ends (`done`), so
 * `next: $back` shows again where the customer was.
 * In the directory, with no business, it only says that no one can answer
 * in this chat yet (`text`) and ends.
 *
 * @example
 * ```yaml
 * human: { step: handoff, next: $back }
 * ```
 */
export const handoff = defineStep({
  name: 'handoff',
  description: 'Hands the conversation to a person of the business: the bot is quiet until the staff close it',
  params: z.object({ text: z.string().default('handoff.text') }).strict(),
  outcomes: ['done'],
  textKeys: (p) => [p.text, 'handoff.paused', 'handoff.pausedPhone', 'handoff.noAnswer', 'handoff.continueWithBot', 'handoff.keepWaiting', 'handoff.keptWaiting', 'handoff.closedByStaff', 'handoff.closedByCustomer'],
  async enter(ctx) {
    const { db, clock } = ctx.services;
    const businessId = ctx.data.businessId ?? null;
    const business = businessId ? await ctx.services.directory.get(businessId) : null;
    if (!businessId || !business) {
      await db.analyticsEvent.create({ data: { botId: ctx.data.botId, conversationId: ctx.data.conversationId, type: 'handoff', data: JSON.stringify({ businessId: null }) } });
      return { replies: [{ kind: 'handoff', text: ctx.t(ctx.params.text) }], outcome: 'done' };
    }
    const { id, opened } = await openHandoff(db, { conversationId: ctx.data.conversationId, businessId }, clock);
    // Already handed over (this state entered again): the customer was told then.
    if (!opened) return {};
    await db.analyticsEvent.create({ data: { botId: ctx.data.botId, conversationId: ctx.data.conversationId, type: 'handoff', data: JSON.stringify({ businessId, handoffId: id }) } });
    await noticeShop(db, { type: 'handoff.requested', businessId, conversationId: ctx.data.conversationId, key: id }, clock);
    const text = [ctx.t('handoff.paused', { business: business.name }), ...(business.phone ? [ctx.t('handoff.pausedPhone', { phone: business.phone })] : [])].join(' ');
    return { replies: [{ kind: 'handoff', text }] };
  },
  async handle(ctx, input) {
    const business = ctx.data.businessId ? await ctx.services.directory.get(ctx.data.businessId) : null;
    const name = business?.name ?? '';
    if (input.kind === 'system' && input.event === HANDOFF_TIMEOUT_EVENT) return { replies: [noAnswerOffer(ctx.t, name)] };
    if (input.kind === 'system' && input.event === HANDOFF_CLOSED_EVENT) {
      const text = input.data['by'] === 'customer' ? ctx.t('handoff.closedByCustomer') : ctx.t('handoff.closedByStaff', { business: name });
      return { replies: [{ kind: 'text', text }], outcome: 'done' };
    }
    // Other events from outside the chat are not this step's.
    if (input.kind === 'system') return {};
    // A message reaches this step only when no hand-off is open any more: back to where the customer was.
    return { outcome: 'done' };
  },
});
