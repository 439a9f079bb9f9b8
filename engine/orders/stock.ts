import type { DbClient } from '../db/db-client.ts';
import { VitrineError } from '../errors.ts';
import type { OrderStatus } from './order-machine.ts';

/** A quantity of one product, as an order line holds it. */
export interface StockLine {
  productId: string;
  quantity: number;
}

/**
 * Takes `lines` from stock, all or nothing: each product with a tracked stock
 * (not null) goes down by its quantity only where at least that many are left,
 * in one conditional UPDATE, so concurrent orders can never take more than
 * there is. When one line cannot be served, what was taken for the others is
 * put back and `VT_ERR_OUT_OF_STOCK` names the product and what is left.
 *
 * @example
 * ```ts
 * await reserveStock(tx, [{ productId, quantity: 2 }]); // throws VT_ERR_OUT_OF_STOCK if fewer than 2 are left
 * ```
 */
export async function reserveStock(db: DbClient, lines: readonly StockLine[]): Promise<void> {
  const products = await db.product.findMany({ where: { id: { in: lines.map((l) => l.productId) } }, select: { id: true, sku: true, stock: true } });
  const taken: StockLine[] = [];
  for (const line of lines) {
    const product = products.find((p) => p.id === line.productId);
    if (!product || product.stock === null) continue;
    const won = await db.product.updateMany({ where: { id: line.productId, stock: { gte: line.quantity } }, data: { stock: { decrement: line.quantity } } });
    if (won.count === 1) {
      taken.push(line);
      continue;
    }
    await releaseLines(db, taken);
    const left = (await db.product.findUnique({ where: { id: line.productId }, select: { stock: true } }))?.stock ?? 0;
    throw new VitrineError('VT_ERR_OUT_OF_STOCK', `Only ${left} of ${product.sku} left`, { context: { productId: line.productId, stock: left } });
  }
}

async function releaseLines(db: DbClient, lines: readonly StockLine[]): Promise<void> {
  for (const line of lines) {
    await db.product.updateMany({ where: { id: line.productId, stock: { not: null } }, data: { stock: { increment: line.quantity } } });
  }
}

/**
 * What an order's change of status does to the stock it holds: an order
 * holds its units from creation while it waits for payment, in review and
 * once paid; it gives them back when it expires or is cancelled, and takes
 * them again when a new payment link revives it. A refund does not restock
 * (the goods may have left); the shop corrects stock in its catalog.
 *
 * @example
 * ```ts
 * stockEffect('awaiting_payment', 'expired'); // 'release'
 * ```
 */
export function stockEffect(from: OrderStatus, to: OrderStatus): 'reserve' | 'release' | undefined {
  if (from === 'awaiting_payment' && (to === 'expired' || to === 'cancelled')) return 'release';
  if (from === 'expired' && to === 'awaiting_payment') return 'reserve';
  return undefined;
}

/**
 * Applies {@link stockEffect} for an order moving `from` → `to`, inside the
 * caller's transaction (reserving may throw `VT_ERR_OUT_OF_STOCK`).
 *
 * @example
 * ```ts
 * await moveOrderStock(tx, order.id, 'awaiting_payment', 'cancelled');
 * ```
 */
export async function moveOrderStock(db: DbClient, orderId: string, from: OrderStatus, to: OrderStatus): Promise<void> {
  const effect = stockEffect(from, to);
  if (!effect) return;
  const lines = await db.orderItem.findMany({ where: { orderId }, select: { productId: true, quantity: true } });
  if (effect === 'reserve') await reserveStock(db, lines);
  else await releaseLines(db, lines);
}
