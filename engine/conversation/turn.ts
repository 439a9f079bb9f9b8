import { createActor, waitFor, type AnyStateMachine, type Snapshot } from 'xstate';
import type { Logger } from 'pino';
import type { LoadedBot } from '../config/load-bot.ts';
import type { I18n } from '../i18n/create-i18n.ts';
import type { ChannelCapabilities } from '../channel.ts';
import type { OutboundMessage } from '../messages.ts';
import type { Services } from '../services.ts';
import { bindStepRunner, compileFlow, unbindStepRunner, type FlowContext } from '../flow/compile-flow.ts';
import type { FlowDefinition } from '../flow/flow-schema.ts';
import { resolveChoice, type IntentMatcher } from '../flow/intents.ts';
import { createStepRunner } from '../flow/step-runner.ts';
import type { ConversationData, StepInput, StepRegistry } from '../flow/step.ts';
import type { ConversationRow } from '../store/conversation-store.ts';
import { VitrineError } from '../errors.ts';
import { WarmActors, type FlowActor } from './warm-actors.ts';

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
   * Call once the turn's transaction has committed: keeps the flow's actor
   * for the conversation's next turn, which then need not restore it from
   * the snapshot. A turn whose transaction failed must not call it.
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
 * Runs the flow of a conversation for one input: takes the XState actor kept
 * from its last turn ({@link WarmActors}) or restores it from its snapshot,
 * sends the input, waits until the flow waits again and returns the replies
 * with the snapshot to save. Each flow is compiled once; the turn's services
 * reach the steps through the actor system.
 *
 * @example
 * ```ts
 * const turns = new TurnRunner({ flows, steps, i18n, turnTimeoutMs: 30_000 });
 * const out = await turns.run({ conversation, bot, services, intents, input: message, firstLocale: undefined, logger });
 * ```
 */
export class TurnRunner {
  /** Each flow's compiled machine, with a key naming that compilation (kept actors belong to one). */
  private readonly machines = new Map<string, { flow: FlowDefinition; machine: AnyStateMachine; key: string }>();
  private readonly warm = new WarmActors();
  private compiled = 0;

  constructor(private readonly deps: { flows: ReadonlyMap<string, FlowDefinition>; steps: StepRegistry; i18n: I18n; turnTimeoutMs: number; channels?: ReadonlyMap<string, ChannelCapabilities> }) {
    for (const flow of deps.flows.values()) this.setFlow(flow);
  }

  /** Compiles a changed flow; the next turns of its bots run it (actors kept from the old one are not used). */
  setFlow(flow: FlowDefinition): void {
    this.machines.set(flow.id, { flow, machine: compileFlow(flow), key: `${flow.id}@${flow.version}#${++this.compiled}` });
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
    const start = (from: Snapshot<unknown> | undefined): FlowActor => {
      const actor = createActor(target.machine, from ? { snapshot: from } : { input: fresh });
      bindStepRunner(actor, runner);
      actor.start();
      return actor;
    };
    let actor: FlowActor;
    if (warm) {
      bindStepRunner(warm, runner);
      actor = warm;
    } else {
      try {
        actor = start(snapshot);
      } catch (err) {
        logger.warn({ err, conversationId: conversation.id }, 'snapshot could not be restored: restarting the conversation');
        snapshot = undefined;
        actor = start(undefined);
      }
    }
    const restored = warm !== undefined || snapshot !== undefined;
    const running = actor;
    const settle = () => waitFor(running, (s) => s.hasTag('waiting') || s.status !== 'active', { timeout: this.deps.turnTimeoutMs });
    let state = await settle();
    const intro: OutboundMessage[] = restored ? [] : [...(state.context as FlowContext).outbox];
    if (input) {
      const context = state.context as FlowContext;
      let resolved = input;
      if (input.kind === 'text') {
        const option = resolveChoice(input.text, context.choices, context.numbered);
        if (option) resolved = { ...input, kind: 'choice', optionId: option.id, label: option.label };
      }
      running.send({ type: 'INPUT', input: resolved });
      state = await settle();
    }
    const context = state.context as FlowContext;
    const persisted = JSON.stringify(withoutTurnData(running.getPersistedSnapshot()));
    const remember = () => {
      // Kept without this turn's runner: it holds the turn's services and transaction.
      unbindStepRunner(running);
      if (running.getSnapshot().status === 'active') this.warm.keep(conversation.id, conversation.version + 1, flowKey, running);
      else running.stop();
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
