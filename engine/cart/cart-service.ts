import type { DbClient } from '../db/db-client.ts';
import { VitrineError } from '../errors.ts';

/** Largest quantity of one product in a cart. */
export const MAX_QUANTITY = 99;

/** One cart line, priced from the database. */
export interface CartLine {
  productId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
}

/** A cart with its total, all from database prices. */
export interface CartView {
  cartId: string | null;
  businessId: string;
  currency: string;
  lines: CartLine[];
  totalMinor: number;
  itemCount: number;
}

/** The open cart of a conversation at one business. */
export interface CartService {
  get(conversationId: string, businessId: string): Promise<CartView>;
  /** Adds `quantity` of a product (1 to {@link MAX_QUANTITY} in all). */
  add(conversationId: string, businessId: string, productId: string, quantity: number): Promise<CartView>;
  /** Sets a line's quantity; 0 removes it. */
  setQuantity(conversationId: string, businessId: string, productId: string, quantity: number): Promise<CartView>;
  remove(conversationId: string, businessId: string, productId: string): Promise<CartView>;
  clear(conversationId: string, businessId: string): Promise<CartView>;
}

function checkQuantity(quantity: number, allowZero: boolean): void {
  if (!Number.isInteger(quantity) || quantity < (allowZero ? 0 : 1) || quantity > MAX_QUANTITY) {
    throw new VitrineError('VT_ERR_CART_QUANTITY', `Quantity must be a whole number from ${allowZero ? 0 : 1} to ${MAX_QUANTITY}`, { context: { quantity } });
  }
}

/**
 * The cart service over the database.
 *
 * @example
 * ```ts
 * const cart = createCartService(db);
 * const view = await cart.add(conversationId, businessId, productId, 2);
 * view.totalMinor; // from database prices
 * ```
 */
export function createCartService(db: DbClient): CartService {
  async function openCart(conversationId: string, businessId: string): Promise<string> {
    const existing = await db.cart.findFirst({ where: { conversationId, businessId, status: 'open' }, select: { id: true } });
    if (existing) return existing.id;
    return (await db.cart.create({ data: { conversationId, businessId }, select: { id: true } })).id;
  }

  async function view(conversationId: string, businessId: string): Promise<CartView> {
    const business = await db.business.findUniqueOrThrow({ where: { id: businessId }, select: { currency: true } });
    const cart = await db.cart.findFirst({
      where: { conversationId, businessId, status: 'open' },
      include: { items: { include: { product: true }, orderBy: { id: 'asc' } } },
    });
    const lines: CartLine[] = (cart?.items ?? [])
      .filter((i) => i.product.active)
      .map((i) => ({
        productId: i.productId, sku: i.product.sku, name: i.product.name, quantity: i.quantity,
        unitPriceMinor: i.product.priceMinor, lineTotalMinor: i.product.priceMinor * i.quantity,
      }));
    return {
      cartId: cart?.id ?? null, businessId, currency: business.currency, lines,
      totalMinor: lines.reduce((sum, l) => sum + l.lineTotalMinor, 0),
      itemCount: lines.reduce((sum, l) => sum + l.quantity, 0),
    };
  }

  async function product(businessId: string, productId: string) {
    const p = await db.product.findFirst({ where: { id: productId, businessId, active: true } });
    if (!p) throw new VitrineError('VT_ERR_PRODUCT_UNKNOWN', `No product ${productId} for sale`, { context: { businessId, productId } });
    return p;
  }

  async function setLine(conversationId: string, businessId: string, productId: string, quantity: number): Promise<CartView> {
    const p = await product(businessId, productId);
    if (p.stock !== null && quantity > p.stock) {
      throw new VitrineError('VT_ERR_OUT_OF_STOCK', `Only ${p.stock} of ${p.sku} left`, { context: { productId, stock: p.stock, quantity } });
    }
    const cartId = await openCart(conversationId, businessId);
    if (quantity === 0) {
      await db.cartItem.deleteMany({ where: { cartId, productId } });
    } else {
      await db.cartItem.upsert({ where: { cartId_productId: { cartId, productId } }, create: { cartId, productId, quantity }, update: { quantity } });
    }
    return view(conversationId, businessId);
  }

  return {
    get: view,
    async add(conversationId, businessId, productId, quantity) {
      checkQuantity(quantity, false);
      const current = (await view(conversationId, businessId)).lines.find((l) => l.productId === productId)?.quantity ?? 0;
      checkQuantity(current + quantity, false);
      return setLine(conversationId, businessId, productId, current + quantity);
    },
    async setQuantity(conversationId, businessId, productId, quantity) {
      checkQuantity(quantity, true);
      return setLine(conversationId, businessId, productId, quantity);
    },
    async remove(conversationId, businessId, productId) {
      const cart = await db.cart.findFirst({ where: { conversationId, businessId, status: 'open' }, select: { id: true } });
      if (cart) await db.cartItem.deleteMany({ where: { cartId: cart.id, productId } });
      return view(conversationId, businessId);
    },
    async clear(conversationId, businessId) {
      const cart = await db.cart.findFirst({ where: { conversationId, businessId, status: 'open' }, select: { id: true } });
      if (cart) await db.cartItem.deleteMany({ where: { cartId: cart.id } });
      return view(conversationId, businessId);
    },
  };
}
