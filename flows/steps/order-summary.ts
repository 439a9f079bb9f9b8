import { z } from 'zod';
import { defineStep, fulfilmentFee, shortOfMinimum, WEEKDAYS, type CartView, type OpeningHours, type StepContext, type StepResult } from '../../engine/index.ts';
import { belowMinimum, chosen, fulfilmentAt, option, passOn, type FulfilmentState } from './fulfilment-draft.ts';

type Ctx = StepContext<Record<string, never>>;

/** The days a shop is open with their times, weekday names in the customer's locale ("Mon 07:00-19:00 · Sat 08:00-12:00"). */
function weekText(hours: OpeningHours, locale: string): string {
  // 7 December 2026 is a Monday.
  const day = (i: number) => new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 11, 7 + i)));
  return WEEKDAYS.flatMap((d, i) => {
    const times = hours[d];
    return times && times.trim() !== 'closed' ? [`${day(i)} ${times}`] : [];
  }).join(' · ');
}

/** How the order reaches the customer, worded for the summary. */
function howText(ctx: Ctx, at: FulfilmentState): string[] {
  const { draft, settings, business } = at;
  if (draft.method === 'pickup') {
    const where = settings.pickup?.address ? ctx.t('fulfilment.summaryPickupAt', { address: settings.pickup.address }) : ctx.t('fulfilment.summaryPickup');
    return [where, ...(business.hours ? [ctx.t('fulfilment.summaryHours', { hours: weekText(business.hours, ctx.data.locale) })] : [])];
  }
  if (draft.method === 'dine-in') return [draft.table ? ctx.t('fulfilment.summaryTable', { table: draft.table }) : ctx.t('fulfilment.summaryDineIn')];
  const address = draft.address ?? (draft.location ? ctx.t('fulfilment.sharedLocation') : '');
  return [draft.zone ? ctx.t('fulfilment.summaryDeliveryZone', { address, zone: draft.zone }) : ctx.t('fulfilment.summaryDelivery', { address })];
}

function summaryText(ctx: Ctx, at: FulfilmentState, cart: CartView, feeMinor: number): string {
  const money = (minor: number) => ctx.money(minor, cart.currency);
  const { draft } = at;
  return [
    ctx.t('fulfilment.summaryTitle', { business: at.business.name }),
    ...cart.lines.map((l) => ctx.t('fulfilment.summaryLine', { quantity: l.quantity, name: l.name, amount: money(l.lineTotalMinor) })),
    ...(draft.method === 'delivery' ? [ctx.t('fulfilment.summarySubtotal', { amount: money(cart.totalMinor) }),
      feeMinor === 0 ? ctx.t('fulfilment.summaryFeeFree') : ctx.t('fulfilment.summaryFee', { amount: money(feeMinor) })] : []),
    ctx.t('fulfilment.summaryTotal', { amount: money(cart.totalMinor + feeMinor) }),
    '',
    ...howText(ctx, at),
    ...(draft.name ? [ctx.t('fulfilment.summaryName', { name: draft.name })] : []),
    ...(draft.phone ? [ctx.t('fulfilment.summaryPhone', { phone: draft.phone })] : []),
    ...(draft.note ? [ctx.t('fulfilment.summaryNote', { note: draft.note })] : []),
  ].join('\n');
}

async function show(ctx: Ctx, at: FulfilmentState): Promise<StepResult> {
  const cart = await ctx.services.cart.get(ctx.data.conversationId, at.business.id);
  if (cart.lines.length === 0) return { outcome: 'cart' };
  const method = at.draft.method;
  if (!method) return { outcome: 'change' };
  // The cart may have changed since delivery was chosen.
  const short = shortOfMinimum(at.settings, method, cart.totalMinor);
  if (short > 0) {
    return { replies: [{ kind: 'choice', text: belowMinimum(ctx, at, cart.totalMinor, short), options: [option('shopMore', ctx.t('fulfilment.addMore')), option('changeFulfilment', ctx.t('fulfilment.changeFulfilment'))] }] };
  }
  const feeMinor = fulfilmentFee(at.settings, { method, zone: at.draft.zone ?? null }, cart.totalMinor);
  if (feeMinor === undefined) return { outcome: 'change' };
  const options = [option('confirm', ctx.t('fulfilment.confirm')), option('editCart', ctx.t('fulfilment.editCart')), option('changeFulfilment', ctx.t('fulfilment.changeFulfilment'))];
  return { replies: [{ kind: 'choice', text: `${summaryText(ctx, at, cart, feeMinor)}\n\n${ctx.t('fulfilment.confirmQuestion')}`, options }] };
}

/**
 * Shows the order before it is placed: items, delivery fee, total, how it
 * reaches the customer (the pickup address with the shop's opening hours),
 * name, phone and note. The customer confirms (outcome `confirm`), changes
 * the items (`cart`) or how they receive it (`change`); below the minimum
 * for delivery they can add more (`shopMore`). Prices and fees come from
 * the database. A business without `fulfilment:` passes on at once
 * (outcome `confirm`).
 *
 * @example
 * ```yaml
 * summary: { step: orderSummary, on: { confirm: checkout, cart: cart, change: receive, shopMore: browse } }
 * ```
 */
export const orderSummary = defineStep({
  name: 'orderSummary',
  description: 'Shows the order summary to confirm or edit; outcomes confirm, cart, change, shopMore',
  params: z.object({}).strict(),
  outcomes: ['confirm', 'cart', 'change', 'shopMore'],
  textKeys: () => ['fulfilment.summaryTitle', 'fulfilment.summaryLine', 'fulfilment.summarySubtotal', 'fulfilment.summaryFee', 'fulfilment.summaryFeeFree',
    'fulfilment.summaryTotal', 'fulfilment.summaryPickup', 'fulfilment.summaryPickupAt', 'fulfilment.summaryHours', 'fulfilment.summaryDelivery',
    'fulfilment.summaryDeliveryZone', 'fulfilment.sharedLocation', 'fulfilment.summaryDineIn', 'fulfilment.summaryTable', 'fulfilment.summaryName',
    'fulfilment.summaryPhone', 'fulfilment.summaryNote', 'fulfilment.confirmQuestion', 'fulfilment.confirm', 'fulfilment.editCart',
    'fulfilment.changeFulfilment', 'fulfilment.belowMinimum', 'fulfilment.addMore'],
  async enter(ctx) {
    const at = await fulfilmentAt(ctx);
    return at ? show(ctx, at) : passOn('confirm');
  },
  handle(_ctx, input) {
    const outcome = ({ confirm: 'confirm', editCart: 'cart', changeFulfilment: 'change', shopMore: 'shopMore' } as Record<string, string>)[chosen(input) ?? ''];
    return outcome ? { outcome } : {};
  },
});
