import type { PaymentProvider } from './payment-provider.ts';

/**
 * Pay on delivery: nothing is charged online. The order waits in
 * `awaiting_payment` until the shop marks it (for example with
 * `npm run orders -- mark <number> fulfilled` once paid at the door).
 *
 * @example
 * ```ts
 * const runtime = await createRuntime({ payments: [cashPaymentProvider] });
 * // bot.yaml: payments: { provider: cash }
 * ```
 */
export const cashPaymentProvider: PaymentProvider = {
  id: 'cash',
  async createPayment(order) {
    return { kind: 'deferred', providerRef: `cash_${order.id}_v${order.version}` };
  },
  async cancelPayment() {
    // Nothing was started online.
  },
  async refund(providerRef) {
    return { refundRef: `cash_refund_${providerRef}` };
  },
};
