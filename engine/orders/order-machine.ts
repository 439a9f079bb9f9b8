import { setup, transition } from 'xstate';
import { VitrineError } from '../errors.ts';

/**
 * Every status an order can be in (the `Order.status` column): the one list
 * the business API, the order-status texts (`orderStatus.<status>`) and the
 * order service read.
 */
export const ORDER_STATUSES = ['awaiting_payment', 'paid', 'fulfilled', 'shipped', 'expired', 'cancelled', 'refunded', 'review'] as const;

/** A status from {@link ORDER_STATUSES}. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * What can happen to an order (the `OrderEvent.type` column).
 * - `paid`: the provider confirmed the full amount.
 * - `amount_mismatch`: the provider reported a different amount or currency; a person must look.
 * - `expired` / `payment_failed`: the payment page expired or the payment failed; a new link may follow.
 * - `retry`: a new payment link was issued for an expired order.
 * - `received`: the shop received the payment itself (cash at the door, a
 *   transfer, paid elsewhere); only for providers that let the shop confirm
 *   payments (`PaymentProvider.paidByShop`).
 * - `cancelled`: the customer or the shop cancelled before payment.
 * - `approved`: the shop accepted an order under review as paid.
 * - `fulfilled` / `shipped` / `refunded`: the shop's steps after payment.
 * - `extra_payment`: money arrived for an order that was not awaiting it (a
 *   replaced payment page paid as well, a cancelled order paid): the payment is
 *   recorded as succeeded and flagged for the shop, which refunds it. Not a
 *   transition: the order keeps its status (see `flagExtraPayment`).
 */
export const ORDER_EVENT_TYPES = [
  'paid', 'amount_mismatch', 'expired', 'payment_failed', 'retry', 'received', 'cancelled', 'approved', 'fulfilled', 'shipped', 'refunded', 'extra_payment',
] as const;

/** An event type from {@link ORDER_EVENT_TYPES}. */
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];

/**
 * The order life cycle as an XState machine. It is pure: no actions, no
 * actors, no I/O. The order service computes transitions with it and stores
 * the result.
 *
 * | from             | event           | to               |
 * |------------------|-----------------|------------------|
 * | awaiting_payment | paid            | paid             |
 * | awaiting_payment | amount_mismatch | review           |
 * | awaiting_payment | expired         | expired          |
 * | awaiting_payment | payment_failed  | expired          |
 * | awaiting_payment | received        | paid             |
 * | awaiting_payment | cancelled       | cancelled        |
 * | expired          | retry           | awaiting_payment |
 * | expired          | cancelled       | cancelled        |
 * | review           | approved        | paid             |
 * | review           | refunded        | refunded         |
 * | paid             | fulfilled       | fulfilled        |
 * | paid             | refunded        | refunded         |
 * | fulfilled        | shipped         | shipped          |
 * | fulfilled        | refunded        | refunded         |
 * | shipped          | refunded        | refunded         |
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * const actor = createActor(orderMachine).start();
 * actor.send({ type: 'paid' });
 * actor.getSnapshot().value; // 'paid'
 * ```
 */
export const orderMachine = setup({
  types: {} as { events: { type: OrderEventType } },
}).createMachine({
  id: 'order',
  initial: 'awaiting_payment',
  states: {
    awaiting_payment: {
      on: { paid: 'paid', amount_mismatch: 'review', expired: 'expired', payment_failed: 'expired', received: 'paid', cancelled: 'cancelled' },
    },
    expired: { on: { retry: 'awaiting_payment', cancelled: 'cancelled' } },
    review: { on: { approved: 'paid', refunded: 'refunded' } },
    paid: { on: { fulfilled: 'fulfilled', refunded: 'refunded' } },
    fulfilled: { on: { shipped: 'shipped', refunded: 'refunded' } },
    shipped: { on: { refunded: 'refunded' } },
    cancelled: { type: 'final' },
    refunded: { type: 'final' },
  },
});

/**
 * Whether a string is an {@link OrderStatus}.
 *
 * @example
 * ```ts
 * isOrderStatus('paid'); // true
 * ```
 */
export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

/**
 * A status read from the database as an {@link OrderStatus}; a value outside
 * the list means the row was written by something else and throws `VT_ERR_INTERNAL`.
 *
 * @example
 * ```ts
 * const status = orderStatusOf(row.status); // 'paid'
 * ```
 */
export function orderStatusOf(value: string): OrderStatus {
  if (isOrderStatus(value)) return value;
  throw new VitrineError('VT_ERR_INTERNAL', `Order status "${value}" is not one of ${ORDER_STATUSES.join(', ')}`, { context: { status: value } });
}

/**
 * Whether a string is an {@link OrderEventType}.
 *
 * @example
 * ```ts
 * if (isOrderEventType(arg)) await applyOrderEvent(db, orderId, arg);
 * ```
 */
export function isOrderEventType(value: string): value is OrderEventType {
  return (ORDER_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * The status an event leads to from a status, or `undefined` when the event
 * does not apply there (paid twice, expired after paid …).
 *
 * @example
 * ```ts
 * nextOrderStatus('awaiting_payment', 'paid'); // 'paid'
 * nextOrderStatus('paid', 'expired');          // undefined
 * ```
 */
export function nextOrderStatus(from: string, event: OrderEventType): OrderStatus | undefined {
  if (!isOrderStatus(from)) return undefined;
  const current = orderMachine.resolveState({ value: from, context: {} });
  if (!current.can({ type: event })) return undefined;
  const [next] = transition(orderMachine, current, { type: event });
  const value = next.value;
  return typeof value === 'string' && isOrderStatus(value) ? value : undefined;
}

/**
 * The transitions of the machine as rows (for docs and admin screens).
 *
 * @example
 * ```ts
 * orderTransitions().find((t) => t.from === 'paid' && t.event === 'fulfilled'); // { to: 'fulfilled', … }
 * ```
 */
export function orderTransitions(): { from: OrderStatus; event: OrderEventType; to: OrderStatus }[] {
  const rows: { from: OrderStatus; event: OrderEventType; to: OrderStatus }[] = [];
  for (const from of ORDER_STATUSES) {
    for (const event of ORDER_EVENT_TYPES) {
      const to = nextOrderStatus(from, event);
      if (to) rows.push({ from, event, to });
    }
  }
  return rows;
}
