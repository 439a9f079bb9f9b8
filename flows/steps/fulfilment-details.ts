import { z } from 'zod';
import { defineStep } from '../../engine/index.ts';
import { fulfilmentAt, passOn, saveDraft, typed } from './fulfilment-draft.ts';

/**
 * Asks where to deliver, for a delivery: a typed address, or a shared
 * location pin (its name, when the channel gives one, is kept as the
 * address). The pin is asked for only on channels that can send one
 * (WhatsApp, Telegram); elsewhere the question asks for the typed address. Any other way to receive passes on at once (outcome `done`).
 *
 * @example
 * ```yaml
 * address: { step: askAddress, next: table }
 * ```
 */
export const askAddress = defineStep({
  name: 'askAddress',
  description: 'Asks a delivery address as text or a location pin; outcome done',
  params: z.object({}).strict(),
  outcomes: ['done'],
  textKeys: () => ['fulfilment.askAddress', 'fulfilment.badAddress', 'fulfilment.askAddressTyped', 'fulfilment.badAddressTyped'],
  async enter(ctx) {
    const at = await fulfilmentAt(ctx);
    if (at?.draft.method !== 'delivery') return passOn('done');
    return { replies: [{ kind: 'text', text: ctx.t(ctx.canReceive('location') ? 'fulfilment.askAddress' : 'fulfilment.askAddressTyped') }] };
  },
  async handle(ctx, input) {
    const at = await fulfilmentAt(ctx);
    if (!at) return { outcome: 'done' };
    if (input.kind === 'location') {
      const location = { latitude: input.latitude, longitude: input.longitude };
      return saveDraft(at.draft, { location, address: input.name?.trim() || undefined }, 'done');
    }
    const address = typed(input, 300);
    if (!address || address.length < 4) return { replies: [{ kind: 'text', text: ctx.t(ctx.canReceive('location') ? 'fulfilment.badAddress' : 'fulfilment.badAddressTyped') }] };
    return saveDraft(at.draft, { address, location: undefined }, 'done');
  },
});

/**
 * Asks the table number, for dine-in at a business whose `dineIn` has
 * `askTable: true`. Otherwise it passes on at once (outcome `done`).
 *
 * @example
 * ```yaml
 * table: { step: askTable, next: contact }
 * ```
 */
export const askTable = defineStep({
  name: 'askTable',
  description: 'Asks the table number for dine-in; outcome done',
  params: z.object({}).strict(),
  outcomes: ['done'],
  textKeys: () => ['fulfilment.askTable'],
  async enter(ctx) {
    const at = await fulfilmentAt(ctx);
    if (at?.draft.method !== 'dine-in' || !at.settings.dineIn?.askTable) return passOn('done');
    return { replies: [{ kind: 'text', text: ctx.t('fulfilment.askTable') }] };
  },
  async handle(ctx, input) {
    const at = await fulfilmentAt(ctx);
    if (!at) return { outcome: 'done' };
    const table = typed(input, 20);
    if (!table) return { replies: [{ kind: 'text', text: ctx.t('fulfilment.askTable') }] };
    return saveDraft(at.draft, { table }, 'done');
  },
});
