import type { Snapshot } from 'xstate';
import type { Logger } from 'pino';
import type { LoadedBot } from '../config/load-bot.ts';
import type { I18n } from '../i18n/create-i18n.ts';
import type { ChannelCapabilities } from '../channel.ts';
import type { OutboundMessage } from '../messages.ts';
import type { Services } from '../services.ts';
import { compileFlow, type FlowContext } from '../flow/compile-flow.ts';
import { FlowInterpreter, type FlowSnapshot } from '../flow/flow-interpreter.ts';
import type { FlowDefinition } from '../flow/flow-schema.ts';
import { resolveChoice, type IntentMatcher } from '../flow/intents.ts';
import { createStepRunner } from '../flow/step-runner.ts';
import type { ConversationData, StepInput, StepRegistry } from '../flow/step.ts';
import type { ConversationRow } from '../store/conversation-store.ts';
import { VitrineError } from '../errors.ts';
import { WarmSnapshots } from './warm-snapshots.ts';

type PersistedFlow = Snapshot<unknown> & { context?: Partial<FlowContext> };

/**
 * A snapshot to save, without what only lasts a turn: the replies being
 * gathered (they are in the outbox table) and the input being handled.
 */
function withoutTurnData(snapshot: Snapshot<unknown>): Snapshot<unknown> {
  const { context, ...rest } = snapshot as PersistedFlow;
  if (!context) return snapshot;
  const { outbox: _outbox, pending: _pending, ...kept } = context;
  return { ...rest, context: kept } as unknown as Snapshot<unknown>;
}

/** A saved snapshot made whole again: a turn starts with no replies gathered. */
function withTurnData(snapshot: Snapshot<unknown>): Snapshot<unknown> {
  const { context } = snapshot as PersistedFlow;
  return context ? ({ ...snapshot, context: { ...context, outbox: [] } } as unknown as Snapshot<unknown>) : snapshot;
}

/** What a turn produced: the replies, and the state to save. */
export interface TurnOutput {
  replies: OutboundMessage[];
  locale: string;
  /** The persisted XState snapshot, JSON. */
  snapshot: string;
  flowId: string;
  flowVersion: number;
  /**
   * Call once the turn's transaction has committed: keeps the flow's state
   * for the conversation's next turn, which then need not restore it from
   * the stored text. A turn whose transaction failed must not call it.
   */
  remember(): void;
}

/** What {@link TurnRunner.run} needs for one turn. */
export interface TurnInput {
  conversation: ConversationRow;
  bot: LoadedBot;
  services: Services;
  intents: IntentMatcher;
  /** The customer's message or a system event; none to only start the flow. */
  input: StepInput | undefined;
  /** The locale of a new conversation, when detected. */
  firstLocale: string | undefined;
  /** The turn's logger (it names the conversation and the event). */
  logger: Logger;
}

/**
 * Runs the flow of a conversation for one input: takes the flow's state
 * kept from its last turn ({@link WarmSnapshots}) or restores it from the
 * stored snapshot, sends the input, runs steps until the flow waits again
 * and returns the replies with the snapshot to save. Each flow is compiled
 * once and run by a {@link FlowInterpreter}; the turn's services reach the
 * steps through the turn's step runner.
 *
 * @example
 * ```ts
 * const turns = new TurnRunner({ flows, steps, i18n, turnTimeoutMs: 30_000 });
 * const out = await turns.run({ conversation, bot, services, intents, input: message, firstLocale: undefined, logger });
 * ```
 */
export class TurnRunner {
  /** Each flow's interpreter, with a key naming that compilation (kept states belong to one). */
  private readonly machines = new Map<string, { flow: FlowDefinition; interpreter: FlowInterpreter; key: string }>();
  private readonly warm = new WarmSnapshots<FlowSnapshot>();
  private compiled = 0;

  constructor(private readonly deps: { flows: ReadonlyMap<string, FlowDefinition>; steps: StepRegistry; i18n: I18n; turnTimeoutMs: number; channels?: ReadonlyMap<string, ChannelCapabilities> }) {
    for (const flow of deps.flows.values()) this.setFlow(flow);
  }

  /** Compiles a changed flow; the next turns of its bots run it (states kept from the old one are not used). */
  setFlow(flow: FlowDefinition): void {
    this.machines.set(flow.id, { flow, interpreter: new FlowInterpreter(compileFlow(flow)), key: `${flow.id}@${flow.version}#${++this.compiled}` });
  }

  async run({ conversation, bot, services, intents, input, firstLocale, logger }: TurnInput): Promise<TurnOutput> {
    const { i18n, steps, channels } = this.deps;
    const target = this.machines.get(bot.runtime.flowId);
    if (!target) throw new VitrineError('VT_ERR_FLOW_INVALID', `Bot ${bot.runtime.id} runs unknown flow ${bot.runtime.flowId}`);
    const runner = createStepRunner({ flow: target.flow, steps, services, i18n, intents, logger, ...(channels ? { channels } : {}) });

    const notices: OutboundMessage[] = [];
    const flowKey = target.key;
    const sameFlow = conversation.snapshot !== '' && conversation.flowId === target.flow.id && conversation.flowVersion === target.flow.version;
    const warm = sameFlow ? this.warm.take(conversation.id, conversation.version, flowKey) : undefined;
    let snapshot: Snapshot<unknown> | undefined;
    if (sameFlow && !warm) {
      try {
        snapshot = withTurnData(JSON.parse(conversation.snapshot) as Snapshot<unknown>);
      } catch (err) {
        logger.warn({ err, conversationId: conversation.id }, 'unreadable snapshot: restarting the conversation');
      }
    } else if (conversation.snapshot !== '' && !sameFlow) {
      notices.push({ kind: 'text', text: i18n.t(bot.runtime.id, conversation.locale)('common.flowUpdated') });
    }
    const fresh: ConversationData = {
      botId: bot.runtime.id, locale: firstLocale ?? conversation.locale, conversationId: conversation.id,
      customerId: conversation.customerId, channel: conversation.channel,
      choices: [], trail: [], scratch: {}, vars: {}, outbox: [], numbered: true, hops: 0,
    };
    const { interpreter } = target;
    let state: FlowSnapshot | undefined = warm;
    if (!state && snapshot) {
      try {
        state = interpreter.restore(snapshot);
      } catch (err) {
        logger.warn({ err, conversationId: conversation.id }, 'snapshot could not be restored: restarting the conversation');
        snapshot = undefined;
      }
    }
    const restored = state !== undefined;
    state = await interpreter.settle(state ?? interpreter.initial(fresh), runner, this.deps.turnTimeoutMs);
    const intro: OutboundMessage[] = restored ? [] : [...state.context.outbox];
    if (input) {
      let resolved = input;
      if (input.kind === 'text') {
        const option = resolveChoice(input.text, state.context.choices, state.context.numbered);
        if (option) resolved = { ...input, kind: 'choice', optionId: option.id, label: option.label };
      }
      state = await interpreter.settle(interpreter.send(state, { type: 'INPUT', input: resolved }), runner, this.deps.turnTimeoutMs);
    }
    const context: FlowContext = state.context;
    const persisted = JSON.stringify(withoutTurnData(interpreter.persisted(state)));
    const settled = state;
    const remember = () => {
      if (settled.status === 'active') this.warm.keep(conversation.id, conversation.version + 1, flowKey, settled);
    };
    const t = i18n.t(bot.runtime.id, context.locale);
    // Channels that open options from a list button label it in the customer's language.
    const replies = [...notices, ...(input && !restored ? intro : []), ...context.outbox]
      .map((r) => (r.kind === 'choice' && r.buttonLabel === undefined ? { ...r, buttonLabel: t('nav.options') } : r));
    if (context.failure) {
      logger.error({ conversationId: conversation.id, failure: context.failure }, 'flow step failed');
      replies.push({ kind: 'text', text: t('common.error') });
    }
    return { replies, locale: context.locale, snapshot: persisted, flowId: target.flow.id, flowVersion: target.flow.version, remember };
  }
}
