import { systemClock, type Clock, type OrderForPayment, type PaymentProvider } from '../../../engine/index.ts';
import { sandboxEvent, type SandboxOutcome } from './sandbox-event.ts';
import { SANDBOX_SIGNATURE_HEADER, signSandboxBody } from './sandbox-signature.ts';
import { sandboxWebhook } from './sandbox-webhook.ts';

/** Options of {@link createSandboxPaymentProvider}. */
export interface SandboxProviderOptions {
  /** Where customers reach the server (`PUBLIC_URL`): the test payment pages live under it. */
  publicUrl: string;
  /** Signs and verifies the sandbox's webhook deliveries (HMAC-SHA256). */
  secret: string;
  clock?: Clock;
}

/** A sandbox webhook delivery ready to send: the exact body and its headers. */
export interface SandboxDelivery {
  body: string;
  headers: Record<string, string>;
}

/** The sandbox provider: a {@link PaymentProvider} that also writes the deliveries its page sends. */
export interface SandboxPaymentProvider extends PaymentProvider {
  readonly id: 'sandbox';
  /** The signed webhook delivery for pressing Pay (`paid`) or Fail (`failed`) on payment `ref`'s page. */
  delivery(order: OrderForPayment, ref: string, outcome: SandboxOutcome): SandboxDelivery;
}

/**
 * The sandbox's reference of an order's payment: derived from the order id
 * and version, so a retried start after a crash gives the same page, and a
 * new link for the order (a new version) a new one.
 *
 * @example
 * ```ts
 * sandboxRef({ id: 'ord_1', version: 2 }); // 'sbx_ord_1_v2'
 * ```
 */
export const sandboxRef = (order: Pick<OrderForPayment, 'id' | 'version'>): string => `sbx_${order.id}_v${order.version}`;

/**
 * The path of a sandbox payment's page.
 *
 * @example
 * ```ts
 * sandboxPagePath('sbx_ord_1_v2'); // '/sandbox/pay/sbx_ord_1_v2'
 * ```
 */
export const sandboxPagePath = (ref: string): string => `/sandbox/pay/${encodeURIComponent(ref)}`;

/**
 * Test payments where no money moves: each order version gets a page on this
 * server (`<publicUrl>/sandbox/pay/<ref>`) with "Pay (test)" and
 * "Fail (test)"; pressing one sends a signed webhook event, which arrives
 * through the same route, journal and order machine as a real provider's.
 * Its payment links are marked `test`, so the chat labels them "(test)".
 *
 * @example
 * ```ts
 * const sandbox = createSandboxPaymentProvider({ publicUrl: 'http://localhost:3000', secret: randomBytes(32).toString('hex') });
 * const start = await sandbox.createPayment(order); // { kind: 'redirect', url: 'http://localhost:3000/sandbox/pay/sbx_…', test: true, … }
 * ```
 */
export function createSandboxPaymentProvider(options: SandboxProviderOptions): SandboxPaymentProvider {
  const clock = options.clock ?? systemClock;
  const base = options.publicUrl.replace(/\/+$/, '');
  return {
    id: 'sandbox',
    test: true,
    webhook: sandboxWebhook(options.secret, clock),
    async createPayment(order) {
      const providerRef = sandboxRef(order);
      return { kind: 'redirect', providerRef, url: `${base}${sandboxPagePath(providerRef)}`, test: true };
    },
    async cancelPayment() {
      // The page refuses any order no longer awaiting payment: nothing to close.
    },
    async refund(providerRef) {
      return { refundRef: `sbx_refund_${providerRef}` };
    },
    delivery(order, ref, outcome) {
      const body = JSON.stringify(sandboxEvent(order, ref, outcome, clock.now()));
      return { body, headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: signSandboxBody(options.secret, body, clock.now()) } };
    },
  };
}
