import { z } from 'zod';
import { defineStep, encodeOptionId, isVitrineError, markFunnel, MAX_QUANTITY, tappedOption, type StepContext, type StepResult } from '../../engine/index.ts';
import { navOption, parseQuantity, productView } from './views.ts';

type Ctx = StepContext<Record<string, never>>;

async function add(ctx: Ctx, quantity: number): Promise<StepResult> {
  const { businessId, productId, conversationId } = ctx.data;
  if (!businessId || !productId) return { outcome: 'back' };
  const product = await ctx.services.catalog.product(businessId, productId);
  try {
    const cart = await ctx.services.cart.add(conversationId, businessId, productId, quantity);
    await markFunnel(ctx.services.db, ctx.services.clock, { businessId, conversationId, stage: 'added' });
    return {
      replies: [{ kind: 'text', text: ctx.t('product.added', { quantity, name: product.name, count: cart.itemCount, total: ctx.money(cart.totalMinor, cart.currency) }) }],
      outcome: 'added',
    };
  } catch (err) {
    if (isVitrineError(err, 'VT_ERR_OUT_OF_STOCK')) {
      const stock = Number(err.context['stock'] ?? 0);
      return { replies: [{ kind: 'text', text: stock > 0 ? ctx.t('product.outOfStock', { stock, name: product.name }) : ctx.t('product.soldOut', { name: product.name }) }] };
    }
    if (isVitrineError(err, 'VT_ERR_CART_QUANTITY')) return { replies: [{ kind: 'text', text: ctx.t('product.invalidQuantity', { max: MAX_QUANTITY }) }] };
    throw err;
  }
}

/**
 * Shows a product's details and price, and adds it to the cart in the
 * quantity the customer types (outcome `added`).
 *
 * @example
 * ```yaml
 * product: { step: showProduct, on: { added: browse } }
 * ```
 */
export const showProduct = defineStep({
  name: 'showProduct',
  description: 'Shows a product and adds the typed quantity to the cart (outcome added)',
  params: z.object({}).strict(),
  outcomes: ['added', 'back'],
  textKeys: () => ['product.howMany', 'product.add', 'product.added', 'product.invalidQuantity', 'product.outOfStock', 'product.soldOut', 'nav.back', 'nav.cart', 'help.showProduct'],
  async enter(ctx) {
    const { businessId, productId } = ctx.data;
    if (!businessId || !productId) return { outcome: 'back' };
    const product = await ctx.services.catalog.product(businessId, productId);
    await markFunnel(ctx.services.db, ctx.services.clock, { businessId, conversationId: ctx.data.conversationId, stage: 'viewed' });
    const view = productView(ctx, product);
    return {
      replies: [
        { kind: 'product', product: view },
        view.inStock
          ? { kind: 'choice', text: ctx.t('product.howMany', { max: MAX_QUANTITY }), numbered: false,
            options: [{ id: encodeOptionId({ kind: 'quantity', quantity: 1 }), label: ctx.t('product.add') }, navOption(ctx, 'back'), navOption(ctx, 'cart')] }
          : { kind: 'choice', text: ctx.t('product.soldOut', { name: product.name }), options: [navOption(ctx, 'back'), navOption(ctx, 'cart')] },
      ],
    };
  },
  async handle(ctx, input) {
    const option = tappedOption(input);
    if (option?.kind === 'quantity') return add(ctx, option.quantity);
    if (input.kind !== 'text') return {};
    const quantity = parseQuantity(input.text, ctx.words.units);
    if (quantity === undefined) return { replies: [{ kind: 'text', text: ctx.t('product.invalidQuantity', { max: MAX_QUANTITY }) }] };
    return add(ctx, quantity);
  },
});
