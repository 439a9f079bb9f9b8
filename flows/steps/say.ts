import { z } from 'zod';
import { defineStep } from '../../engine/index.ts';

/**
 * Says a text and moves on (outcome `done`). A one-shop bot says the text's
 * `_shop` variant where the texts have one (`shopping.welcome_shop`: no
 * "I can find a shop for you" from a bot that is the shop).
 *
 * @example
 * ```yaml
 * welcome: { step: say, params: { text: shopping.welcome }, next: findBusiness }
 * ```
 */
export const say = defineStep({
  name: 'say',
  description: 'Says a text (an i18n key; {{bot}} is the bot name) and continues',
  params: z.object({ text: z.string().min(1) }).strict(),
  outcomes: ['done'],
  textKeys: (p) => [p.text],
  enter: (ctx) => {
    const shop = ctx.services.bot.singleShop ? { context: 'shop' } : {};
    return { replies: [{ kind: 'text', text: ctx.t(ctx.params.text, { bot: ctx.services.bot.name, ...shop }) }], outcome: 'done' };
  },
});
