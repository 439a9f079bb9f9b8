import { z } from 'zod';
import { defineStep, noticeShop } from '../../engine/index.ts';

/**
 * Hands the conversation to a person: records an analytics event and, at a
 * business that listens for it, queues a `handoff.requested` notice; then
 * tells the customer honestly who will answer: the business's team when it
 * was told (`handoff.notified`), else its phone number when it has one
 * (`handoff.callBusiness`), else that no one can answer in this chat yet
 * (`text`) (outcome `done`).
 *
 * @example
 * ```yaml
 * human: { step: handoff, next: $back }
 * ```
 */
export const handoff = defineStep({
  name: 'handoff',
  description: 'Asks a person from the business to take over; records a handoff event',
  params: z.object({ text: z.string().default('handoff.text') }).strict(),
  outcomes: ['done'],
  textKeys: (p) => [p.text, 'handoff.notified', 'handoff.callBusiness'],
  async enter(ctx) {
    const businessId = ctx.data.businessId ?? null;
    const recorded = await ctx.services.db.analyticsEvent.create({
      data: { botId: ctx.data.botId, conversationId: ctx.data.conversationId, type: 'handoff', data: JSON.stringify({ businessId }) },
    });
    const business = businessId ? await ctx.services.directory.get(businessId) : null;
    const notified = businessId
      ? await noticeShop(ctx.services.db, { type: 'handoff.requested', businessId, conversationId: ctx.data.conversationId, key: String(recorded.id) }, ctx.services.clock)
      : false;
    const text = notified && business ? ctx.t('handoff.notified', { business: business.name })
      : business?.phone ? ctx.t('handoff.callBusiness', { business: business.name, phone: business.phone })
        : ctx.t(ctx.params.text);
    return { replies: [{ kind: 'handoff', text }], outcome: 'done' };
  },
});
