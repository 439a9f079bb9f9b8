import { z } from 'zod';
import { defineStep, type StepContext, type StepResult } from '../../engine/index.ts';
import { chosen, fulfilmentAt, option, passOn, saveDraft, typed, type FulfilmentState } from './fulfilment-draft.ts';

type Ctx = StepContext<Record<string, never>>;

/** A phone number as typed: 7 to 15 digits, with `+`, spaces, dots, dashes or brackets between. */
function phoneOf(text: string | undefined): string | undefined {
  if (!text || !/^\+?[\d\s().-]+$/.test(text)) return undefined;
  const digits = text.replace(/\D/g, '');
  return digits.length >= 7 && digits.length <= 15 ? `${text.trim().startsWith('+') ? '+' : ''}${digits}` : undefined;
}

async function knownCustomer(ctx: Ctx): Promise<{ name: string | null; phone: string | null }> {
  const row = await ctx.services.db.customer.findUnique({ where: { id: ctx.data.customerId }, select: { name: true, phone: true } });
  return { name: row?.name ?? null, phone: row?.phone ?? null };
}

/** The next question, once `draft` holds what is known: the name, then a phone where none is known; else done. */
async function next(ctx: Ctx, at: FulfilmentState, change: { name?: string; phone?: string } = {}): Promise<StepResult> {
  const draft = { ...at.draft, ...change };
  const known = await knownCustomer(ctx);
  if (at.settings.ask.name && !draft.name) {
    if (known.name) {
      const options = [option('sameName', ctx.t('fulfilment.sameName', { name: known.name })), option('otherName', ctx.t('fulfilment.otherName'))];
      return { ...saveDraft(at.draft, change), scratch: { asking: 'name', known: known.name }, replies: [{ kind: 'choice', text: ctx.t('fulfilment.confirmName', { name: known.name }), options }] };
    }
    return { ...saveDraft(at.draft, change), scratch: { asking: 'name' }, replies: [{ kind: 'text', text: ctx.t('fulfilment.askName') }] };
  }
  // A phone the channel gives (WhatsApp), or the one given last time, is used and shown in the summary.
  if (at.settings.ask.phone && !draft.phone && known.phone) return saveDraft(at.draft, { ...change, phone: known.phone }, 'done');
  if (at.settings.ask.phone && !draft.phone) return { ...saveDraft(at.draft, change), scratch: { asking: 'phone' }, replies: [{ kind: 'text', text: ctx.t('fulfilment.askPhone') }] };
  return saveDraft(at.draft, change, 'done');
}

/**
 * Asks who the order is for, as the business's `fulfilment.ask` wants: the
 * customer's name (offering the one remembered from their last order), and
 * a phone number where the channel gives none (WhatsApp does). What they
 * give is remembered on the customer once the order is placed. Passes on at
 * once when there is nothing to ask (outcome `done`).
 *
 * @example
 * ```yaml
 * contact: { step: askContact, next: shopNote }
 * ```
 */
export const askContact = defineStep({
  name: 'askContact',
  description: 'Asks the customer\'s name (offering the remembered one) and a phone where the channel gives none; outcome done',
  params: z.object({}).strict(),
  outcomes: ['done'],
  // A name can be a greeting word ("Ola", "Hola"): here it is the answer, not a hello.
  ownIntents: ['greeting'],
  textKeys: () => ['fulfilment.askName', 'fulfilment.confirmName', 'fulfilment.sameName', 'fulfilment.otherName', 'fulfilment.askPhone', 'fulfilment.badPhone'],
  async enter(ctx) {
    const at = await fulfilmentAt(ctx);
    if (!at) return passOn('done');
    // Asked afresh each time: a name given before is offered from the customer's row.
    const result = await next(ctx, { ...at, draft: { ...at.draft, name: undefined, phone: undefined } });
    return result.outcome ? { ...result, skipped: !result.replies?.length } : result;
  },
  async handle(ctx, input) {
    const at = await fulfilmentAt(ctx);
    if (!at) return { outcome: 'done' };
    const asking = ctx.scratch['asking'];
    if (asking === 'phone') {
      const phone = phoneOf(typed(input, 30));
      return phone ? next(ctx, at, { phone }) : { replies: [{ kind: 'text', text: ctx.t('fulfilment.badPhone') }] };
    }
    const choice = chosen(input);
    if (choice === 'sameName' && typeof ctx.scratch['known'] === 'string') return next(ctx, at, { name: ctx.scratch['known'] });
    if (choice === 'otherName') return { scratch: { asking: 'name', known: null }, replies: [{ kind: 'text', text: ctx.t('fulfilment.askName') }] };
    const name = typed(input, 80);
    return name ? next(ctx, at, { name }) : { replies: [{ kind: 'text', text: ctx.t('fulfilment.askName') }] };
  },
});

/** The note question: its example ("ring the bell") fits a delivery only. */
function noteQuestion(method: string | undefined): string {
  return method === 'delivery' ? 'fulfilment.askNote' : 'fulfilment.askNoteShop';
}

/**
 * Asks for an optional note to the shop ("ring the bell"), when the
 * business's `fulfilment.ask.note` is on; "skip" (or its button) leaves none.
 * Otherwise it passes on at once (outcome `done`).
 *
 * @example
 * ```yaml
 * shopNote: { step: askNote, next: summary }
 * ```
 */
export const askNote = defineStep({
  name: 'askNote',
  description: 'Asks an optional note for the shop ("skip" for none); outcome done',
  params: z.object({}).strict(),
  outcomes: ['done'],
  textKeys: () => ['fulfilment.askNote', 'fulfilment.askNoteShop', 'fulfilment.skipNote'],
  async enter(ctx) {
    const at = await fulfilmentAt(ctx);
    if (!at?.settings.ask.note) return passOn('done');
    return { replies: [{ kind: 'choice', numbered: false, text: ctx.t(noteQuestion(at.draft.method)), options: [option('skipNote', ctx.t('fulfilment.skipNote'))] }] };
  },
  async handle(ctx, input) {
    const at = await fulfilmentAt(ctx);
    if (!at) return { outcome: 'done' };
    const text = typed(input, 500);
    if (chosen(input) === 'skipNote' || text?.toLowerCase() === 'skip') return saveDraft(at.draft, { note: undefined }, 'done');
    return text ? saveDraft(at.draft, { note: text }, 'done') : { replies: [{ kind: 'text', text: ctx.t(noteQuestion(at.draft.method)) }] };
  },
});
