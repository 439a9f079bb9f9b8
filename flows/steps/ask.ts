import { z } from 'zod';
import { defineStep } from '../../engine/index.ts';

/**
 * Asks a question and stores the answer in `vars.<var>` (outcome `done`).
 *
 * @example
 * ```yaml
 * askNote: { step: ask, params: { text: checkout.askNote, var: note }, next: checkout }
 * ```
 */
export const ask = defineStep({
  name: 'ask',
  description: 'Asks for free text and stores it in vars',
  params: z.object({ text: z.string().min(1), var: z.string().regex(/^[a-zA-Z_]\w*$/), maxLength: z.number().int().positive().default(500) }).strict(),
  outcomes: ['done'],
  textKeys: (p) => [p.text, 'ask.tooLong'],
  enter: (ctx) => ({ replies: [{ kind: 'text', text: ctx.t(ctx.params.text) }] }),
  handle: (ctx, input) => {
    if (input.kind !== 'text') return { replies: [{ kind: 'text', text: ctx.t(ctx.params.text) }] };
    if (input.text.length > ctx.params.maxLength) return { replies: [{ kind: 'text', text: ctx.t('ask.tooLong', { max: ctx.params.maxLength }) }] };
    return { set: { vars: { ...ctx.data.vars, [ctx.params.var]: input.text.trim() } }, outcome: 'done' };
  },
});
