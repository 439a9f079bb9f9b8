import type { DbClient } from '../db/db-client.ts';
import { VitrineError } from '../errors.ts';
import type { IdGenerator } from '../services.ts';
import type { OrderForPayment, PaymentProvider, PaymentStart } from '../payments/payment-provider.ts';
import type { CartService } from '../cart/cart-service.ts';

/** An order with its lines. */
export interface OrderRecord extends OrderForPayment {
  status: string;
  provider: string;
  createdAt: Date;
}

/** The result of a checkout. */
export interface CheckoutResult {
  order: OrderRecord;
  payment: PaymentStart;
}

/** Orders of a conversation. */
export interface OrderService {
  /**
   * Turns the open cart at a business into an order in `awaiting_payment`,
   * priced from the database, and starts payment with the provider.
   * Throws `VT_ERR_CART_EMPTY` for an empty cart.
   */
  checkout(input: { conversationId: string; customerId: string; businessId: string; locale: string }): Promise<CheckoutResult>;
  get(orderId: string): Promise<OrderRecord>;
  /** The conversation's orders, newest first. */
  recent(conversationId: string, limit?: number): Promise<OrderRecord[]>;
}

/** Dependencies of {@link createOrderService}. */
export interface OrderServiceDeps {
  db: DbClient;
  cart: CartService;
  payments: PaymentProvider;
  ids: IdGenerator;
}

/**
 * The order service over the database.
 *
 * @example
 * ```ts
 * const orders = createOrderService({ db, cart, payments: recordOnlyPaymentProvider, ids: randomIds() });
 * const { order } = await orders.checkout({ conversationId, customerId, businessId, locale: 'pt-BR' });
 * ```
 */
export function createOrderService({ db, cart, payments, ids }: OrderServiceDeps): OrderService {
  async function get(orderId: string): Promise<OrderRecord> {
    const o = await db.order.findUnique({ where: { id: orderId }, include: { items: true, business: { select: { name: true } } } });
    if (!o) throw new VitrineError('VT_ERR_ORDER_UNKNOWN', `No order ${orderId}`, { context: { orderId } });
    return {
      id: o.id, number: o.number, version: o.version, businessId: o.businessId, businessName: o.business.name,
      conversationId: o.conversationId, currency: o.currency, totalMinor: o.totalMinor, locale: o.locale,
      status: o.status, provider: o.provider, createdAt: o.createdAt,
      items: o.items.map((i) => ({ sku: i.sku, name: i.name, unitPriceMinor: i.unitPriceMinor, quantity: i.quantity })),
    };
  }

  return {
    get,
    async checkout({ conversationId, customerId, businessId, locale }) {
      const view = await cart.get(conversationId, businessId);
      if (view.cartId === null || view.lines.length === 0) {
        throw new VitrineError('VT_ERR_CART_EMPTY', 'The cart is empty', { context: { conversationId, businessId } });
      }
      const products = await db.product.findMany({ where: { id: { in: view.lines.map((l) => l.productId) } } });
      for (const line of view.lines) {
        const p = products.find((x) => x.id === line.productId);
        if (p && p.stock !== null && line.quantity > p.stock) {
          throw new VitrineError('VT_ERR_OUT_OF_STOCK', `Only ${p.stock} of ${p.sku} left`, { context: { productId: p.id, stock: p.stock } });
        }
      }
      const created = await db.order.create({
        data: {
          number: ids.orderNumber(), businessId, customerId, conversationId, cartId: view.cartId,
          status: 'awaiting_payment', totalMinor: view.totalMinor, currency: view.currency, locale, provider: payments.id,
          items: {
            create: view.lines.map((l) => ({
              productId: l.productId, sku: l.sku, name: l.name, unitPriceMinor: l.unitPriceMinor,
              quantity: l.quantity, lineTotalMinor: l.lineTotalMinor,
            })),
          },
          events: { create: { type: 'created', fromState: 'cart', toState: 'awaiting_payment', applied: true } },
        },
      });
      await db.cart.update({ where: { id: view.cartId }, data: { status: 'ordered' } });
      const order = await get(created.id);
      let payment: PaymentStart;
      try {
        payment = await payments.createPayment(order);
      } catch (err) {
        throw new VitrineError('VT_ERR_PAYMENT_PROVIDER', `Payment provider ${payments.id} failed: ${(err as Error).message}`, { cause: err, context: { orderId: order.id } });
      }
      await db.payment.create({
        data: {
          orderId: order.id, provider: payments.id, providerRef: payment.providerRef, status: 'pending',
          amountMinor: order.totalMinor, currency: order.currency, url: payment.kind === 'redirect' ? payment.url : null,
        },
      });
      return { order, payment };
    },
    async recent(conversationId, limit = 3) {
      const rows = await db.order.findMany({ where: { conversationId }, orderBy: { createdAt: 'desc' }, take: limit, select: { id: true } });
      return Promise.all(rows.map((r) => get(r.id)));
    },
  };
}
