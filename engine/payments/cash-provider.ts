import type { PaymentProvider } from './payment-provider.ts';
import type { PaymentProviderDescriptor } from './payment-provider-descriptor.ts';

/**
 * Pay on delivery: nothing is charged online. The order waits in
 * `awaiting_payment` (its stock held) until the shop marks it paid once the
 * money is in hand (`npm run orders -- mark <number> paid`, `paidByShop`), or
 * cancelled (its stock given back).
 *
 * @example
 * ```ts
 * const runtime = await createRuntime({ payments: [cashPaymentProvider] });
 * // bot.yaml: payments: { provider: cash }
 * ```
 */
export const cashPaymentProvider: PaymentProvider = {
  id: 'cash',
  paidByShop: true,
  async createPayment(order) {
    return { kind: 'deferred', providerRef: `cash_${order.id}_v${order.version}`, cash: true };
  },
  async cancelPayment() {
    // Nothing was started online.
  },
  async refund(providerRef) {
    return { refundRef: `cash_refund_${providerRef}` };
  },
};

/**
 * The descriptor of {@link cashPaymentProvider}: it reads no environment and is always on.
 *
 * @example
 * ```ts
 * const payments = createPaymentProviders([cashPayments, acmePayments], process.env, { publicUrl, logger });
 * ```
 */
export const cashPayments: PaymentProviderDescriptor = {
  id: 'cash',
  env: {},
  create: () => cashPaymentProvider,
};
