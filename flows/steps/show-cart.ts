import { z } from 'zod';
import { defineStep, encodeOptionId, isVitrineError, MAX_QUANTITY, tappedOption, type ChoiceOption, type OutboundMessage, type StepContext, type StepResult } from '../../engine/index.ts';
import { cartMessage, cartsElsewhere, navOption, parseQuantity } from './views.ts';

type Ctx = StepContext<Record<string, never>>;

async function show(ctx: Ctx, before: OutboundMessage[] = []): Promise<StepResult> {
  const { businessId, conversationId } = ctx.data;
  if (!businessId) return { replies: [...before, { kind: 'text', text: ctx.t('cart.noBusiness') }], outcome: 'empty' };
  const business = await ctx.services.directory.get(businessId);
  const cart = await ctx.services.cart.get(conversationId, businessId);
  const message = cartMessage(ctx, cart, business?.name ?? '');
  if (cart.lines.length === 0) {
    // Items put in at another shop wait in that shop's cart: say so, and offer the way back.
    const elsewhere = await cartsElsewhere(ctx, businessId);
    const options = [{ id: encodeOptionId({ kind: 'cart', action: 'continue' }), label: ctx.t('cart.continue') }, ...(elsewhere.length > 0 ? [navOption(ctx, 'switchBusiness')] : [])];
    return { replies: [...before, message, ...elsewhere, { kind: 'choice', text: ctx.t('cart.empty'), options }], scratch: { editing: null } };
  }
  return {
    scratch: { editing: null },
    replies: [...before, message, {
      kind: 'choice',
      text: ctx.t('cart.whatNext'),
      options: [
        { id: encodeOptionId({ kind: 'cart', action: 'checkout' }), label: ctx.t('cart.checkout') },
        { id: encodeOptionId({ kind: 'cart', action: 'continue' }), label: ctx.t('cart.continue') },
        ...cart.lines.map((l) => ({ id: encodeOptionId({ kind: 'cartEdit', productId: l.productId }), label: ctx.t('cart.edit', { name: l.name }), description: `× ${l.quantity}` })),
        { id: encodeOptionId({ kind: 'cart', action: 'clear' }), label: ctx.t('cart.clear') },
      ],
    }],
  };
}

/**
 * Shows the cart with its total (from database prices) and lets the customer
 * change quantities, remove lines, empty it, check out (outcome `checkout`) or
 * keep shopping (outcome `continue`).
 *
 * @example
 * ```yaml
 * cart: { step: showCart, on: { checkout: checkout, continue: browse, empty: $back } }
 * ```
 */
export const showCart = defineStep({
  name: 'showCart',
  description: 'Shows and edits the cart; outcomes checkout, continue, empty',
  params: z.object({}).strict(),
  outcomes: ['checkout', 'continue', 'empty'],
  textKeys: () => ['cart.title', 'cart.empty', 'cart.noBusiness', 'cart.whatNext', 'cart.checkout', 'cart.continue', 'cart.edit', 'cart.clear',
    'cart.askQuantity', 'cart.remove', 'cart.updated', 'cart.removed', 'cart.cleared', 'product.invalidQuantity', 'product.outOfStock', 'help.showCart', 'cart.waitingElsewhere', 'nav.switchBusiness'],
  enter: (ctx) => show(ctx),
  async handle(ctx, input) {
    const { businessId, conversationId } = ctx.data;
    if (!businessId) return { outcome: 'empty' };
    const editing = typeof ctx.scratch['editing'] === 'string' ? ctx.scratch['editing'] : null;
    if (input.kind === 'choice') {
      const option = tappedOption(input);
      if (option?.kind === 'cart' && option.action === 'checkout') return { outcome: 'checkout' };
      if (option?.kind === 'cart' && option.action === 'continue') return { outcome: 'continue' };
      if (option?.kind === 'cart' && option.action === 'clear') {
        await ctx.services.cart.clear(conversationId, businessId);
        return show(ctx, [{ kind: 'text', text: ctx.t('cart.cleared') }]);
      }
      if (option?.kind === 'cartEdit') {
        const { productId } = option;
        const line = (await ctx.services.cart.get(conversationId, businessId)).lines.find((l) => l.productId === productId);
        if (!line) return show(ctx);
        const remove: ChoiceOption = { id: encodeOptionId({ kind: 'cartSet', productId, quantity: 0 }), label: ctx.t('cart.remove') };
        return { scratch: { editing: productId }, replies: [{ kind: 'choice', numbered: false, text: ctx.t('cart.askQuantity', { name: line.name, max: MAX_QUANTITY }), options: [remove] }] };
      }
      if (option?.kind === 'cartSet') return setQuantity(ctx, businessId, option.productId, option.quantity);
      return {};
    }
    if (input.kind === 'text' && editing) {
      const quantity = parseQuantity(input.text, ctx.words.units);
      if (quantity === undefined) return { replies: [{ kind: 'text', text: ctx.t('product.invalidQuantity', { max: MAX_QUANTITY }) }] };
      return setQuantity(ctx, businessId, editing, quantity);
    }
    return {};
  },
});

async function setQuantity(ctx: Ctx, businessId: string, productId: string, quantity: number): Promise<StepResult> {
  const { conversationId } = ctx.data;
  const line = (await ctx.services.cart.get(conversationId, businessId)).lines.find((l) => l.productId === productId);
  try {
    await ctx.services.cart.setQuantity(conversationId, businessId, productId, quantity);
  } catch (err) {
    if (isVitrineError(err, 'VT_ERR_CART_QUANTITY')) return { replies: [{ kind: 'text', text: ctx.t('product.invalidQuantity', { max: MAX_QUANTITY }) }] };
    if (isVitrineError(err, 'VT_ERR_OUT_OF_STOCK')) return { replies: [{ kind: 'text', text: ctx.t('product.outOfStock', { stock: Number(err.context['stock'] ?? 0), name: line?.name ?? '' }) }] };
    throw err;
  }
  const note = quantity === 0 ? ctx.t('cart.removed', { name: line?.name ?? '' }) : ctx.t('cart.updated');
  return show(ctx, [{ kind: 'text', text: note }]);
}

