import { createActor, fromPromise, waitFor, type AnyStateMachine, type Snapshot } from 'xstate';
import pino, { type Logger } from 'pino';
import type { Db } from '../db/open-database.ts';
import type { DbClient } from '../db/db-client.ts';
import type { LoadedBot } from '../config/load-bot.ts';
import { checkBot } from '../config/check-bot.ts';
import { ConfigError, type ConfigProblem } from '../config/problems.ts';
import { VitrineError } from '../errors.ts';
import type { I18n } from '../i18n/create-i18n.ts';
import type { InboundMessage, OutboundMessage } from '../messages.ts';
import type { ChannelCapabilities } from '../channel.ts';
import { createCartService } from '../cart/cart-service.ts';
import { createCatalogService, ProductIndexCache } from '../catalog/catalog-service.ts';
import { createDirectoryService, DirectoryIndexCache } from '../catalog/directory-service.ts';
import { createOrderService } from '../orders/order-service.ts';
import { recordOnlyPaymentProvider, type PaymentProvider } from '../payments/payment-provider.ts';
import { randomIds, systemClock, type Clock, type IdGenerator, type Services } from '../services.ts';
import { compileFlow, type FlowContext, type RunStepInput, type RunStepOutput } from '../flow/compile-flow.ts';
import type { FlowDefinition } from '../flow/flow-schema.ts';
import { IntentMatcher, resolveChoice, type DetectedIntent } from '../flow/intents.ts';
import { createStepRunner } from '../flow/step-runner.ts';
import type { ConversationData, StepInput, StepRegistry, SystemInput } from '../flow/step.ts';
import { KeyedQueue } from './keyed-queue.ts';

/** What {@link createEngine} needs. Every service is injected. */
export interface EngineOptions {
  db: Db;
  bots: LoadedBot[];
  flows: ReadonlyMap<string, FlowDefinition>;
  steps: StepRegistry;
  i18n: I18n;
  /** Payment providers by id; `record` (record the order only) is always there. */
  payments?: PaymentProvider[];
  clock?: Clock;
  /** Order number generator; by default random, prefixed with each bot's `orderPrefix`. */
  ids?: IdGenerator;
  logger?: Logger;
  /** Capabilities of the channels that will carry conversations, checked against each bot's flow. */
  channels?: ReadonlyMap<string, ChannelCapabilities>;
  /** Longest a turn may take before it is abandoned (ms, default 30 000). */
  turnTimeoutMs?: number;
}

/** Where a conversation's replies go. */
export interface ConversationAddress {
  conversationId: string;
  botId: string;
  channel: string;
  /** The channel's id for the customer. */
  customerId: string;
}

/** The replies of a turn and where they go. */
export interface TurnResult extends ConversationAddress {
  replies: OutboundMessage[];
  /** The conversation's locale after the turn (adapters render for it). */
  locale: string;
  /** True when the inbound message was seen before and these are the stored replies. */
  duplicate: boolean;
}

/**
 * The Vitrine runtime: one XState actor per (bot, channel, customer), restored
 * from the database for each message and persisted after it.
 */
export interface Engine {
  /** Handles a customer message and returns the replies (the stored ones for a duplicate id). */
  handle(message: InboundMessage): Promise<OutboundMessage[]>;
  /** Like {@link Engine.handle} with the conversation's address and whether it was a duplicate. */
  process(message: InboundMessage): Promise<TurnResult>;
  /** Sends an event from outside the chat (a payment result) into a conversation. */
  notify(conversationId: string, event: SystemInput): Promise<TurnResult>;
  /** Loaded bots by id. */
  readonly bots: ReadonlyMap<string, LoadedBot>;
  /** Replaces a bot's configuration (after its files changed and were re-seeded). */
  reloadBot(bot: LoadedBot): void;
  /** Waits for turns in progress. */
  drain(): Promise<void>;
}

interface Compiled {
  flow: FlowDefinition;
  machine: AnyStateMachine;
}

const isUniqueViolation = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: string }).code === 'P2002';

/**
 * Creates an engine. Bots are checked against flows, steps, texts and payment
 * providers first: a problem is a {@link ConfigError} naming file and path.
 *
 * @example
 * ```ts
 * const engine = await createEngine({ db, bots: [bot], flows, steps, i18n });
 * const replies = await engine.handle({ kind: 'text', text: 'padaria', messageId: 'm1',
 *   channel: 'console', botId: 'directory', customer: { id: 'ana' } });
 * ```
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const { db, steps, i18n } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const clock = options.clock ?? systemClock;
  const providers = new Map<string, PaymentProvider>([[recordOnlyPaymentProvider.id, recordOnlyPaymentProvider]]);
  for (const p of options.payments ?? []) providers.set(p.id, p);
  const turnTimeoutMs = options.turnTimeoutMs ?? 30_000;
  const bots = new Map<string, LoadedBot>();
  const matchers = new Map<string, IntentMatcher>();
  const compiled = new Map<string, Compiled>();
  for (const flow of options.flows.values()) compiled.set(flow.id, { flow, machine: compileFlow(flow) });
  const directoryCache = new DirectoryIndexCache();
  const productCache = new ProductIndexCache();
  const queue = new KeyedQueue();

  function addBot(bot: LoadedBot): void {
    i18n.setBotTexts(bot.runtime.id, bot.texts);
    const problems: ConfigProblem[] = checkBot(bot, {
      flows: options.flows, steps, i18n, paymentProviders: [...providers.keys()], ...(options.channels ? { channels: options.channels } : {}),
    });
    if (problems.length > 0) throw new ConfigError(problems);
    bots.set(bot.runtime.id, bot);
    matchers.set(bot.runtime.id, new IntentMatcher(i18n, bot.runtime.locales));
  }
  for (const bot of options.bots) addBot(bot);

  function botOf(botId: string): LoadedBot {
    const bot = bots.get(botId);
    if (!bot) throw new VitrineError('VT_ERR_BOT_UNKNOWN', `No bot "${botId}" is loaded (loaded: ${[...bots.keys()].join(', ')})`);
    return bot;
  }

  function servicesFor(tx: DbClient, bot: LoadedBot): Services {
    const cart = createCartService(tx);
    const payments = providers.get(bot.runtime.paymentProvider) ?? recordOnlyPaymentProvider;
    const ids = options.ids ?? randomIds(bot.runtime.orderPrefix);
    return {
      db: tx, bot: bot.runtime, cart, payments, clock, ids, logger,
      directory: createDirectoryService(tx, directoryCache),
      catalog: createCatalogService(tx, productCache),
      orders: createOrderService({ db: tx, cart, payments, ids }),
    };
  }

  /** Runs one turn of a conversation inside a transaction. */
  async function runTurn(
    tx: DbClient,
    conversation: { id: string; snapshot: string; flowId: string; flowVersion: number; version: number; locale: string; customerId: string; channel: string },
    bot: LoadedBot,
    input: StepInput | undefined,
    firstLocale: string | undefined,
  ): Promise<{ replies: OutboundMessage[]; locale: string }> {
    const target = compiled.get(bot.runtime.flowId);
    if (!target) throw new VitrineError('VT_ERR_FLOW_INVALID', `Bot ${bot.runtime.id} runs unknown flow ${bot.runtime.flowId}`);
    const intents = matchers.get(bot.runtime.id);
    if (!intents) throw new VitrineError('VT_ERR_BOT_UNKNOWN', `Bot ${bot.runtime.id} is not loaded`);
    const runner = createStepRunner({ flow: target.flow, steps, services: servicesFor(tx, bot), i18n, intents, logger });
    const machine = target.machine.provide({
      actors: { runStep: fromPromise<RunStepOutput, RunStepInput>(({ input: runInput }) => runner(runInput)) },
    });

    const notices: OutboundMessage[] = [];
    let snapshot: Snapshot<unknown> | undefined;
    if (conversation.snapshot !== '' && conversation.flowId === target.flow.id && conversation.flowVersion === target.flow.version) {
      try {
        snapshot = JSON.parse(conversation.snapshot) as Snapshot<unknown>;
      } catch (err) {
        logger.warn({ err, conversationId: conversation.id }, 'unreadable snapshot: restarting the conversation');
      }
    } else if (conversation.snapshot !== '') {
      notices.push({ kind: 'text', text: i18n.t(bot.runtime.id, conversation.locale)('common.flowUpdated') });
    }
    const fresh: ConversationData = {
      botId: bot.runtime.id, locale: firstLocale ?? conversation.locale, conversationId: conversation.id,
      customerId: conversation.customerId, channel: conversation.channel,
      choices: [], trail: [], scratch: {}, vars: {}, outbox: [], numbered: true, hops: 0,
    };
    let actor = createActor(machine, snapshot ? { snapshot } : { input: fresh });
    try {
      actor.start();
    } catch (err) {
      logger.warn({ err, conversationId: conversation.id }, 'snapshot could not be restored: restarting the conversation');
      snapshot = undefined;
      actor = createActor(machine, { input: fresh });
      actor.start();
    }
    const settle = () => waitFor(actor, (s) => s.hasTag('waiting') || s.status !== 'active', { timeout: turnTimeoutMs });
    let state = await settle();
    const intro: OutboundMessage[] = snapshot ? [] : [...(state.context as FlowContext).outbox];
    if (input) {
      const context = state.context as FlowContext;
      let resolved = input;
      if (input.kind === 'text') {
        const option = resolveChoice(input.text, context.choices, context.numbered);
        if (option) resolved = { ...input, kind: 'choice', optionId: option.id, label: option.label };
      }
      actor.send({ type: 'INPUT', input: resolved });
      state = await settle();
    }
    const context = state.context as FlowContext;
    const persisted = JSON.stringify(actor.getPersistedSnapshot());
    actor.stop();
    const t = i18n.t(bot.runtime.id, context.locale);
    // Channels that open options from a list button label it in the customer's language.
    const replies = [...notices, ...(input && !snapshot ? intro : []), ...context.outbox]
      .map((r) => (r.kind === 'choice' && r.buttonLabel === undefined ? { ...r, buttonLabel: t('nav.options') } : r));
    if (context.failure) {
      logger.error({ conversationId: conversation.id, failure: context.failure }, 'flow step failed');
      replies.push({ kind: 'text', text: t('common.error') });
    }
    const updated = await tx.conversation.updateMany({
      where: { id: conversation.id, version: conversation.version },
      data: {
        snapshot: persisted, flowId: target.flow.id, flowVersion: target.flow.version,
        locale: context.locale, version: { increment: 1 },
      },
    });
    if (updated.count !== 1) {
      throw new VitrineError('VT_ERR_CONVERSATION_CONFLICT', 'The conversation changed while this message was processed', { context: { conversationId: conversation.id } });
    }
    return { replies, locale: context.locale };
  }

  function firstLocaleFor(bot: LoadedBot, message: InboundMessage, detected: DetectedIntent | undefined): string | undefined {
    if (detected && (detected.intent === 'greeting' || detected.intent === 'language')) return detected.locale;
    const hint = message.customer.locale;
    if (hint) return bot.runtime.locales.find((l) => l.toLowerCase() === hint.toLowerCase()) ?? bot.runtime.locales.find((l) => l.split('-')[0] === hint.split(/[-_]/)[0]);
    return undefined;
  }

  async function storedReplies(message: InboundMessage): Promise<TurnResult | undefined> {
    const seen = await db.inboundEvent.findUnique({
      where: { botId_channel_messageId: { botId: message.botId, channel: message.channel, messageId: message.messageId } },
      include: { conversation: { select: { locale: true } } },
    });
    if (!seen) return undefined;
    return {
      replies: JSON.parse(seen.replies) as OutboundMessage[], duplicate: true, conversationId: seen.conversationId,
      botId: message.botId, channel: message.channel, customerId: message.customer.id, locale: seen.conversation.locale,
    };
  }

  async function process(message: InboundMessage): Promise<TurnResult> {
    const bot = botOf(message.botId);
    const key = `${message.botId}|${message.channel}|${message.customer.id}`;
    return queue.run(key, async () => {
      const seen = await storedReplies(message);
      if (seen) return seen;
      try {
        return await db.$transaction(async (tx) => {
          const customer = await tx.customer.upsert({
            where: { channel_externalId: { channel: message.channel, externalId: message.customer.id } },
            create: { channel: message.channel, externalId: message.customer.id, name: message.customer.name ?? null, locale: message.customer.locale ?? null },
            update: {},
          });
          let conversation = await tx.conversation.findUnique({
            where: { botId_channel_customerId: { botId: bot.runtime.id, channel: message.channel, customerId: customer.id } },
          });
          const isNew = !conversation;
          conversation ??= await tx.conversation.create({
            data: {
              botId: bot.runtime.id, channel: message.channel, customerId: customer.id, flowId: bot.runtime.flowId,
              flowVersion: 0, snapshot: '', locale: bot.runtime.defaultLocale,
            },
          });
          const detected = isNew && message.kind === 'text' ? matchers.get(bot.runtime.id)?.match(message.text) : undefined;
          const first = isNew ? firstLocaleFor(bot, message, detected) : undefined;
          const startOnly = isNew && (detected?.intent === 'greeting' || detected?.intent === 'language' || detected?.intent === 'restart');
          const { replies, locale } = await runTurn(tx, conversation, bot, startOnly ? undefined : message, first);
          await tx.inboundEvent.create({
            data: { botId: message.botId, channel: message.channel, messageId: message.messageId, conversationId: conversation.id, replies: JSON.stringify(replies) },
          });
          return { replies, locale, duplicate: false, conversationId: conversation.id, botId: bot.runtime.id, channel: message.channel, customerId: message.customer.id };
        }, { timeout: turnTimeoutMs, maxWait: turnTimeoutMs });
      } catch (err) {
        // Another instance stored the same message id first: answer with its replies.
        if (isUniqueViolation(err)) {
          const again = await storedReplies(message);
          if (again) return again;
        }
        throw err;
      }
    });
  }

  async function notify(conversationId: string, event: SystemInput): Promise<TurnResult> {
    const row = await db.conversation.findUnique({ where: { id: conversationId }, include: { customer: true } });
    if (!row) throw new VitrineError('VT_ERR_INTERNAL', `No conversation ${conversationId}`);
    const bot = botOf(row.botId);
    const key = `${row.botId}|${row.channel}|${row.customer.externalId}`;
    return queue.run(key, () =>
      db.$transaction(async (tx) => {
        const conversation = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId } });
        const { replies, locale } = await runTurn(tx, conversation, bot, event, undefined);
        return { replies, locale, duplicate: false, conversationId, botId: row.botId, channel: row.channel, customerId: row.customer.externalId };
      }, { timeout: turnTimeoutMs, maxWait: turnTimeoutMs }),
    );
  }

  return {
    bots,
    process,
    notify,
    async handle(message) {
      return (await process(message)).replies;
    },
    reloadBot(bot) {
      addBot(bot);
    },
    drain: () => queue.drain(),
  };
}
