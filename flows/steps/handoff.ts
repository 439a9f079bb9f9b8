import { z } from 'zod';
import { defineStep } from '../../engine/index.ts';

/**
 * Hands the conversation to a person: tells the customer and records an
 * analytics event the business's team can act on (outcome `done`).
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
    await ctx.services.db.analyticsEvent.create({
      data: { botId: ctx.data.botId, conversationId: ctx.data.conversationId, type: 'handoff', data: JSON.stringify({ businessId: ctx.data.businessId ?? null }) },
    });
    return { replies: [{ kind: 'handoff', text: ctx.t(ctx.params.text) }], outcome: 'done' };
  },
});
