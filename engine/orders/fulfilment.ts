import { z } from 'zod';
import { isVitrineError } from '../errors.ts';
import { isCurrency, parseMinorUnits } from '../money.ts';

/** How an order reaches the customer. */
export type FulfilmentMethod = 'pickup' | 'delivery' | 'dine-in';

/** The methods in the order a customer is offered them. */
export const FULFILMENT_METHODS: readonly FulfilmentMethod[] = ['pickup', 'delivery', 'dine-in'];

const amount = z.union([z.string(), z.number()]).describe('An amount in the business\'s currency, written like a catalog price: "5.00"');

/**
 * How a business's orders reach its customers, as written in its file
 * (`fulfilment:`). Amounts are written like catalog prices, in the business's
 * currency. A business without it keeps the flow without these questions.
 *
 * @example
 * ```yaml
 * fulfilment:
 *   pickup: { address: "Rua Augusta 1200, São Paulo" }
 *   delivery:
 *     fee: "5.00"
 *     zones: [{ name: Centro, fee: "4.00" }, { name: Zona Sul, fee: "8.00" }]
 *     minimumOrder: "30.00"
 *     freeFrom: "80.00"
 *   dineIn: { askTable: true }
 *   ask: { name: true, phone: true, note: true }
 * ```
 */
export const fulfilmentSpecSchema = z.object({
  pickup: z.object({ address: z.string().min(1).optional() }).strict().optional(),
  delivery: z.object({
    /** The flat fee, or the fee of a zone that names none. */
    fee: amount.optional(),
    zones: z.array(z.object({ name: z.string().min(1), fee: amount.optional() }).strict()).min(1).optional(),
    minimumOrder: amount.optional(),
    freeFrom: amount.optional(),
  }).strict().optional(),
  dineIn: z.object({ askTable: z.boolean().default(true) }).strict().optional(),
  ask: z.object({
    name: z.boolean().default(true),
    /** Asked only on channels that do not give the customer's number (WhatsApp does). */
    phone: z.boolean().default(true),
    note: z.boolean().default(true),
  }).strict().default({ name: true, phone: true, note: true }),
}).strict();

/** A `fulfilment:` setting as written. */
export type FulfilmentSpec = z.infer<typeof fulfilmentSpecSchema>;

/** A business's fulfilment settings with amounts in minor units of its currency. */
export interface FulfilmentSettings {
  currency: string;
  pickup?: { address?: string };
  delivery?: { feeMinor: number; zones: { name: string; feeMinor: number }[]; minimumOrderMinor?: number; freeFromMinor?: number };
  dineIn?: { askTable: boolean };
  ask: { name: boolean; phone: boolean; note: boolean };
}

/**
 * Checks a `fulfilment:` setting against its business's currency: at least
 * one way to receive, amounts valid for the currency, a fee for every zone,
 * zone names used once. `report` gets a path inside the setting.
 *
 * @example
 * ```ts
 * checkFulfilment(spec.fulfilment, 'BRL', (path, message) => ctx.addIssue({ code: 'custom', path: ['fulfilment', ...path], message }));
 * ```
 */
export function checkFulfilment(spec: FulfilmentSpec, currency: string, report: (path: (string | number)[], message: string) => void): void {
  if (!spec.pickup && !spec.delivery && !spec.dineIn) report([], 'offer at least one way to receive an order: pickup, delivery or dineIn');
  const d = spec.delivery;
  if (!d) return;
  if (d.fee === undefined && !d.zones) report(['delivery'], 'give a delivery "fee" ("0.00" for free delivery) or "zones" the customer picks from');
  const names = new Set<string>();
  d.zones?.forEach((z, i) => {
    if (names.has(z.name.toLowerCase())) report(['delivery', 'zones', i, 'name'], `duplicate zone "${z.name}"`);
    names.add(z.name.toLowerCase());
    if (z.fee === undefined && d.fee === undefined) report(['delivery', 'zones', i, 'fee'], `zone "${z.name}" has no fee, and delivery has no "fee" for it to use`);
  });
  if (!isCurrency(currency)) return;
  const amounts: [(string | number)[], string | number | undefined][] = [
    [['delivery', 'fee'], d.fee], [['delivery', 'minimumOrder'], d.minimumOrder], [['delivery', 'freeFrom'], d.freeFrom],
    ...(d.zones ?? []).map((z, i): [(string | number)[], string | number | undefined] => [['delivery', 'zones', i, 'fee'], z.fee]),
  ];
  for (const [path, value] of amounts) {
    if (value === undefined) continue;
    try {
      parseMinorUnits(value, currency);
    } catch (err) {
      if (!isVitrineError(err)) throw err;
      report(path, `bad amount: ${err.message}`);
    }
  }
}

/**
 * The settings of a checked `fulfilment:` spec, amounts in minor units.
 *
 * @example
 * ```ts
 * fulfilmentSettings({ delivery: { fee: '5.00' }, ask: { name: true, phone: true, note: true } }, 'BRL').delivery?.feeMinor; // 500
 * ```
 */
export function fulfilmentSettings(spec: FulfilmentSpec, currency: string): FulfilmentSettings {
  const minor = (value: string | number | undefined) => (value === undefined ? undefined : parseMinorUnits(value, currency));
  const d = spec.delivery;
  const feeMinor = minor(d?.fee) ?? 0;
  return {
    currency,
    ...(spec.pickup ? { pickup: spec.pickup } : {}),
    ...(d ? {
      delivery: {
        feeMinor,
        zones: (d.zones ?? []).map((z) => ({ name: z.name, feeMinor: minor(z.fee) ?? feeMinor })),
        ...(d.minimumOrder === undefined ? {} : { minimumOrderMinor: minor(d.minimumOrder) }),
        ...(d.freeFrom === undefined ? {} : { freeFromMinor: minor(d.freeFrom) }),
      },
    } : {}),
    ...(spec.dineIn ? { dineIn: spec.dineIn } : {}),
    ask: spec.ask,
  };
}

/**
 * A business's stored `fulfilment` column (its setting as JSON) read back
 * with its currency; `undefined` when it has none (`{}`) or it is unreadable.
 *
 * @example
 * ```ts
 * const settings = readFulfilment(row.fulfilment, row.currency);
 * ```
 */
export function readFulfilment(json: string, currency: string): FulfilmentSettings | undefined {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null || Object.keys(value).length === 0) return undefined;
    const parsed = fulfilmentSpecSchema.safeParse(value);
    return parsed.success ? fulfilmentSettings(parsed.data, currency) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The ways to receive a business offers, in the order they are offered.
 *
 * @example
 * ```ts
 * offeredMethods(settings); // ['pickup', 'delivery']
 * ```
 */
export function offeredMethods(settings: FulfilmentSettings): FulfilmentMethod[] {
  return FULFILMENT_METHODS.filter((m) => (m === 'pickup' ? settings.pickup : m === 'delivery' ? settings.delivery : settings.dineIn) !== undefined);
}

/**
 * The fee an order pays to be received this way: the zone's fee (or the flat
 * fee) for delivery, nothing from `freeFrom` on, nothing for pickup and
 * dine-in. `undefined` for a zone the business does not have.
 *
 * @example
 * ```ts
 * fulfilmentFee(settings, { method: 'delivery', zone: 'Centro' }, 3000); // 400
 * ```
 */
export function fulfilmentFee(settings: FulfilmentSettings, choice: { method: FulfilmentMethod; zone?: string | null }, subtotalMinor: number): number | undefined {
  const d = settings.delivery;
  if (choice.method !== 'delivery' || !d) return 0;
  let fee = d.feeMinor;
  if (d.zones.length > 0) {
    const zone = d.zones.find((z) => z.name === choice.zone);
    if (!zone) return undefined;
    fee = zone.feeMinor;
  }
  return d.freeFromMinor !== undefined && subtotalMinor >= d.freeFromMinor ? 0 : fee;
}

/**
 * What a subtotal lacks to reach the minimum order for delivery (0 when it
 * reaches it, or the method is not delivery).
 *
 * @example
 * ```ts
 * shortOfMinimum(settings, 'delivery', 2000); // 1000 with minimumOrder "30.00"
 * ```
 */
export function shortOfMinimum(settings: FulfilmentSettings, method: FulfilmentMethod, subtotalMinor: number): number {
  const minimum = method === 'delivery' ? settings.delivery?.minimumOrderMinor : undefined;
  return minimum === undefined ? 0 : Math.max(0, minimum - subtotalMinor);
}

/** What the customer chose at checkout, as the order service takes it. Prices are never part of it. */
export interface FulfilmentChoice {
  method: FulfilmentMethod;
  zone?: string;
  /** The delivery address as typed. */
  address?: string;
  /** The pin of a shared location. */
  location?: { latitude: number; longitude: number };
  table?: string;
  note?: string;
  /** Who ordered, as they gave it. */
  name?: string;
  phone?: string;
}

/** How an order reaches its customer, as stored with it (`feeMinor` is part of its total). */
export interface OrderFulfilment {
  method: FulfilmentMethod;
  zone: string | null;
  address: string | null;
  location: { latitude: number; longitude: number } | null;
  table: string | null;
  note: string | null;
  feeMinor: number;
}
