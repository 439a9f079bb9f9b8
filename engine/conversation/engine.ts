import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { Db } from '../db/open-database.ts';
import { databaseFlavour } from '../db/database-flavour.ts';
import type { DbClient } from '../db/db-client.ts';
import type { LoadedBot } from '../config/load-bot.ts';
import { ConfigError } from '../config/problems.ts';
import { VitrineError } from '../errors.ts';
import type { I18n } from '../i18n/create-i18n.ts';
import type { InboundMessage, OutboundMessage } from '../messages.ts';
import type { ChannelCapabilities } from '../channel.ts';
import { recordOnlyPaymentProvider, type PaymentProvider } from '../payments/payment-provider.ts';
import { paymentEffects, type TurnEffect } from '../payments/payment-effects.ts';
import { paymentMethodsFor } from '../payments/payment-methods.ts';
import type { OrderRecord } from '../orders/order-service.ts';
import type { PaymentProviderOff } from '../payments/payment-provider-descriptor.ts';
import { paymentEventHandler } from '../payments/payment-events.ts';
import { systemClock, type Clock, type IdGenerator } from '../services.ts';
import type { FlowDefinition } from '../flow/flow-schema.ts';
import type { StepRegistry, SystemInput } from '../flow/step.ts';
import type { Admission, ConversationStore, JournalInput, ReplyRoute } from '../store/conversation-store.ts';
import { defaultStore } from '../store/default-store.ts';
import { GroupCommit } from '../store/group-commit.ts';
import { OutboxSender, type OutboxSenderOptions } from '../outbox/outbox-sender.ts';
import { BotRegistry } from './bot-registry.ts';
import { createTurnServices } from './turn-services.ts';
import { TurnRunner } from './turn.ts';
import { createJournalWorker } from './journal-worker.ts';
import { CompletionWaiter } from './completion-waiter.ts';
import { handoffTimeouts } from '../handoff/handoff-timeouts.ts';

/** What {@link createEngine} needs. Every service is injected. */
export interface EngineOptions {
  db: Db;
  bots: LoadedBot[];
  flows: ReadonlyMap<string, FlowDefinition>;
  steps: StepRegistry;
  i18n: I18n;
  /** Payment providers by id; `record` (record the order only) is always there. */
  payments?: PaymentProvider[];
  /** Providers that exist but are off here, each with the environment variables it reads (named when a bot asks for one). */
  paymentProvidersOff?: Readonly<Record<string, PaymentProviderOff>>;
  clock?: Clock;
  /** Order number generator; by default random, prefixed with each bot's `orderPrefix`. */
  ids?: IdGenerator;
  logger?: Logger;
  /** Capabilities of the channels that will carry conversations, checked against each bot's flow. */
  channels?: ReadonlyMap<string, ChannelCapabilities>;
  /**
   * Called for a bot whose checks against the flows, steps, texts, payment
   * providers and channels fail; the engine runs without it. Without this
   * option such a bot is an error (`ConfigError`) and no engine is made.
   */
  onBrokenBot?: (bot: LoadedBot, error: ConfigError) => void;
  /** Longest a turn may take before it is abandoned (ms, default 30 000). */
  turnTimeoutMs?: number;
  /** Where journal, conversations and outbox live (default: {@link defaultStore} of `db`). */
  store?: ConversationStore;
  /** This instance's name in leases (default host, pid and a random suffix). */
  instanceId?: string;
  /** Turns run at once by this instance (default 2 on SQLite, where transactions run one at a time; 8 on PostgreSQL). */
  concurrency?: number;
  /** How often to look for events admitted by other instances or due again (ms, default 250). */
  pollMs?: number;
  /**
   * Most turns of different conversations that share one transaction (default 16 on SQLite,
   * where a commit costs more than a turn's statements and transactions run one at a time;
   * 1 on PostgreSQL, where turns run side by side). Under light load batches are as small as what is waiting.
   */
  turnsPerTransaction?: number;
  /** Attempts of an event before it is marked failed (default 5). */
  maxAttempts?: number;
  /**
   * Run journal workers and the outbox sender in this process (default true). A command-line
   * tool that only admits events (an order update) sets false: the server processes them.
   */
  workers?: boolean;
  /**
   * At start, free the outbox leases a stopped process left (SQLite only, where one server
   * uses the file): replies in flight at a crash go out at once. Only the server sets it,
   * never a tool that runs beside it.
   */
  reclaimOutboxLeases?: boolean;
  /** Settings of the outbox sender. */
  outbox?: Omit<OutboxSenderOptions, 'store' | 'logger' | 'owner'>;
  /** Told about every turn, for metrics. */
  observer?: EngineObserver;
  /** How often to look for hand-offs that no one answered in time (ms, default 5 000). */
  handoffPollMs?: number;
}

/** What the engine reports, for metrics. */
export interface EngineObserver {
  onTurn?(turn: { botId: string; channel: string; seconds: number; outcome: 'done' | 'retry' | 'failed' }): void;
  onAdmitted?(channel: string, duplicate: boolean): void;
  /** A payment provider's event was applied (outcome as its handler reports it). */
  onProviderEvent?(provider: string, outcome: string): void;
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

/** Handles a payment provider's verified event inside the journal's transaction; returns its outcome (for metrics). */
export type ProviderEventHandler = (tx: DbClient, event: unknown, context: {
  /** Tells a conversation (admits a system event in the same transaction). */
  notify(conversationId: string, event: SystemInput, eventId: string): Promise<void>;
  logger: Logger;
}) => Promise<string | undefined>;

/**
 * The Vitrine runtime. Every event is first admitted to the journal (on
 * disk; admissions that arrive together share one commit); workers take each
 * conversation's oldest event inside the turn's transaction (a row lock on
 * PostgreSQL, so one conversation runs on one instance at a time), run the turn in that transaction (state, cart and orders, replies into the
 * outbox, event done) and the outbox sender delivers the replies.
 */
export interface Engine {
  /** Admits customer messages; their replies leave through the outbox. Resolves once they are on disk. */
  admit(messages: readonly InboundMessage[]): Promise<Admission[]>;
  /** Admits a message and waits for its turn (and the work it caused); the caller delivers the replies. */
  process(message: InboundMessage): Promise<TurnResult>;
  /** Like {@link Engine.process}, the replies only. */
  handle(message: InboundMessage): Promise<OutboundMessage[]>;
  /** Admits an event from outside the chat (an order update) into a conversation; replies leave through the outbox. */
  notify(conversationId: string, event: SystemInput, options?: { eventId?: string; tx?: DbClient }): Promise<Admission>;
  /** Admits a payment provider's verified webhook event; its handler runs in the journal's transaction. */
  admitProviderEvent(provider: string, eventId: string, orderKey: string, event: unknown): Promise<Admission>;
  /** Registers the handler of a provider's events. */
  onProviderEvent(provider: string, handler: ProviderEventHandler): void;
  /** Looks for admitted events now: call it after committing a transaction in which {@link Engine.notify} admitted one (`{ tx }`). */
  wake(): void;
  /** The outbox sender: channels register their senders on it. */
  readonly outbox: OutboxSender;
  readonly store: ConversationStore;
  /** Loaded bots by id. */
  readonly bots: ReadonlyMap<string, LoadedBot>;
  /**
   * Replaces a bot's configuration (after its files changed). A bot with
   * problems throws a `ConfigError` and the running version stays.
   */
  reloadBot(bot: LoadedBot): void;
  /**
   * Replaces a flow (after its file changed), once the bots running it are
   * checked against it (a problem: `ConfigError`, nothing changes).
   * Conversations saved with another `version` restart politely.
   */
  reloadFlow(flow: FlowDefinition): void;
  /** Resolves when nothing admitted is waiting and no due reply is unsent on a registered channel (tests, shutdown). */
  idle(timeoutMs?: number): Promise<void>;
  /** Alias of {@link Engine.idle}. */
  drain(): Promise<void>;
  /** Stops claiming events and sending replies; what is left stays on disk for the next start. */
  stop(): Promise<void>;
}

/** The key that orders a conversation's events. */
export const conversationKey = (botId: string, channel: string, customerId: string): string => `${botId}|${channel}|${customerId}`;

/**
 * Creates an engine and starts its journal workers and outbox sender. Bots
 * are checked against flows, steps, texts and payment providers first: a
 * problem is a {@link ConfigError} naming file and path.
 *
 * @example
 * ```ts
 * const engine = await createEngine({ db, bots: [bot], flows, steps, i18n });
 * const replies = await engine.handle({ kind: 'text', text: 'padaria', messageId: 'm1',
 *   channel: 'console', botId: 'directory', customer: { id: 'ana' } });
 * await engine.stop();
 * ```
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const { db, steps, i18n } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const clock = options.clock ?? systemClock;
  const store = options.store ?? defaultStore(db, clock);
  const sqlite = databaseFlavour(db) === 'sqlite';
  const turnsPerTransaction = Math.max(1, options.turnsPerTransaction ?? (sqlite ? 16 : 1));
  const owner = options.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const turnTimeoutMs = options.turnTimeoutMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const observer = options.observer ?? {};
  const providers = new Map<string, PaymentProvider>([[recordOnlyPaymentProvider.id, recordOnlyPaymentProvider]]);
  for (const p of options.payments ?? []) providers.set(p.id, p);
  // The methods a bot offers where the order's business is, and its fee's line in the order's words (read when a payment starts, so after `registry` exists).
  const choicesOf = (order: OrderRecord) => {
    const bot = registry.find(order.botId);
    const payments = bot?.spec.payments;
    // A business's own list comes before the bot's list for its country.
    const own = bot?.businesses.find((b) => b.slug === order.businessSlug)?.paymentMethods;
    const paymentMethods = own ?? paymentMethodsFor(payments?.methods, order.country);
    const inChat = payments?.inChat?.filter((m) => !paymentMethods || paymentMethods.includes(m));
    const zone = order.fulfilment?.zone;
    const feeLabel = order.feeMinor ? i18n.t(order.botId, order.locale)(zone ? 'fulfilment.feeLineZone' : 'fulfilment.feeLine', { zone }) : undefined;
    return { ...(paymentMethods ? { paymentMethods } : {}), ...(inChat && inChat.length > 0 ? { inChat } : {}), ...(feeLabel ? { feeLabel } : {}) };
  };
  const effects: Record<string, TurnEffect> = paymentEffects(providers, logger, clock, choicesOf);
  const providerHandlers = new Map<string, ProviderEventHandler>();
  // Providers with a webhook: their verified events are applied by any instance's workers.
  for (const p of providers.values()) if (p.webhook) providerHandlers.set(p.id, paymentEventHandler(p, clock));
  // The engine's own map: a reloaded flow replaces its entry for the bots' checks and the turns.
  const flows = new Map(options.flows);
  const registry = new BotRegistry({
    flows, steps, i18n, paymentProviders: [...providers.keys()], paymentMethods: Object.fromEntries([...providers.values()].map((p) => [p.id, p.methods])),
    paymentInChat: Object.fromEntries([...providers.values()].map((p) => [p.id, p.inChat])),
    ...(options.paymentProvidersOff ? { paymentProvidersOff: options.paymentProvidersOff } : {}), ...(options.channels ? { channels: options.channels } : {}),
  });
  for (const bot of options.bots) {
    try {
      registry.add(bot);
    } catch (err) {
      if (!(err instanceof ConfigError) || !options.onBrokenBot) throw err;
      options.onBrokenBot(bot, err);
    }
  }
  const turns = new TurnRunner({ flows, steps, i18n, turnTimeoutMs, ...(options.channels ? { channels: options.channels } : {}) });
  const services = createTurnServices({ providers, clock, logger, stopWords: i18n.words().stop, ...(options.ids ? { ids: options.ids } : {}) });
  const outbox = new OutboxSender({ store, logger, owner, clock, ...options.outbox });
  const waiter = new CompletionWaiter(store);

  const journal = createJournalWorker({
    db, store, registry, turns, services, effects, providerHandlers, i18n, outbox, waiter, logger, observer, owner, maxAttempts, turnsPerTransaction,
    concurrency: options.concurrency ?? (sqlite ? 2 : 8), pollMs: options.pollMs ?? 250, clock,
    notify: (conversationId, event, tx, eventId) => notify(conversationId, event, { eventId, tx }),
  });
  // Customers whose hand-off no one answered in time hear so, once (the due times are in the database).
  const timeouts = handoffTimeouts({
    db, store, clock, logger, pollMs: options.handoffPollMs ?? 5_000, admitted: () => journal.wake(),
    notify: (conversationId, event, tx, eventId) => notify(conversationId, event, { eventId, tx }),
  });
  // Admissions that arrive together are written in one transaction.
  const admissions = new GroupCommit<JournalInput, Admission>((events) => store.admit(events));

  function journalInput(message: InboundMessage, delivery: ReplyRoute): JournalInput {
    return {
      botId: message.botId, channel: message.channel, messageId: message.messageId,
      conversationKey: conversationKey(message.botId, message.channel, message.customer.id), payload: { type: 'message', message }, delivery,
    };
  }

  async function admit(messages: readonly InboundMessage[]): Promise<Admission[]> {
    for (const m of messages) registry.get(m.botId);
    const admitted = await admissions.add(messages.map((m) => journalInput(m, 'outbox')));
    for (const [i, a] of admitted.entries()) observer.onAdmitted?.(messages[i]?.channel ?? '', a.duplicate);
    journal.wake();
    return admitted;
  }

  async function notify(conversationId: string, event: SystemInput, opts: { eventId?: string; tx?: DbClient } = {}): Promise<Admission> {
    const client = opts.tx ?? db;
    const conversation = await store.conversation(client, conversationId);
    if (!conversation) throw new VitrineError('VT_ERR_INTERNAL', `No conversation ${conversationId}`);
    const eventId = opts.eventId ?? `${event.event}:${randomBytes(8).toString('hex')}`;
    const input: JournalInput = {
      botId: conversation.botId, channel: conversation.channel, messageId: `system:${eventId}`,
      conversationKey: conversationKey(conversation.botId, conversation.channel, conversation.externalCustomerId),
      payload: { type: 'system', conversationId, event }, delivery: 'outbox',
    };
    const [admission] = opts.tx ? await store.admit([input], opts.tx) : await admissions.add([input]);
    if (!opts.tx) journal.wake();
    return admission as Admission;
  }

  async function processMessage(message: InboundMessage): Promise<TurnResult> {
    registry.get(message.botId);
    if (!workers) throw new VitrineError('VT_ERR_ENGINE_STOPPED', 'This engine runs no workers (workers: false): admit the message instead');
    const [admission] = await admissions.add([journalInput(message, 'caller')]);
    if (!admission) throw new VitrineError('VT_ERR_INTERNAL', 'The message was not admitted');
    journal.wake();
    const completion = await waiter.wait(admission.id);
    const { entry } = completion;
    if (entry.status === 'failed') throw new VitrineError('VT_ERR_INTERNAL', `The message could not be handled: ${entry.error ?? 'unknown error'}`, { context: { messageId: message.messageId } });
    const replies = [...entry.replies];
    // Work the turn caused (a payment being started) answers the same caller; a duplicate gets them all again.
    for (const next of await waiter.followUps(completion)) replies.push(...next.replies);
    const locale = completion.locale ?? (entry.conversationId ? (await store.conversation(db, entry.conversationId))?.locale : undefined);
    return {
      replies, duplicate: admission.duplicate, conversationId: entry.conversationId ?? '', botId: message.botId, channel: message.channel,
      customerId: message.customer.id, locale: locale ?? registry.get(message.botId).runtime.defaultLocale,
    };
  }

  async function idle(timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const backlog = await store.backlog();
      const sendable = backlog.outbox === 0 ? 0 : await store.sendableCount(outbox.channels);
      if (backlog.journal === 0 && sendable === 0 && journal.busy === 0 && outbox.busy === 0) return;
      if (Date.now() > until) throw new VitrineError('VT_ERR_INTERNAL', `Still busy after ${timeoutMs} ms: ${JSON.stringify(backlog)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  if (options.reclaimOutboxLeases && sqlite) {
    // One server per SQLite file: replies a previous process was sending when it stopped go out now.
    const freed = await store.releaseOutboxLeases();
    if (freed > 0) logger.info({ replies: freed }, 'replies left in flight by the previous run will be sent again');
  }
  const workers = options.workers ?? true;
  if (workers) {
    journal.start();
    outbox.start();
    timeouts.start();
  }
  return {
    admit,
    process: processMessage,
    notify,
    async handle(message) {
      return (await processMessage(message)).replies;
    },
    async admitProviderEvent(provider, eventId, orderKey, event) {
      const [admission] = await admissions.add([{
        botId: '', channel: provider, messageId: eventId, conversationKey: `${provider}|${orderKey}`, payload: { type: 'provider', provider, event }, delivery: 'outbox',
      }]);
      journal.wake();
      return admission as Admission;
    },
    onProviderEvent(provider, handler) {
      providerHandlers.set(provider, handler);
    },
    wake: () => journal.wake(),
    outbox,
    store,
    bots: registry.bots,
    reloadBot: (bot) => registry.add(bot),
    reloadFlow(flow) {
      const problems = registry.checkFlow(flow);
      if (problems.length > 0) throw new ConfigError(problems);
      flows.set(flow.id, flow);
      turns.setFlow(flow);
    },
    idle,
    drain: () => idle(),
    async stop() {
      await timeouts.stop();
      await journal.stop();
      await outbox.stop();
    },
  };
}
