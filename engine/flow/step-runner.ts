import type { Logger } from 'pino';
import type { I18n } from '../i18n/create-i18n.ts';
import { formatMoney } from '../money.ts';
import { toVitrineError, VitrineError, type VitrineErrorCode } from '../errors.ts';
import type { Services } from '../services.ts';
import type { ChannelCapabilities } from '../channel.ts';
import type { FlowDefinition } from './flow-schema.ts';
import type { RunStepInput, RunStepOutput, StepRunner } from './compile-flow.ts';
import type { IntentMatcher } from './intents.ts';
import { businessLinkSlugs } from './business-link.ts';
import { importChannelOrder } from './channel-inputs.ts';
import { encodeOptionId, tappedOption } from './option-id.ts';
import type { StepContext, StepInput, StepRegistry, StepResult } from './step.ts';
import { closedNotice } from '../catalog/opening-hours.ts';
import { markFunnel } from '../analytics/funnel-marks.ts';

/**
 * Errors caused by what the customer sent (a product id of another shop, or no
 * longer for sale), with the text key that answers them: the customer gets a
 * polite reply and the log a warning, not the generic error and an error log.
 */
const CUSTOMER_MISTAKES: Partial<Record<VitrineErrorCode, string>> = {
  VT_ERR_PRODUCT_UNKNOWN: 'product.unknown',
};

/** Everything a turn's step runner needs. */
export interface StepRunnerDeps {
  flow: FlowDefinition;
  steps: StepRegistry;
  services: Services;
  i18n: I18n;
  intents: IntentMatcher;
  logger: Logger;
  /** Capabilities of the channels that carry conversations (what the customer can send); absent: text and taps only. */
  channels?: ReadonlyMap<string, ChannelCapabilities>;
}

const MAX_HOPS = 25;

/**
 * A message from a business's link (`#<slug>` naming an active business of
 * the bot): that business selected, and the flow's `openBusiness` route (the
 * current state again when the flow has none). Anything else: `undefined`.
 */
async function openLinkedBusiness(input: StepInput, data: RunStepInput['data'], services: Services, flow: FlowDefinition, t: StepContext['t']): Promise<RunStepOutput | undefined> {
  if (input.kind !== 'text') return undefined;
  const slugs = businessLinkSlugs(input.text);
  if (slugs.length === 0) return undefined;
  const businesses = await services.directory.list(data.botId);
  const business = slugs.map((slug) => businesses.find((b) => b.slug === slug)).find((b) => b !== undefined);
  if (!business) return undefined;
  await markFunnel(services.db, services.clock, { businessId: business.id, conversationId: data.conversationId, stage: 'found' });
  const result: StepResult = {
    set: { businessId: business.id, categoryId: undefined, page: 0, productId: undefined },
    replies: [
      { kind: 'text', text: t('links.opened', { name: business.name, city: business.city }) },
      ...[closedNotice(business, services.clock.now(), t, data.locale)].flatMap((text) => (text ? [{ kind: 'text' as const, text }] : [])),
    ],
  };
  return flow.global.openBusiness === undefined ? { result } : { result, outcome: 'global:openBusiness' };
}

/**
 * The runner behind every flow state: runs the step's `enter` or `handle`,
 * and before `handle`, a business link's message (`openBusiness`) and the
 * flow's global intents (help, restart, back, cart, switch business, orders,
 * language). Step errors become a polite reply and a
 * log line, never a crash.
 */
export function createStepRunner(deps: StepRunnerDeps): StepRunner {
  const { flow, steps, services, i18n, intents, logger, channels } = deps;
  return async ({ phase, stateId, data, input }: RunStepInput): Promise<RunStepOutput> => {
    const state = flow.states[stateId];
    const step = state && steps.get(state.step);
    if (!state || !step) throw new VitrineError('VT_ERR_FLOW_UNKNOWN_STEP', `No step for state ${stateId}`);
    const t = i18n.t(data.botId, data.locale);
    const ctx: StepContext = {
      params: state.params, stateId, data, scratch: data.scratch, services, t,
      money: (minor, currency) => formatMoney({ minor, currency }, data.locale), words: i18n.words(),
      canReceive: (kind) => kind === 'text' || kind === 'choice' || (channels?.get(data.channel)?.inbound ?? []).some((k) => k === kind),
    };
    try {
      if (data.hops > MAX_HOPS) {
        throw new VitrineError('VT_ERR_FLOW_STUCK', `Flow ${flow.id} entered ${data.hops} states in one turn (last: ${stateId})`);
      }
      if (phase === 'enter') {
        const result = (await step.enter?.(ctx)) ?? {};
        return { result, ...(result.outcome ? { outcome: result.outcome } : {}) };
      }
      if (!input) return { result: {} };

      // Inputs no step reads: a cart from the channel's catalog, and messages the channel could not map.
      if (input.kind === 'order') {
        const { result, added } = await importChannelOrder(input, data, services, t);
        return added && flow.global.cart !== undefined ? { result, outcome: 'global:cart' } : { result };
      }
      if (input.kind === 'unsupported') return { result: { replies: [{ kind: 'text', text: t('common.unsupported') }] } };
      const linked = await openLinkedBusiness(input, data, services, flow, t);
      if (linked) return linked;

      // Global intents, unless the step handles them itself.
      const said = input.kind === 'text' ? intents.match(input.text) : undefined;
      const option = tappedOption(input);
      const tapped = option?.kind === 'intent' ? option.intent : undefined;
      const intent = said?.intent ?? tapped;
      if (intent && !step.ownIntents?.includes(intent)) {
        if (said?.intent === 'language') {
          const lt = i18n.t(data.botId, said.locale);
          const result: StepResult = { set: { locale: said.locale }, replies: [{ kind: 'text', text: lt('common.languageChanged') }] };
          return { result, outcome: 'global:language' };
        }
        if (intent === 'help' && flow.global.help === undefined) {
          const hint = t(`help.${step.name}`, { defaultValue: '' });
          return { result: { replies: [{ kind: 'text', text: [t('common.help'), hint].filter(Boolean).join('\n\n') }] } };
        }
        if (intent === 'back') return { result: {}, outcome: 'back' };
        if (intent === 'greeting') return { result: {}, outcome: 'global:greeting' };
        if ((flow.global as Record<string, string | undefined>)[intent] !== undefined) return { result: {}, outcome: `global:${intent}` };
      }

      // A global intent the step owns reaches it as a tap on `intent:<name>`.
      const stepInput: StepInput = intent && intent !== 'greeting' && step.ownIntents?.includes(intent) && input.kind === 'text'
        ? { ...input, kind: 'choice', optionId: encodeOptionId({ kind: 'intent', intent }), label: input.text }
        : input;
      const result = (await step.handle?.(ctx, stepInput)) ?? {};
      if (!result.outcome && (result.replies ?? []).length === 0) {
        // An event from outside the chat that this step does not handle: say nothing.
        if (stepInput.kind === 'system') return { result };
        return { result: { ...result, replies: [{ kind: 'text', text: `${t('common.notUnderstood')}\n${t(`help.${step.name}`, { defaultValue: t('common.helpHint') })}` }] } };
      }
      return { result, ...(result.outcome ? { outcome: result.outcome } : {}) };
    } catch (err) {
      const error = toVitrineError(err, { stateId, step: step.name });
      const answer = CUSTOMER_MISTAKES[error.code];
      if (answer !== undefined) {
        logger.warn({ code: error.code, context: error.context, botId: data.botId, conversationId: data.conversationId, stateId }, 'step refused what the customer sent');
        return { result: { replies: [{ kind: 'text', text: t(answer) }] } };
      }
      logger.error({ err: error, code: error.code, botId: data.botId, conversationId: data.conversationId, stateId }, 'step failed');
      return { result: { replies: [{ kind: 'text', text: t('common.error') }] } };
    }
  };
}
