import { z } from 'zod';
import { closedNotice, defineStep, encodeOptionId, IN_DIRECTORY, markFunnel, OPENING_HOURS_TEXT_KEYS, tappedOption, type StepContext } from '../../engine/index.ts';
import { cartsElsewhere, navOption } from './views.ts';

type Ctx = StepContext<{ limit: number }>;

/** Selects a business; `quietly` when it is the bot's only one (its welcome was the greeting). */
async function select(ctx: Ctx, businessId: string, quietly = false) {
  // Only an active business of this bot: an id from the chat may name any other.
  const business = await ctx.services.directory.find(ctx.data.botId, businessId);
  // No replies: the customer hears that they were not understood.
  if (!business) return {};
  await markFunnel(ctx.services.db, ctx.services.clock, { businessId, conversationId: ctx.data.conversationId, stage: 'found' });
  const welcome = quietly ? [] : [{ kind: 'text' as const, text: ctx.t('directory.selected', { name: business.name, city: business.city }) }];
  const closed = closedNotice(business, ctx.services.clock.now(), ctx.t, ctx.data.locale);
  return {
    // A customer who switched shops hears that their items wait at the other one; at a closed shop, when it opens.
    replies: [...welcome, ...(closed ? [{ kind: 'text' as const, text: closed }] : []), ...(await cartsElsewhere(ctx, businessId))],
    set: { businessId, categoryId: undefined, page: 0, productId: undefined },
    outcome: 'selected',
  };
}

/**
 * Finds a business: fuzzy search on name, category, tags and city, then a
 * numbered pick. A bot with one business selects it at once, without a
 * second welcome.
 *
 * @example
 * ```yaml
 * findBusiness: { step: searchDirectory, params: { limit: 5 }, on: { selected: browse } }
 * ```
 */
export const searchDirectory = defineStep({
  name: 'searchDirectory',
  description: 'Searches the bot’s businesses and lets the customer pick one (outcome selected)',
  params: z.object({ limit: z.number().int().min(1).max(10).default(5) }).strict(),
  outcomes: ['selected'],
  maxOptions: (p) => p.limit + 1,
  textKeys: () => ['directory.prompt', 'directory.results', 'directory.resultsNumbered', 'directory.noResults', 'directory.selected', 'directory.optionDescription', 'cart.waitingElsewhere', 'nav.help', 'help.searchDirectory', ...OPENING_HOURS_TEXT_KEYS],
  async enter(ctx) {
    const all = await ctx.services.directory.list(ctx.data.botId);
    if (all.length === 1 && all[0]) return select(ctx, all[0].id, true);
    // The customer is in the directory now, not at the shop they may come back to.
    return { replies: [{ kind: 'text', text: ctx.t('directory.prompt', { count: all.length }) }], scratch: { [IN_DIRECTORY]: true } };
  },
  async handle(ctx, input) {
    const option = tappedOption(input);
    if (option?.kind === 'business') return select(ctx, option.businessId);
    if (input.kind !== 'text') return {};
    const query = input.text.trim();
    const found = await ctx.services.directory.search(ctx.data.botId, query, ctx.params.limit);
    if (found.length === 0) return { replies: [{ kind: 'text', text: ctx.t('directory.noResults', { query }) }] };
    return {
      replies: [{
        kind: 'choice',
        text: ctx.t('directory.results', { query }),
        textWhenNumbered: ctx.t('directory.resultsNumbered', { query }),
        options: [
          ...found.map((b) => ({ id: encodeOptionId({ kind: 'business', businessId: b.id }), label: b.name, description: ctx.t('directory.optionDescription', { category: ctx.t(`businessCategory.${b.category}`, { defaultValue: b.category }), city: b.city }) })),
          navOption(ctx, 'help'),
        ],
      }],
    };
  },
});
