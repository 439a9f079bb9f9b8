import { encodeOptionId, type CartView, type ChoiceOption, type LineView, type OutboundMessage, type ProductRecord, type ProductView, type StepContext } from '../../engine/index.ts';

/** A product as the customer sees it, price formatted for their locale. */
export function productView(ctx: StepContext<unknown>, p: ProductRecord): ProductView {
  return {
    id: p.id, sku: p.sku, name: p.name, description: p.description,
    price: { minor: p.priceMinor, currency: p.currency, formatted: ctx.money(p.priceMinor, p.currency) },
    ...(p.imageUrl ? { imageUrl: p.imageUrl } : {}),
    inStock: p.stock === null || p.stock > 0,
  };
}

/** A product as an option of a choice. */
export function productOption(ctx: StepContext<unknown>, p: ProductRecord): ChoiceOption {
  const view = productView(ctx, p);
  return { id: encodeOptionId({ kind: 'product', productId: p.id }), label: p.name, description: view.price.formatted, product: view };
}

/** Cart lines formatted for the customer. */
export function lineViews(ctx: StepContext<unknown>, cart: CartView): LineView[] {
  return cart.lines.map((l) => ({
    productId: l.productId, sku: l.sku, name: l.name, quantity: l.quantity,
    unitPrice: ctx.money(l.unitPriceMinor, cart.currency), lineTotal: ctx.money(l.lineTotalMinor, cart.currency),
  }));
}

/** The cart message. */
export function cartMessage(ctx: StepContext<unknown>, cart: CartView, businessName: string): OutboundMessage {
  return {
    kind: 'cart', title: ctx.t('cart.title', { business: businessName }), lines: lineViews(ctx, cart),
    total: ctx.money(cart.totalMinor, cart.currency), totalMinor: cart.totalMinor, currency: cart.currency, empty: cart.lines.length === 0,
  };
}

/**
 * Tells the customer what waits in their carts at other shops (after they
 * switched shops, the cart here is a different one): one line per shop, with
 * how to go back to it.
 *
 * @example
 * ```ts
 * await cartsElsewhere(ctx, businessId);
 * // [{ kind: 'text', text: '2 items are waiting in your cart at Padaria São Jorge. To go back to it, …' }]
 * ```
 */
export async function cartsElsewhere(ctx: StepContext<unknown>, businessId: string): Promise<OutboundMessage[]> {
  const carts = await ctx.services.cart.elsewhere(ctx.data.conversationId, businessId);
  return carts.map((c) => ({ kind: 'text', text: ctx.t('cart.waitingElsewhere', { count: c.itemCount, business: c.businessName }) }));
}

/** Navigation options offered under lists. */
export function navOption(ctx: StepContext<unknown>, id: 'back' | 'cart' | 'switchBusiness' | 'help'): ChoiceOption {
  return { id: encodeOptionId({ kind: 'intent', intent: id }), label: ctx.t(`nav.${id}`) };
}

const escapeRegExp = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Parses a quantity the customer typed: "2", "x2", "2x", or a number and one
 * of `units` ("2 un", "3 pcs"; the locale files' `words.units`).
 *
 * @example
 * ```ts
 * parseQuantity('2 pz', ctx.words.units); // 2
 * parseQuantity('two', ctx.words.units);  // undefined
 * ```
 */
export function parseQuantity(text: string, units: readonly string[]): number | undefined {
  const unit = ['x', '×', ...units.map(escapeRegExp)].join('|');
  const match = new RegExp(`^\\s*[x×]?\\s*(-?\\d+)\\s*(?:${unit})?\\s*$`, 'i').exec(text);
  return match ? Number(match[1]) : undefined;
}
