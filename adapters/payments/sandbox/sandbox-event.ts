import type { OrderForPayment, PaymentUpdate } from '../../../engine/index.ts';

/** What the customer pressed on the sandbox page. */
export type SandboxOutcome = 'paid' | 'failed';

/**
 * A sandbox webhook event, as the sandbox sends it: the shape of a payment
 * provider's event (an id to deduplicate on, a type, the payment it is about
 * and the amount taken).
 */
export interface SandboxEvent {
  id: string;
  type: 'payment.succeeded' | 'payment.failed';
  /** Unix seconds. */
  created: number;
  livemode: false;
  data: { ref: string; orderId: string; amount: { minor: number; currency: string } };
}

/**
 * The event for pressing Pay or Fail on the page of payment `ref`. Its id is
 * derived from the payment and the outcome, so pressing the same button twice
 * sends one event twice, which the journal keeps once.
 *
 * @example
 * ```ts
 * sandboxEvent(order, 'sbx_ord1_v1', 'paid', new Date()); // { id: 'sbxevt_sbx_ord1_v1_paid', type: 'payment.succeeded', … }
 * ```
 */
export function sandboxEvent(order: OrderForPayment, ref: string, outcome: SandboxOutcome, at: Date): SandboxEvent {
  return {
    id: `sbxevt_${ref}_${outcome}`,
    type: outcome === 'paid' ? 'payment.succeeded' : 'payment.failed',
    created: Math.floor(at.getTime() / 1000),
    livemode: false,
    data: { ref, orderId: order.id, amount: { minor: order.totalMinor, currency: order.currency } },
  };
}

/**
 * What a sandbox event means for a payment: `payment.succeeded` is `paid`
 * with its amount, `payment.failed` is `failed`, anything else `ignored`.
 *
 * @example
 * ```ts
 * readSandboxEvent(event); // { eventId: 'sbxevt_…', type: 'payment.succeeded', providerRef: 'sbx_…', outcome: 'paid', amount: { minor: 1250, currency: 'GBP' } }
 * ```
 */
export function readSandboxEvent(event: SandboxEvent): PaymentUpdate {
  const base = { eventId: event.id, type: event.type, providerRef: event.data.ref };
  if (event.type === 'payment.succeeded') return { ...base, outcome: 'paid', amount: event.data.amount };
  if (event.type === 'payment.failed') return { ...base, outcome: 'failed' };
  return { ...base, outcome: 'ignored' };
}
