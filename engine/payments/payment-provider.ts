import type { PaymentProviderDescriptor } from './payment-provider-descriptor.ts';
import type { PaymentWebhook } from './payment-webhook.ts';
import type { OfferedPaymentMethods } from './payment-methods.ts';

/** An order as a payment provider sees it: amounts only from the database. */
export interface OrderForPayment {
  id: string;
  number: string;
  version: number;
  businessId: string;
  businessName: string;
  /** The business's country (ISO 3166, `BR`), or `''` when its file names none. */
  country: string;
  conversationId: string;
  currency: string;
  totalMinor: number;
  locale: string;
  items: { sku: string; name: string; unitPriceMinor: number; quantity: number }[];
  /** The delivery fee included in `totalMinor` (0 or absent: none); a page lists it as a line of its own. */
  feeMinor?: number;
  /** The fee's line as the customer reads it ("Delivery: Centro"), in the order's locale. */
  feeLabel?: string;
  /** The methods the bot offers for this business's country (`payments.methods`), in order; absent: the provider's default. */
  paymentMethods?: string[];
  /** The methods the bot shows in the chat itself (`payments.inChat`) that apply to this order: the provider gives a code for them instead of a page. */
  inChat?: string[];
}

/**
 * A payment the customer makes with a code shown in the chat (Pix "copia e
 * cola"): the code to copy, and a picture of it to scan when the provider gives one.
 */
export interface PaymentCode {
  /** The method (`pix`). */
  method: string;
  /** What the customer copies into their bank's app. */
  value: string;
  /** The code as a QR image (an https address). */
  imageUrl?: string;
}

/**
 * How the customer pays.
 * - `redirect`: send them to a hosted payment page (`url`). `test` marks a
 *   test payment where no money moves: the chat labels its link "(test)".
 *   `code`: the payment can also be made with a code shown in the chat
 *   (the page then shows the same code, with its QR), valid until `expiresAt`.
 * - `deferred`: nothing to pay online now (cash on delivery, or payment recorded for later);
 *   `cash`: the customer pays in cash when they receive the order, and is told so.
 */
export type PaymentStart =
  | { kind: 'redirect'; providerRef: string; url: string; expiresAt?: Date; test?: boolean; code?: PaymentCode }
  | { kind: 'deferred'; providerRef: string; cash?: boolean };

/**
 * A way to take payment. Card data never passes through Vitrine: providers
 * hand out hosted pages and report results through signed webhooks. The
 * engine calls `createPayment` after a checkout commits, `cancelPayment`
 * when an unpaid order is cancelled, `refund` when the shop refunds a paid
 * order, and applies what `webhook` reads from each verified delivery. A
 * provider is built by its descriptor (`PaymentProviderDescriptor`).
 *
 * @example
 * ```ts
 * const cash: PaymentProvider = {
 *   id: 'cash',
 *   async createPayment(order) { return { kind: 'deferred', providerRef: `cash_${order.number}` }; },
 * };
 * ```
 */
export interface PaymentProvider {
  /** Stable id, stored on orders and payments (e.g. `cash`, `record`). */
  readonly id: string;
  /** Starts a payment for an order. Retried calls for the same order version must not charge twice. */
  createPayment(order: OrderForPayment): Promise<PaymentStart>;
  /** Stops a started payment (e.g. expires a checkout page) when the order is cancelled. */
  cancelPayment?(providerRef: string): Promise<void>;
  /** Refunds a paid order in full. */
  refund?(providerRef: string, order: OrderForPayment): Promise<{ refundRef: string }>;
  /** How its results arrive; none for providers that report nothing (the shop marks the order). */
  readonly webhook?: PaymentWebhook;
  /**
   * The ways to pay it offers and the currencies each takes, when a bot may
   * choose among them per country (`payments.methods`); it then receives the
   * chosen list as the order's `paymentMethods`.
   */
  readonly methods?: OfferedPaymentMethods;
  /** The methods whose payment it can give as a code for the chat itself (`payments.inChat`), e.g. `pix`. */
  readonly inChat?: readonly string[];
  /**
   * True when the shop confirms this provider's payments itself (cash
   * received at the door, a transfer, paid elsewhere): the shop may then mark
   * its orders `paid`. Leave it out for a provider whose signed webhook
   * confirms payments: its orders become paid only by that webhook, never by hand.
   */
  readonly paidByShop?: boolean;
  /**
   * True for a provider where no money moves (test payments): `npm start`
   * says at start which bots use one, and its links say "(test)".
   */
  readonly test?: boolean;
}

/**
 * A provider that only records the order as awaiting payment: the default
 * when no payment provider is configured. The shop settles the order itself
 * and marks it paid (`paidByShop`).
 *
 * @example
 * ```ts
 * const engine = await createEngine({ ..., payments: { record: recordOnlyPaymentProvider } });
 * ```
 */
export const recordOnlyPaymentProvider: PaymentProvider = {
  id: 'record',
  paidByShop: true,
  async createPayment(order) {
    return { kind: 'deferred', providerRef: `record_${order.id}_v${order.version}` };
  },
};

/**
 * The descriptor of {@link recordOnlyPaymentProvider}: it reads no
 * environment and is always on (the engine adds it even when no list names it).
 *
 * @example
 * ```ts
 * const payments = createPaymentProviders([recordPayments, cashPayments], process.env, { publicUrl, logger });
 * ```
 */
export const recordPayments: PaymentProviderDescriptor = {
  id: 'record',
  env: {},
  create: () => recordOnlyPaymentProvider,
};
