import { z } from 'zod';
import { defineStep, encodeOptionId, recordUnfoundSearch, tappedOption, type ChoiceOption, type StepContext, type StepResult } from '../../engine/index.ts';
import { navOption, productOption } from './views.ts';

type Ctx = StepContext<{ pageSize: number }>;

const categoriesOption = (ctx: Ctx): ChoiceOption => ({ id: encodeOptionId({ kind: 'catalog', page: 'categories' }), label: ctx.t('nav.categories') });

async function showCategories(ctx: Ctx, businessId: string): Promise<StepResult> {
  const business = await ctx.services.directory.get(businessId);
  const categories = await ctx.services.catalog.categories(businessId);
  if (categories.length === 1 && categories[0]) return showProducts(ctx, businessId, categories[0].id, 0);
  if (categories.length === 0) return { replies: [{ kind: 'text', text: ctx.t('catalog.noProducts') }], outcome: 'back' };
  const shops = (await ctx.services.directory.list(ctx.data.botId)).length;
  return {
    set: { categoryId: undefined, page: 0 },
    replies: [{
      kind: 'choice',
      text: ctx.t('catalog.categories', { business: business?.name ?? '' }),
      options: [
        ...categories.map((c) => ({ id: encodeOptionId({ kind: 'category', categoryId: c.id }), label: c.name, description: ctx.t('catalog.productCount', { count: c.productCount }) })),
        navOption(ctx, 'cart'),
        ...(shops > 1 ? [navOption(ctx, 'switchBusiness')] : []),
      ],
    }],
  };
}

async function showProducts(ctx: Ctx, businessId: string, categoryId: string, page: number): Promise<StepResult> {
  const categories = await ctx.services.catalog.categories(businessId);
  const category = categories.find((c) => c.id === categoryId);
  if (!category) return showCategories(ctx, businessId);
  const result = await ctx.services.catalog.products(businessId, categoryId, page, ctx.params.pageSize);
  const options: ChoiceOption[] = result.items.map((p) => productOption(ctx, p));
  if (result.page < result.pageCount - 1) options.push({ id: encodeOptionId({ kind: 'catalog', page: 'more' }), label: ctx.t('nav.more') });
  if (categories.length > 1) options.push(categoriesOption(ctx));
  options.push(navOption(ctx, 'cart'));
  return {
    set: { categoryId, page: result.page },
    replies: [{
      kind: 'choice',
      text: ctx.t('catalog.products', { category: category.name, page: result.page + 1, pages: result.pageCount }),
      options,
    }],
  };
}

/**
 * Browses a business's catalog: categories, then products a page at a time
 * ("more"), then a product (outcome `product`). Typing a product name searches
 * the catalog, typos included.
 *
 * @example
 * ```yaml
 * browse: { step: browseCatalog, params: { pageSize: 5 }, on: { product: product } }
 * ```
 */
export const browseCatalog = defineStep({
  name: 'browseCatalog',
  description: 'Shows categories and pages of products; picking one gives outcome product',
  params: z.object({ pageSize: z.number().int().min(1).max(9).default(5) }).strict(),
  outcomes: ['product', 'back'],
  ownIntents: ['back'],
  maxOptions: (p) => p.pageSize + 3,
  textKeys: () => ['catalog.categories', 'catalog.products', 'catalog.productCount', 'catalog.noProducts', 'catalog.searchResults', 'catalog.noSearchResults',
    'catalog.pickBusiness', 'nav.more', 'nav.categories', 'nav.cart', 'nav.switchBusiness', 'help.browseCatalog'],
  async enter(ctx) {
    const { businessId, categoryId, page } = ctx.data;
    if (!businessId) return { replies: [{ kind: 'text', text: ctx.t('catalog.pickBusiness') }], outcome: 'back' };
    return categoryId ? showProducts(ctx, businessId, categoryId, page ?? 0) : showCategories(ctx, businessId);
  },
  async handle(ctx, input) {
    const { businessId, categoryId, page } = ctx.data;
    if (!businessId) return { outcome: 'back' };
    if (input.kind === 'choice') {
      const option = tappedOption(input);
      if (option?.kind === 'category') return showProducts(ctx, businessId, option.categoryId, 0);
      if (option?.kind === 'product') return { set: { productId: option.productId }, outcome: 'product' };
      if (option?.kind === 'catalog' && option.page === 'more' && categoryId) return showProducts(ctx, businessId, categoryId, (page ?? 0) + 1);
      if (option?.kind === 'catalog' && option.page === 'categories') return showCategories(ctx, businessId);
      if (option?.kind === 'intent' && option.intent === 'back') {
        const categories = await ctx.services.catalog.categories(businessId);
        return categoryId && categories.length > 1 ? showCategories(ctx, businessId) : { outcome: 'back' };
      }
      return {};
    }
    if (input.kind === 'text') {
      if (ctx.data.choices.length > 0 && /^\d+$/.test(input.text.trim())) return {};
      const query = input.text.trim();
      const found = await ctx.services.catalog.search(businessId, query, ctx.params.pageSize);
      if (found.length === 0) await recordUnfoundSearch(ctx.services.db, ctx.services.clock, businessId, query);
      if (found.length === 0) return { replies: [{ kind: 'text', text: ctx.t('catalog.noSearchResults', { query }) }] };
      return {
        replies: [{
          kind: 'choice', text: ctx.t('catalog.searchResults', { query }),
          options: [...found.map((p) => productOption(ctx, p)), categoriesOption(ctx), navOption(ctx, 'cart')],
        }],
      };
    }
    return {};
  },
});
