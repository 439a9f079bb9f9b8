import { encodeOptionId, tappedOption, type BusinessSummary, type ChoiceOption, type FulfilmentDraft, type FulfilmentSettings, type StepContext, type StepInput, type StepResult } from '../../engine/index.ts';

/** Where the fulfilment steps are: the business, its settings, and what the customer chose so far there. */
export interface FulfilmentState {
  business: BusinessSummary;
  settings: FulfilmentSettings;
  draft: FulfilmentDraft;
}

/**
 * The current business's fulfilment settings and the customer's draft there;
 * `undefined` when no business is chosen or it has no `fulfilment:` (the
 * steps then pass on without a word).
 *
 * @example
 * ```ts
 * const at = await fulfilmentAt(ctx);
 * if (!at) return passOn('done');
 * ```
 */
export async function fulfilmentAt(ctx: StepContext<unknown>): Promise<FulfilmentState | undefined> {
  const { businessId } = ctx.data;
  if (!businessId) return undefined;
  const business = await ctx.services.directory.get(businessId);
  if (!business?.fulfilment) return undefined;
  const saved = ctx.data.fulfilment;
  return { business, settings: business.fulfilment, draft: saved?.businessId === businessId ? saved : { businessId } };
}

/**
 * A step's result when its question does not apply: go on at once, and let
 * "back" from the next state skip this one.
 *
 * @example
 * ```ts
 * if (draft.method !== 'delivery') return passOn('done');
 * ```
 */
export const passOn = (outcome: string): StepResult => ({ outcome, skipped: true });

/**
 * The result that stores a change of the draft and moves on.
 *
 * @example
 * ```ts
 * return saveDraft(draft, { table: '12' }, 'done');
 * ```
 */
export function saveDraft(draft: FulfilmentDraft, change: Partial<FulfilmentDraft>, outcome?: string, replies: StepResult['replies'] = []): StepResult {
  return { set: { fulfilment: { ...draft, ...change } }, replies, ...(outcome ? { outcome } : {}) };
}

/**
 * An option of these steps: its id is `choose:<choice>`.
 *
 * @example
 * ```ts
 * option('confirm', ctx.t('fulfilment.confirm'));
 * ```
 */
export const option = (choice: string, label: string, description?: string): ChoiceOption => ({
  id: encodeOptionId({ kind: 'choose', choice }), label, ...(description ? { description } : {}),
});

/**
 * The `choose:<choice>` an input tapped (or typed as an offered label or number).
 *
 * @example
 * ```ts
 * if (chosen(input) === 'confirm') return { outcome: 'confirm' };
 * ```
 */
export function chosen(input: StepInput): string | undefined {
  const tapped = tappedOption(input);
  return tapped?.kind === 'choose' ? tapped.choice : undefined;
}

/**
 * The text a customer typed, trimmed; `undefined` for anything else or text too long.
 *
 * @example
 * ```ts
 * const address = typed(input, 300);
 * ```
 */
export function typed(input: StepInput, maxLength: number): string | undefined {
  if (input.kind !== 'text') return undefined;
  const text = input.text.trim();
  return text.length > 0 && text.length <= maxLength ? text : undefined;
}

/**
 * What the customer reads when their cart is below the delivery minimum:
 * the minimum, what the cart comes to and what is missing.
 *
 * @example
 * ```ts
 * belowMinimum(ctx, at, 550, 450); // 'Delivery needs an order of at least £10.00; your cart comes to £5.50. Add £4.50 more…'
 * ```
 */
export function belowMinimum(ctx: StepContext<unknown>, at: FulfilmentState, subtotalMinor: number, shortMinor: number): string {
  const money = (minor: number) => ctx.money(minor, at.business.currency);
  return ctx.t('fulfilment.belowMinimum', { minimum: money(at.settings.delivery?.minimumOrderMinor ?? 0), subtotal: money(subtotalMinor), short: money(shortMinor) });
}
