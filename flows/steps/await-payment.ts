import { z } from 'zod';
import { defineStep, type StepContext, type StepResult } from '../../engine/index.ts';

async function status(ctx: StepContext<unknown>): Promise<StepResult> {
  if (!ctx.data.orderId) return { outcome: 'shopAgain' };
  const order = await ctx.services.orders.get(ctx.data.orderId);
  return {
    replies: [{
      kind: 'choice',
      text: ctx.t('payment.waiting', { number: order.number, status: ctx.t(`orderStatus.${order.status}`), total: ctx.money(order.totalMinor, order.currency) }),
      options: [{ id: 'payment:shopAgain', label: ctx.t('payment.shopAgain') }, { id: 'intent:orders', label: ctx.t('nav.orders') }],
    }],
  };
}

/**
 * Waits for the payment of the order just created. Customers can ask for its
 * status or shop again (outcome `shopAgain`).
 *
 * @example
 * ```yaml
 * payment: { step: awaitPayment, on: { shopAgain: findBusiness } }
 * ```
 */
export const awaitPayment = defineStep({
  name: 'awaitPayment',
  description: 'Waits for the payment of the current order; outcome shopAgain',
  params: z.object({}).strict(),
  outcomes: ['shopAgain'],
  textKeys: () => ['payment.waiting', 'payment.shopAgain', 'nav.orders', 'help.awaitPayment'],
  handle(ctx, input) {
    if (input.kind === 'choice' && input.optionId === 'payment:shopAgain') return { outcome: 'shopAgain' };
    return status(ctx);
  },
});
