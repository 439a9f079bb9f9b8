import { z } from 'zod';
import { defineStep, fulfilmentFee, offeredMethods, shortOfMinimum, type FulfilmentMethod, type StepContext, type StepResult } from '../../engine/index.ts';
import { belowMinimum, chosen, fulfilmentAt, option, passOn, saveDraft, type FulfilmentState } from './fulfilment-draft.ts';

type Ctx = StepContext<Record<string, never>>;

/** The option id of each method (`choose:dineIn`). */
const CHOICE: Record<FulfilmentMethod, string> = { pickup: 'pickup', delivery: 'delivery', 'dine-in': 'dineIn' };

/** The fee of a zone (or the flat fee), as the customer reads it: "free" or the amount. */
const feeText = (ctx: Ctx, at: FulfilmentState, feeMinor: number) => (feeMinor === 0 ? ctx.t('fulfilment.free') : ctx.money(feeMinor, at.business.currency));

async function subtotalOf(ctx: Ctx, businessId: string): Promise<number> {
  return (await ctx.services.cart.get(ctx.data.conversationId, businessId)).totalMinor;
}

/** The delivery fee this cart would pay (to `zone`), as the customer reads it: "free" from the business's `freeFrom` on. */
const deliveryFeeText = (ctx: Ctx, at: FulfilmentState, subtotal: number, zone?: string) =>
  feeText(ctx, at, fulfilmentFee(at.settings, { method: 'delivery', zone: zone ?? null }, subtotal) ?? 0);

async function askMethod(ctx: Ctx, at: FulfilmentState): Promise<StepResult> {
  const { settings } = at;
  const subtotal = await subtotalOf(ctx, at.business.id);
  const short = shortOfMinimum(settings, 'delivery', subtotal) > 0;
  const options = offeredMethods(settings).map((m) => {
    if (m !== 'delivery' || !settings.delivery) return option(CHOICE[m], ctx.t(`fulfilment.method.${CHOICE[m]}`));
    // A cart below the minimum hears it before choosing delivery, not after.
    const note = short ? ctx.t('fulfilment.minimumNote', { amount: ctx.money(settings.delivery.minimumOrderMinor ?? 0, at.business.currency) })
      : settings.delivery.zones.length === 0 ? deliveryFeeText(ctx, at, subtotal) : undefined;
    return option(CHOICE[m], ctx.t('fulfilment.method.delivery'), note);
  });
  return { scratch: { asking: 'method' }, replies: [{ kind: 'choice', text: ctx.t('fulfilment.askMethod'), options }] };
}

async function askZone(ctx: Ctx, at: FulfilmentState): Promise<StepResult> {
  const zones = at.settings.delivery?.zones ?? [];
  const subtotal = await subtotalOf(ctx, at.business.id);
  const options = zones.map((z, i) => option(`zone${i}`, z.name, deliveryFeeText(ctx, at, subtotal, z.name)));
  return { scratch: { asking: 'zone' }, replies: [{ kind: 'choice', text: ctx.t('fulfilment.askZone'), options }] };
}

/** Delivery chosen (zone too, when it has zones): below the minimum, say so and offer more items or pickup. */
async function afterDelivery(ctx: Ctx, at: FulfilmentState, zone: string | undefined): Promise<StepResult> {
  const subtotal = await subtotalOf(ctx, at.business.id);
  const short = shortOfMinimum(at.settings, 'delivery', subtotal);
  if (short === 0) return saveDraft(at.draft, { method: 'delivery', zone }, 'done');
  const options = [option('shopMore', ctx.t('fulfilment.addMore')), ...(at.settings.pickup ? [option('pickup', ctx.t('fulfilment.pickupInstead'))] : [])];
  return { scratch: { asking: 'minimum' }, replies: [{ kind: 'choice', text: belowMinimum(ctx, at, subtotal, short), options }] };
}

async function chooseMethod(ctx: Ctx, at: FulfilmentState, method: FulfilmentMethod): Promise<StepResult> {
  if (method !== 'delivery') return saveDraft(at.draft, { method, zone: undefined, address: undefined, location: undefined }, 'done');
  if ((at.settings.delivery?.zones.length ?? 0) > 0) return askZone(ctx, at);
  return afterDelivery(ctx, at, undefined);
}

/**
 * Asks how the customer receives the order, among what the business's
 * `fulfilment:` offers (pickup, delivery, dine-in; no question when it offers
 * one), then the delivery zone when it has zones, each with its fee. Below
 * the minimum order for delivery it says by how much and offers to add more
 * (outcome `shopMore`) or pick it up. A business without `fulfilment:`
 * passes on at once (outcome `done`).
 *
 * @example
 * ```yaml
 * receive: { step: chooseFulfilment, on: { done: address, shopMore: browse } }
 * ```
 */
export const chooseFulfilment = defineStep({
  name: 'chooseFulfilment',
  description: 'Asks pickup, delivery (and its zone) or dine-in; outcomes done, shopMore',
  params: z.object({}).strict(),
  outcomes: ['done', 'shopMore'],
  textKeys: () => ['fulfilment.askMethod', 'fulfilment.method.pickup', 'fulfilment.method.delivery', 'fulfilment.method.dineIn', 'fulfilment.askZone', 'fulfilment.free', 'fulfilment.minimumNote',
    'fulfilment.belowMinimum', 'fulfilment.addMore', 'fulfilment.pickupInstead'],
  async enter(ctx) {
    const at = await fulfilmentAt(ctx);
    if (!at) return passOn('done');
    const methods = offeredMethods(at.settings);
    return methods.length === 1 ? chooseMethod(ctx, at, methods[0]!) : askMethod(ctx, at);
  },
  async handle(ctx, input) {
    const at = await fulfilmentAt(ctx);
    if (!at) return { outcome: 'done' };
    const choice = chosen(input);
    if (choice === 'shopMore') return { outcome: 'shopMore' };
    const method = (Object.keys(CHOICE) as FulfilmentMethod[]).find((m) => CHOICE[m] === choice);
    if (method && offeredMethods(at.settings).includes(method)) return chooseMethod(ctx, at, method);
    const zone = at.settings.delivery?.zones[Number(/^zone(\d+)$/.exec(choice ?? '')?.[1] ?? -1)];
    if (zone && fulfilmentFee(at.settings, { method: 'delivery', zone: zone.name }, 0) !== undefined) return afterDelivery(ctx, at, zone.name);
    return {};
  },
});
