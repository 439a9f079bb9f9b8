import { expect } from 'vitest';
import type { GraphCall } from '../../adapters/kit/testing/index.ts';

/** Outbox rows of one purchase: search 3, shop 2, category 1, product 2, add 2, cart 2, order 1, payment 1. */
export const REPLIES_PER_PURCHASE = 14;

/** Rows the crash workloads read back from the database. */
export interface OutboxRow { id: number; customerId: string; status: string; message: string; inboundEventId: number | null }
export interface InboundRow { id: number; messageId: string; status: string }
export interface OrderRow { id: string; number: string; externalId: string; totalMinor: number }
export interface LineRow { orderId: string; sku: string; quantity: number; unitPriceMinor: number; lineTotalMinor: number; priceMinor: number }

/**
 * Decides which deliveries a crash workload sends twice: every tenth,
 * alternately both at once and again after its 200.
 *
 * @example
 * ```ts
 * const twice = duplicateEveryTenth();
 * const mode = twice(); // undefined, 'concurrent' or 'after'
 * ```
 */
export function duplicateEveryTenth(): () => 'concurrent' | 'after' | undefined {
  let deliveries = 0;
  return () => {
    deliveries += 1;
    if (deliveries % 10 !== 0) return undefined;
    return deliveries % 20 === 0 ? 'concurrent' : 'after';
  };
}

/**
 * A reply as stored in the outbox, with its order number and test payment page blanked (instances on other ports have other public URLs): the same purchase gives the same replies.
 *
 * @example
 * ```ts
 * normalized('Order VT-7K3F9Q is placed'); // 'Order VT-# is placed'
 * normalized('http://localhost:3001/sandbox/pay/sbx_cmx1_v0'); // '<public url>/sandbox/pay/sbx_#'
 * ```
 */
export const normalized = (message: string): string => message.replace(/VT-[A-Z0-9]+/g, 'VT-#').replace(/https?:\/\/[^\s"/]+\/sandbox\/pay\/sbx_[A-Za-z0-9]+_v\d+/g, '<public url>/sandbox/pay/sbx_#');

/** How {@link unexplainedCalls} tells an explained repeat from a fault. */
export interface RepeatExplanations {
  /**
   * A message received again right after the same one: true when a kill -9 explains it (the
   * process died after the Graph API took it and before marking it sent, so it was sent again).
   */
  resentAfterKill(first: GraphCall, repeat: GraphCall): boolean;
  /**
   * A message received again later, out of order: true when it is a send a killed process had
   * written before it died, which reached the Graph API only after another process had sent
   * the reply (the dead process's kernel keeps delivering what it wrote).
   */
  arrivedLateFromKilled?(first: GraphCall, late: GraphCall): boolean;
  /** Who sent a call, for the problem text (default "the server"). */
  sender?(call: GraphCall): string;
}

/**
 * Checks one customer's messages at the Graph API against their outbox rows, in order, and
 * says what does not fit. A message received twice is allowed only when `explain` says a
 * kill -9 explains it; its callbacks keep count of the kills they have used, for this customer.
 *
 * @example
 * ```ts
 * const problems = unexplainedCalls(graph.accepted(customer), expected, { resentAfterKill: (first, repeat) => killBetween(first, repeat) });
 * ```
 */
export function unexplainedCalls(calls: readonly GraphCall[], expected: readonly string[], explain: RepeatExplanations): string[] {
  const sender = explain.sender ?? (() => 'the server');
  const problems: string[] = [];
  let j = 0;
  let previous: GraphCall | undefined;
  for (const call of calls) {
    if (j < expected.length && call.key === expected[j]) {
      j += 1;
      previous = call;
      continue;
    }
    if (previous && call.key === previous.key && explain.resentAfterKill(previous, call)) continue;
    const earlier = calls.find((c) => c.key === call.key && c.seq < call.seq);
    if (earlier && explain.arrivedLateFromKilled?.(earlier, call)) continue;
    const repeat = earlier
      ? `, a repeat of #${earlier.seq} sent by ${sender(earlier)}, ${call.receivedAt - earlier.receivedAt} ms later, by ${sender(call)}` : '';
    problems.push(`unexpected #${call.seq} "${call.key.slice(0, 60)}" (expected "${(expected[j] ?? '(nothing)').slice(0, 60)}"${repeat})`);
  }
  if (j < expected.length) problems.push(`missing "${expected[j]?.slice(0, 60)}" and ${expected.length - j - 1} more`);
  return problems;
}

/**
 * Checks each order of a bread purchase (2 × Pão francês): one line at the database price,
 * a total that is the sum of its lines, and the customer told it is placed with that total.
 *
 * @example
 * ```ts
 * expectBreadOrders(orders, lines, (customer) => graph.accepted(customer));
 * ```
 */
export function expectBreadOrders(orders: readonly OrderRow[], lines: readonly LineRow[], received: (customer: string) => readonly GraphCall[]): void {
  for (const order of orders) {
    const mine = lines.filter((l) => l.orderId === order.id);
    expect(mine.map((l) => [l.sku, l.quantity, l.unitPriceMinor, l.lineTotalMinor]), order.number)
      .toEqual(mine.map((l) => ['PAO-FRANCES', 2, l.priceMinor, l.priceMinor * 2]));
    expect(mine, order.number).toHaveLength(1);
    expect(order.totalMinor, order.number).toBe(mine.reduce((sum, l) => sum + l.priceMinor * l.quantity, 0));
    const confirmation = received(order.externalId).find((c) => (c.message.text?.body ?? '').includes('is placed'));
    expect(confirmation?.message.text?.body).toContain(`Order ${order.number} is placed: R$1.80`);
  }
}
