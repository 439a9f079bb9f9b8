import type { DbClient } from '../db/db-client.ts';
import { VitrineError } from '../errors.ts';
import { fulfilmentFee, offeredMethods, readFulfilment, shortOfMinimum, type FulfilmentChoice, type FulfilmentMethod, type OrderFulfilment } from './fulfilment.ts';

/** The order columns of a priced fulfilment choice. */
export interface FulfilmentColumns {
  customerName: string | null;
  customerPhone: string | null;
  fulfilment: FulfilmentMethod | null;
  zone: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  tableNumber: string | null;
  note: string | null;
  feeMinor: number;
}

const NONE: FulfilmentColumns = {
  customerName: null, customerPhone: null, fulfilment: null, zone: null, address: null, latitude: null, longitude: null, tableNumber: null, note: null, feeMinor: 0,
};

/**
 * Prices a customer's fulfilment choice with the business's stored settings
 * (never with amounts from the chat): the fee of the method and zone, nothing
 * from `freeFrom` on. A business without `fulfilment` gets no columns set.
 * Throws `VT_ERR_FULFILMENT_INVALID` for a method or zone the business does
 * not offer and `VT_ERR_FULFILMENT_MINIMUM` below its minimum for delivery.
 *
 * @example
 * ```ts
 * const columns = await priceFulfilment(db, businessId, { method: 'delivery', zone: 'Centro', address: 'Rua A, 1' }, 3000);
 * columns.feeMinor; // 400
 * ```
 */
export async function priceFulfilment(db: DbClient, businessId: string, choice: FulfilmentChoice | undefined, subtotalMinor: number): Promise<FulfilmentColumns> {
  const row = await db.business.findUniqueOrThrow({ where: { id: businessId }, select: { fulfilment: true, currency: true } });
  const settings = readFulfilment(row.fulfilment, row.currency);
  if (!settings || !choice) return NONE;
  const context = { businessId, method: choice.method, zone: choice.zone };
  if (!offeredMethods(settings).includes(choice.method)) throw new VitrineError('VT_ERR_FULFILMENT_INVALID', `The business does not offer ${choice.method}`, { context });
  const feeMinor = fulfilmentFee(settings, choice, subtotalMinor);
  if (feeMinor === undefined) throw new VitrineError('VT_ERR_FULFILMENT_INVALID', `The business has no delivery zone "${choice.zone ?? ''}"`, { context });
  const short = shortOfMinimum(settings, choice.method, subtotalMinor);
  if (short > 0) throw new VitrineError('VT_ERR_FULFILMENT_MINIMUM', 'The order is below the minimum for delivery', { context: { ...context, subtotalMinor, shortMinor: short } });
  const delivery = choice.method === 'delivery';
  return {
    customerName: choice.name ?? null, customerPhone: choice.phone ?? null, fulfilment: choice.method,
    zone: delivery ? choice.zone ?? null : null, address: delivery ? choice.address ?? null : null,
    latitude: delivery ? choice.location?.latitude ?? null : null, longitude: delivery ? choice.location?.longitude ?? null : null,
    tableNumber: choice.method === 'dine-in' ? choice.table ?? null : null, note: choice.note ?? null, feeMinor,
  };
}

/**
 * How a stored order reaches its customer, `null` for an order whose business asked nothing of it.
 *
 * @example
 * ```ts
 * orderFulfilment(row)?.method; // 'delivery'
 * ```
 */
export function orderFulfilment(row: Omit<FulfilmentColumns, 'customerName' | 'customerPhone' | 'fulfilment'> & { fulfilment: string | null }): OrderFulfilment | null {
  const method = row.fulfilment;
  if (method !== 'pickup' && method !== 'delivery' && method !== 'dine-in') return null;
  return {
    method, zone: row.zone, address: row.address,
    location: row.latitude !== null && row.longitude !== null ? { latitude: row.latitude, longitude: row.longitude } : null,
    table: row.tableNumber, note: row.note, feeMinor: row.feeMinor,
  };
}
