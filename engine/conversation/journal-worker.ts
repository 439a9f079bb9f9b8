import type { Logger } from 'pino';
import type { Db } from '../db/open-database.ts';
import type { DbClient } from '../db/db-client.ts';
import { isVitrineError, toVitrineError, VitrineError } from '../errors.ts';
import type { I18n } from '../i18n/create-i18n.ts';
import type { OutboundMessage } from '../messages.ts';
import type { TurnEffect } from '../payments/payment-effects.ts';
import { orderNotice } from '../payments/order-notice.ts';
import type { StepInput, SystemInput } from '../flow/step.ts';
import type { Admission, ConversationRow, ConversationStore, JournalEntry, OutboxEntry, OutboxInput } from '../store/conversation-store.ts';
import type { OutboxSender } from '../outbox/outbox-sender.ts';
import type { EngineObserver, ProviderEventHandler } from './engine.ts';
import { firstLocale, type BotRegistry } from './bot-registry.ts';
import type { CompletionWaiter } from './completion-waiter.ts';
import type { TurnServicesFactory } from './turn-services.ts';
import type { TurnRunner } from './turn.ts';
import { batches, WorkLoop } from './work-loop.ts';
import type { Clock } from '../services.ts';
import { pausedTurn } from '../handoff/handoffs.ts';

/** What {@link createJournalWorker} works with: the engine's parts. */
export interface JournalWorkerDeps {
  db: Db;
  store: ConversationStore;
  registry: BotRegistry;
  turns: TurnRunner;
  services: TurnServicesFactory;
  /** Work of system events that calls the network before their turn (a payment being started). */
  effects: Readonly<Record<string, TurnEffect>>;
  providerHandlers: ReadonlyMap<string, ProviderEventHandler>;
  i18n: I18n;
  outbox: OutboxSender;
  waiter: CompletionWaiter;
  logger: Logger;
  observer: EngineObserver;
  /** This instance's name in leases. */
  owner: string;
  maxAttempts: number;
  turnsPerTransaction: number;
  concurrency: number;
  pollMs: number;
  /** The engine's clock (a customer's message kept for a person is stamped with it). */
  clock: Clock;
  /** Admits a system event for a conversation inside the transaction `tx`. */
  notify(conversationId: string, event: SystemInput, tx: DbClient, eventId: string): Promise<Admission>;
}

/** The journal's workers, as the engine drives them. */
export interface JournalWorker {
  start(): void;
  /** Looks for work now (something was admitted or finished). */
  wake(): void;
  /** Stops taking events; resolves when the turns running have ended. */
  stop(): Promise<void>;
  /** Turns (or batches of turns) running now. */
  readonly busy: number;
}

const CONFLICT_RETRIES = 3;

/**
 * Runs the journal: takes each conversation's oldest admitted event (one
 * conversation at a time on this instance; the database decides between
 * instances), runs its turn in a transaction — several conversations' turns
 * share one commit where the store makes commits dear — and then wakes the
 * outbox and whoever waits for the result. A failed event is retried with
 * backoff and marked failed after `maxAttempts`.
 *
 * @example
 * ```ts
 * const journal = createJournalWorker({ db, store, registry, turns, services, effects, providerHandlers, i18n, outbox, waiter,
 *   logger, observer, owner: 'host:1', maxAttempts: 5, turnsPerTransaction: 16, concurrency: 2, pollMs: 250, notify });
 * journal.start();
 * ```
 */
export function createJournalWorker(deps: JournalWorkerDeps): JournalWorker {
  const { db, store, registry, turns, services, effects, providerHandlers, i18n, outbox, waiter, logger, observer, owner, maxAttempts, turnsPerTransaction } = deps;
  // Conversations this instance is running: their next events wait (the database decides between instances).
  const running = new Set<string>();
  const journal = new WorkLoop<JournalEntry[]>({
    name: 'journal', concurrency: deps.concurrency, pollMs: deps.pollMs, logger,
    claim: async (limit) => {
      const ready = await store.candidates(limit * turnsPerTransaction, running);
      for (const entry of ready) running.add(entry.conversationKey);
      return batches(ready, turnsPerTransaction, (entry) => !needsOwnTransaction(entry));
    },
    run: async (batch) => {
      try {
        await (batch.length === 1 && batch[0] ? runEntry(batch[0]) : runBatch(batch));
      } finally {
        for (const entry of batch) running.delete(entry.conversationKey);
      }
    },
  });
  /** What a finished turn leaves for a waiting caller. */
  type Finished = {
    conversationId: string | null; replies: OutboundMessage[]; followUps: number; locale?: string; remember?: () => void;
    /** Replies written leased to this instance's sender, handed to it after the commit. */
    dispatch?: { owner: string; entries: OutboxEntry[] };
  };
  const nothing: Finished = { conversationId: null, replies: [], followUps: 0 };

  /** Whether an event needs a transaction of its own: provider events, and events whose effect calls the network first. */
  function needsOwnTransaction(entry: JournalEntry): boolean {
    return entry.payload.type === 'provider' || (entry.payload.type === 'system' && effects[entry.payload.event.event] !== undefined);
  }

  /** One conversation turn inside the transaction `tx`: take the event, run the flow, save, reply, finish. */
  async function turnIn(tx: DbClient, entry: JournalEntry, log: Logger, prepared?: { input: SystemInput; effect: TurnEffect }): Promise<Finished> {
    const { payload } = entry;
    await store.take(tx, entry.id, owner);
    let conversation: ConversationRow | undefined;
    let input: StepInput | undefined;
    let first: string | undefined;
    if (payload.type === 'message') {
      const { message } = payload;
      const bot = registry.get(message.botId);
      conversation = await store.openConversation(tx, message, { flowId: bot.runtime.flowId, locale: bot.runtime.defaultLocale });
      const detected = conversation.isNew && message.kind === 'text' ? registry.intents(bot.runtime.id).match(message.text) : undefined;
      first = conversation.isNew ? firstLocale(bot, message, detected) : undefined;
      const startOnly = conversation.isNew && (detected?.intent === 'greeting' || detected?.intent === 'language' || detected?.intent === 'restart');
      input = startOnly ? undefined : message;
      // Handed to a person: the bot is quiet, unless the customer chose to carry on with it.
      const startsOver = (text: string) => registry.intents(bot.runtime.id).match(text)?.intent === 'restart';
      const paused = conversation.isNew ? undefined : await pausedTurn(tx, conversation.id, message, deps.clock, i18n.t(bot.runtime.id, conversation.locale), startsOver);
      if (paused?.kind === 'handBack') input = paused.input;
      else if (paused) return pausedFinish(tx, entry, conversation, paused.kind === 'replied' ? paused.replies : []);
    } else if (payload.type === 'system') {
      conversation = await store.conversation(tx, payload.conversationId);
      input = prepared?.input ?? payload.event;
    }
    if (!conversation) {
      log.warn('event for a conversation that does not exist: nothing to do');
      await store.finish(tx, entry.id, owner, nothing);
      return nothing;
    }
    const bot = registry.get(conversation.botId);
    if (prepared?.effect.record && input?.kind === 'system') await prepared.effect.record(tx, input);
    const later: SystemInput[] = [];
    const out = await turns.run({
      conversation, bot, input, firstLocale: first, intents: registry.intents(bot.runtime.id), logger: log,
      services: services(tx, bot, log, (event) => later.push(event)),
    });
    let replies = out.replies;
    const orderId = input?.kind === 'system' ? input.data['orderId'] : undefined;
    if (replies.length === 0 && input?.kind === 'system' && typeof orderId === 'string') {
      replies = await orderNotice(tx, i18n, { botId: bot.runtime.id, locale: out.locale }, input.event, orderId);
    }
    const saved = await store.saveConversation(tx, conversation.id, conversation.version, {
      snapshot: out.snapshot, flowId: out.flowId, flowVersion: out.flowVersion, locale: out.locale,
    });
    if (!saved) throw new VitrineError('VT_ERR_CONVERSATION_CONFLICT', 'The conversation changed while this event was processed', { context: { conversationId: conversation.id } });
    await store.admit(later.map((event, i) => ({
      botId: bot.runtime.id, channel: conversation.channel, messageId: `${entry.messageId}>${i}:${event.event}`,
      conversationKey: entry.conversationKey, payload: { type: 'system', conversationId: conversation.id, event }, delivery: entry.delivery,
    })), tx);
    const dispatch = entry.delivery === 'outbox' ? await appendReplies(tx, replies.map((message) => ({
      botId: bot.runtime.id, channel: conversation.channel, customerId: conversation.externalCustomerId,
      conversationId: conversation.id, locale: out.locale, message, inboundEventId: entry.id,
    }))) : undefined;
    await store.finish(tx, entry.id, owner, { conversationId: conversation.id, replies });
    return { conversationId: conversation.id, replies, followUps: later.length, locale: out.locale, remember: out.remember, ...(dispatch ? { dispatch } : {}) };
  }

  /**
   * Writes a turn's replies into the outbox: leased to this instance's sender
   * when it delivers their channel and the customer has no earlier reply
   * unsent (the sender then takes them at the commit, see `turnDone`), else
   * to be claimed.
   */
  async function appendReplies(tx: DbClient, rows: OutboxInput[]): Promise<Finished['dispatch']> {
    const [first] = rows;
    const lease = first && store.appendLeased ? outbox.leaseFor(first.channel) : undefined;
    if (!lease || !store.appendLeased) {
      await store.appendOutbox(tx, rows);
      return undefined;
    }
    const entries = await store.appendLeased(tx, rows, lease);
    return entries.length > 0 ? { owner: lease.owner, entries } : undefined;
  }

  /** Finishes a customer's message that the flow does not hear (a person has the conversation). */
  async function pausedFinish(tx: DbClient, entry: JournalEntry, conversation: ConversationRow, replies: OutboundMessage[]): Promise<Finished> {
    if (entry.delivery === 'outbox') {
      await store.appendOutbox(tx, replies.map((message) => ({
        botId: conversation.botId, channel: conversation.channel, customerId: conversation.externalCustomerId,
        conversationId: conversation.id, locale: conversation.locale, message, inboundEventId: entry.id,
      })));
    }
    await store.finish(tx, entry.id, owner, { conversationId: conversation.id, replies });
    return { conversationId: conversation.id, replies, followUps: 0, locale: conversation.locale };
  }

  async function conversationTurn(entry: JournalEntry, log: Logger): Promise<Finished> {
    const { payload } = entry;
    let prepared: { input: SystemInput; effect: TurnEffect } | undefined;
    if (payload.type === 'system') {
      const effect = effects[payload.event.event];
      if (effect) prepared = { input: await effect.prepare(db, payload.event), effect };
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await store.transaction((tx) => turnIn(tx, entry, log, prepared));
      } catch (err) {
        if (isVitrineError(err, 'VT_ERR_CONVERSATION_CONFLICT') && attempt < CONFLICT_RETRIES) {
          log.info({ attempt }, 'conversation changed meanwhile: running the turn again');
          continue;
        }
        throw err;
      }
    }
  }

  async function providerTurn(entry: JournalEntry, log: Logger): Promise<Finished> {
    if (entry.payload.type !== 'provider') return nothing;
    const { provider, event } = entry.payload;
    const handler = providerHandlers.get(provider);
    if (!handler) throw new VitrineError('VT_ERR_PAYMENT_PROVIDER_UNKNOWN', `No handler for ${provider} events is registered`);
    const outcome = await store.transaction(async (tx) => {
      await store.take(tx, entry.id, owner);
      const result = await handler(tx, event, {
        logger: log,
        notify: async (conversationId, systemEvent, eventId) => void (await deps.notify(conversationId, systemEvent, tx, eventId)),
      });
      await store.finish(tx, entry.id, owner, nothing);
      return result;
    });
    observer.onProviderEvent?.(provider, outcome ?? 'done');
    return nothing;
  }

  const turnLogger = (entry: JournalEntry) => logger.child({ inboundEventId: entry.id, conversationKey: entry.conversationKey });

  /** After the turn's commit. */
  function turnDone(entry: JournalEntry, finished: Finished, started: number): void {
    finished.remember?.();
    observer.onTurn?.({ botId: entry.botId, channel: entry.channel, seconds: (performance.now() - started) / 1000, outcome: 'done' });
    // Replies written leased leave now; others (or none written) are claimed.
    if (finished.dispatch) outbox.dispatch(finished.dispatch.owner, finished.dispatch.entries);
    else if (entry.delivery === 'outbox') outbox.wake();
    journal.wake();
    waiter.done(entry.id, { entry: { ...entry, status: 'done', conversationId: finished.conversationId, replies: finished.replies }, followUps: finished.followUps, ...(finished.locale ? { locale: finished.locale } : {}) });
  }

  async function turnFailed(entry: JournalEntry, err: unknown, started: number, log: Logger): Promise<void> {
    const error = toVitrineError(err);
    if (isVitrineError(err, 'VT_ERR_LEASE_LOST')) {
      log.debug('the event is done already or another instance has it');
      return;
    }
    const attempts = entry.attempts + 1;
    const final = attempts >= maxAttempts || isVitrineError(err, 'VT_ERR_BOT_UNKNOWN');
    if (final) {
      log.error({ err: error, attempts }, 'event failed for good');
      await store.fail(entry.id, error.message);
      waiter.done(entry.id, { entry: { ...entry, status: 'failed', error: error.message }, followUps: 0 });
    } else {
      const delayMs = Math.min(60_000, 500 * 2 ** (attempts - 1));
      log.warn({ err: error, attempts, delayMs }, 'event failed; it will be tried again');
      await store.release(entry.id, error.message, delayMs);
    }
    observer.onTurn?.({ botId: entry.botId, channel: entry.channel, seconds: (performance.now() - started) / 1000, outcome: final ? 'failed' : 'retry' });
  }

  async function runEntry(entry: JournalEntry): Promise<void> {
    const log = turnLogger(entry);
    const started = performance.now();
    try {
      turnDone(entry, entry.payload.type === 'provider' ? await providerTurn(entry, log) : await conversationTurn(entry, log), started);
    } catch (err) {
      await turnFailed(entry, err, started, log);
    }
  }

  /**
   * Several turns of different conversations in one transaction (one commit),
   * each in a savepoint: a turn that throws is undone alone and handled as if
   * it had run by itself; one that met a concurrent change runs again alone.
   */
  async function runBatch(batch: readonly JournalEntry[]): Promise<void> {
    const started = performance.now();
    const outcomes = new Map<number, Finished | { error: unknown }>();
    try {
      await store.transaction(async (tx) => {
        for (const entry of batch) {
          try {
            outcomes.set(entry.id, await store.savepoint(tx, () => turnIn(tx, entry, turnLogger(entry))));
          } catch (error) {
            outcomes.set(entry.id, { error });
          }
        }
      });
    } catch (error) {
      // The commit failed: none of these turns happened.
      for (const entry of batch) outcomes.set(entry.id, { error });
    }
    for (const entry of batch) {
      const outcome = outcomes.get(entry.id) ?? { error: new VitrineError('VT_ERR_INTERNAL', 'The turn did not run') };
      if (!('error' in outcome)) turnDone(entry, outcome, started);
      else if (isVitrineError(outcome.error, 'VT_ERR_CONVERSATION_CONFLICT')) await runEntry(entry);
      else await turnFailed(entry, outcome.error, started, turnLogger(entry));
    }
  }


  return {
    start: () => journal.start(),
    wake: () => journal.wake(),
    stop: () => journal.stop(),
    get busy() {
      return journal.busy;
    },
  };
}
