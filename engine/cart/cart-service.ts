import type { DbClient } from '../db/db-client.ts';
import { plainQuery } from '../db/plain-query.ts';
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

/** Items waiting in a conversation's open cart at another business. */
export interface CartElsewhere {
  businessId: string;
  businessName: string;
  /** Units in that cart. */
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
  /**
   * The conversation's open, non-empty carts at businesses other than
   * `businessId`, the most recently changed first: what waits there after the
   * customer switched shops.
   */
  elsewhere(conversationId: string, businessId: string): Promise<CartElsewhere[]>;
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
  // Reads are plain SQL (statements prepared once on SQLite): a cart is read two or three
  // times a turn while a customer shops. Writes go through the Prisma client.
  async function openCartId(conversationId: string, businessId: string): Promise<string | undefined> {
    const [cart] = await plainQuery<{ id: string }>(db,
      'SELECT "id" FROM "Cart" WHERE "conversationId" = $1 AND "businessId" = $2 AND "status" = \'open\' ORDER BY "createdAt", "id" LIMIT 1',
      [conversationId, businessId]);
    return cart?.id;
  }

  async function openCart(conversationId: string, businessId: string): Promise<string> {
    return (await openCartId(conversationId, businessId)) ?? (await db.cart.create({ data: { conversationId, businessId }, select: { id: true } })).id;
  }

  async function view(conversationId: string, businessId: string): Promise<CartView> {
    const [business] = await plainQuery<{ currency: string }>(db, 'SELECT "currency" FROM "Business" WHERE "id" = $1', [businessId]);
    if (!business) throw new VitrineError('VT_ERR_INTERNAL', `The cart's business ${businessId} does not exist`, { context: { businessId } });
    const cartId = await openCartId(conversationId, businessId);
    const items = cartId === undefined ? [] : await plainQuery<{ productId: string; sku: string; name: string; quantity: number; priceMinor: number }>(db,
      `SELECT i."productId", p."sku", p."name", i."quantity", p."priceMinor" FROM "CartItem" i JOIN "Product" p ON p."id" = i."productId"
       WHERE i."cartId" = $1 AND p."active" = TRUE ORDER BY i."id"`, [cartId]);
    const lines: CartLine[] = items.map((i) => ({
      productId: i.productId, sku: i.sku, name: i.name, quantity: i.quantity, unitPriceMinor: i.priceMinor, lineTotalMinor: i.priceMinor * i.quantity,
    }));
    return {
      cartId: cartId ?? null, businessId, currency: business.currency, lines,
      totalMinor: lines.reduce((sum, l) => sum + l.lineTotalMinor, 0),
      itemCount: lines.reduce((sum, l) => sum + l.quantity, 0),
    };
  }

  async function product(businessId: string, productId: string) {
    const [p] = await plainQuery<{ sku: string; stock: number | null }>(db,
      'SELECT "sku", "stock" FROM "Product" WHERE "id" = $1 AND "businessId" = $2 AND "active" = TRUE', [productId, businessId]);
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
      const cartId = await openCartId(conversationId, businessId);
      if (cartId !== undefined) await db.cartItem.deleteMany({ where: { cartId, productId } });
      return view(conversationId, businessId);
    },
    async clear(conversationId, businessId) {
      const cartId = await openCartId(conversationId, businessId);
      if (cartId !== undefined) await db.cartItem.deleteMany({ where: { cartId } });
      return view(conversationId, businessId);
    },
    async elsewhere(conversationId, businessId) {
      const rows = await plainQuery<{ businessId: string; name: string; quantity: number }>(db,
        `SELECT c."businessId", b."name", i."quantity" FROM "Cart" c
         JOIN "Business" b ON b."id" = c."businessId" JOIN "CartItem" i ON i."cartId" = c."id" JOIN "Product" p ON p."id" = i."productId"
         WHERE c."conversationId" = $1 AND c."status" = 'open' AND c."businessId" <> $2 AND p."active" = TRUE
         ORDER BY c."updatedAt" DESC, c."id"`, [conversationId, businessId]);
      const carts = new Map<string, CartElsewhere>();
      for (const row of rows) {
        const cart = carts.get(row.businessId) ?? { businessId: row.businessId, businessName: row.name, itemCount: 0 };
        cart.itemCount += Number(row.quantity);
        carts.set(row.businessId, cart);
      }
      return [...carts.values()];
    },
  };
}
