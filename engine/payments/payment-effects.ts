import type { Logger } from 'pino';
import type { DbClient } from '../db/db-client.ts';
import type { SystemInput } from '../flow/step.ts';
import { applyOrderEvent, readOrder, type OrderRecord } from '../orders/order-service.ts';
import { systemClock, type Clock } from '../services.ts';
import type { PaymentProvider, PaymentStart } from './payment-provider.ts';

/**
 * Work that a turn asked for and that needs the network: it runs after the
 * turn committed, outside any transaction (`prepare`), and its result enters
 * the conversation as the system event `prepare` returns, whose database
 * side (`record`) is written in that next turn's transaction.
 */
export interface TurnEffect {
  /** Calls the outside world; never throws (a failure is an event too). */
  prepare(db: DbClient, event: SystemInput): Promise<SystemInput>;
  /** Writes what the result means to the database, in the turn that tells the customer. */
  record?(tx: DbClient, event: SystemInput): Promise<void>;
}

const orderIdOf = (event: SystemInput): string => String(event.data['orderId'] ?? '');

/**
 * The payment effects: `payment.start` calls the order's provider (with an
 * idempotency key from the order id and version, so a retry after a crash
 * finds the same payment) and becomes `payment.ready` (the Payment row is
 * written then) or `payment.unavailable` (the order expires, so a new link
 * can be asked for); `payment.cancel` stops a payment page with its provider.
 * A provider that offers a choice of methods gets the order with the ones
 * `choicesOf` says its bot offers there (`payments.methods`), and those it
 * shows in the chat (`payments.inChat`).
 *
 * @example
 * ```ts
 * const effects = paymentEffects(providers, logger);
 * const next = await effects['payment.start']!.prepare(db, { kind: 'system', event: 'payment.start', data: { orderId } });
 * ```
 */
export function paymentEffects(
  providers: ReadonlyMap<string, PaymentProvider>, logger: Logger, clock: Clock = systemClock,
  choicesOf: (order: OrderRecord) => Pick<OrderRecord, 'paymentMethods' | 'inChat' | 'feeLabel'> = () => ({}),
): Record<string, TurnEffect> {
  return {
    'payment.start': {
      async prepare(db, event) {
        const orderId = orderIdOf(event);
        try {
          const order = await readOrder(db, orderId);
          const provider = providers.get(order.provider);
          if (!provider) throw new Error(`No payment provider "${order.provider}" is configured`);
          const { paymentMethods, inChat, feeLabel } = choicesOf(order);
          const start = await provider.createPayment({
            ...order, ...(feeLabel ? { feeLabel } : {}),
            ...(paymentMethods && provider.methods ? { paymentMethods } : {}),
            ...(inChat && provider.inChat ? { inChat: inChat.filter((m) => provider.inChat?.includes(m)) } : {}),
          });
          return { kind: 'system', event: 'payment.ready', data: { orderId, orderVersion: order.version, provider: provider.id, start } };
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          logger.error({ err, orderId }, 'payment could not be started');
          return { kind: 'system', event: 'payment.unavailable', data: { orderId, error } };
        }
      },
      async record(tx, event) {
        const orderId = orderIdOf(event);
        if (event.event === 'payment.unavailable') {
          await applyOrderEvent(tx, orderId, 'payment_failed', { error: event.data['error'] }, clock);
          return;
        }
        const start = event.data['start'] as PaymentStart;
        const provider = String(event.data['provider']);
        const seen = await tx.payment.findUnique({ where: { provider_providerRef: { provider, providerRef: start.providerRef } } });
        if (seen) return;
        const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { totalMinor: true, currency: true } });
        await tx.payment.create({
          data: {
            orderId, provider, providerRef: start.providerRef, status: 'pending', amountMinor: order.totalMinor, currency: order.currency,
            url: start.kind === 'redirect' ? start.url : null,
          },
        });
      },
    },
    'payment.cancel': {
      async prepare(_db, event) {
        const provider = providers.get(String(event.data['provider']));
        const ref = String(event.data['providerRef']);
        // The page expires by itself anyway; a failure here must not keep anything open.
        await provider?.cancelPayment?.(ref).catch((err: unknown) => logger.warn({ err, providerRef: ref }, 'payment page not expired'));
        return { kind: 'system', event: 'payment.cancelled', data: event.data };
      },
    },
  };
}
