import { z } from 'zod';
import { defineStep, noticeShop } from '../../engine/index.ts';

/**
 * Hands the conversation to a person: tells the customer, records an
 * analytics event and, at a business that listens for it, queues a
 * `handoff.requested` notice (outcome `done`).
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
  textKeys: (p) => [p.text],
  async enter(ctx) {
    const businessId = ctx.data.businessId ?? null;
    const recorded = await ctx.services.db.analyticsEvent.create({
      data: { botId: ctx.data.botId, conversationId: ctx.data.conversationId, type: 'handoff', data: JSON.stringify({ businessId }) },
    });
    if (businessId) {
      await noticeShop(ctx.services.db, { type: 'handoff.requested', businessId, conversationId: ctx.data.conversationId, key: String(recorded.id) }, ctx.services.clock);
    }
    return { replies: [{ kind: 'handoff', text: ctx.t(ctx.params.text) }], outcome: 'done' };
  },
});
