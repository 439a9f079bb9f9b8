import { z } from 'zod';
import { defineStep, encodeOptionId, tappedOption } from '../../engine/index.ts';

/**
 * Offers options; the chosen option's id is the outcome.
 *
 * @example
 * ```yaml
 * menu:
 *   step: choose
 *   params: { text: menu.text, options: [{ id: shop, label: menu.shop }, { id: human, label: menu.human }] }
 *   on: { shop: findBusiness, human: human }
 * ```
 */
export const choose = defineStep({
  name: 'choose',
  description: 'Offers options (i18n keys); the chosen id is the outcome',
  params: z.object({
    text: z.string().min(1),
    options: z.array(z.object({ id: z.string().regex(/^[a-zA-Z]\w*$/), label: z.string().min(1) }).strict()).min(1),
  }).strict(),
  outcomes: (p) => p.options.map((o) => o.id),
  maxOptions: (p) => p.options.length,
  textKeys: (p) => [p.text, ...p.options.map((o) => o.label)],
  enter: (ctx) => ({
    replies: [{ kind: 'choice', text: ctx.t(ctx.params.text), options: ctx.params.options.map((o) => ({ id: encodeOptionId({ kind: 'choose', choice: o.id }), label: ctx.t(o.label) })) }],
  }),
  handle: (ctx, input) => {
    const option = tappedOption(input);
    const id = option?.kind === 'choose' ? option.choice : undefined;
    return id && ctx.params.options.some((o) => o.id === id) ? { outcome: id } : {};
  },
});
