import type { DbClient } from '../db/db-client.ts';
import type { SystemInput } from '../flow/step.ts';
import type { InboundMessage, OutboundMessage } from '../messages.ts';

/**
 * What an inbound journal row carries:
 * - `message`: a customer's message from a channel;
 * - `system`: an event from outside the chat (a payment result, an order update) for a conversation;
 * - `provider`: a payment provider's verified webhook event, processed before any conversation hears of it.
 */
export type JournalPayload =
  | { type: 'message'; message: InboundMessage }
  | { type: 'system'; conversationId: string; event: SystemInput }
  | { type: 'provider'; provider: string; event: unknown };

/** Who takes a turn's replies: the outbox (channels), or the caller that waits for them (console, tests). */
export type ReplyRoute = 'outbox' | 'caller';

/** One event to admit into the journal. */
export interface JournalInput {
  botId: string;
  channel: string;
  /** The channel's id for the event: a second admission with the same id is a duplicate. */
  messageId: string;
  /** Events with the same key are processed one at a time, in admission order. */
  conversationKey: string;
  payload: JournalPayload;
  delivery: ReplyRoute;
}

/** The state of an admitted event. */
export type JournalStatus = 'admitted' | 'done' | 'failed';

/** What {@link ConversationStore.admit} did with one event. */
export interface Admission {
  id: number;
  /** True when the id was admitted before: nothing new was written. */
  duplicate: boolean;
  status: JournalStatus;
}

/** A journal row as a worker sees it. */
export interface JournalEntry extends JournalInput {
  id: number;
  status: JournalStatus;
  /** Failed attempts so far. */
  attempts: number;
  conversationId: string | null;
  replies: OutboundMessage[];
  error: string | null;
}

/** A reply to send, as written by a turn. */
export interface OutboxInput {
  botId: string;
  channel: string;
  /** The channel's id for the customer. */
  customerId: string;
  conversationId: string;
  locale: string;
  message: OutboundMessage;
  inboundEventId?: number;
}

/** A claimed outbox row. */
export interface OutboxEntry extends OutboxInput {
  id: number;
  attempts: number;
}

/** How much work is waiting, for `/ready`, logs and metrics. */
export interface Backlog {
  /** Journal events admitted and not finished. */
  journal: number;
  /** Replies waiting to be sent. */
  outbox: number;
  /** Replies given up on after their attempts ran out or a permanent error. */
  deadLetters: number;
  /** Journal events that failed for good. */
  failedEvents: number;
}

/** The conversation row a turn works on. */
export interface ConversationRow {
  id: string;
  botId: string;
  channel: string;
  customerId: string;
  /** The channel's id for the customer. */
  externalCustomerId: string;
  flowId: string;
  flowVersion: number;
  snapshot: string;
  version: number;
  locale: string;
  /** True when this turn created it. */
  isNew: boolean;
}

/**
 * The storage seam of the runtime: the journal of inbound events, the
 * conversations and the outbox. The engine talks to this interface only;
 * `createPrismaStore` implements it for SQLite and PostgreSQL, `createSqliteStore`
 * with native statements for SQLite.
 *
 * Methods that take a `tx` run inside the caller's transaction (the turn's).
 *
 * @example
 * ```ts
 * const store = createPrismaStore(db);
 * const [admission] = await store.admit([{ botId: 'directory', channel: 'whatsapp', messageId: 'wamid.1',
 *   conversationKey: 'directory|whatsapp|5511…', payload: { type: 'message', message }, delivery: 'outbox' }]);
 * const [next] = await store.candidates(16, new Set());
 * await store.transaction(async (tx) => { await store.take(tx, next.id, 'instance-1'); … await store.finish(tx, next.id, 'instance-1', result); });
 * ```
 */
export interface ConversationStore {
  /** Runs `work` in one database transaction. */
  transaction<T>(work: (tx: DbClient) => Promise<T>): Promise<T>;
  /**
   * Runs `work` inside the transaction `tx` so that, if it throws, what it
   * wrote is undone and the rest of the transaction stands (a savepoint):
   * several turns can share one commit.
   */
  savepoint<T>(tx: DbClient, work: () => Promise<T>): Promise<T>;

  /** Durably admits events (one transaction for the batch); duplicates are reported, not written. */
  admit(events: readonly JournalInput[], tx?: DbClient): Promise<Admission[]>;
  /**
   * Up to `limit` events that can run now: each the oldest unfinished event
   * of its conversation, not waiting for a retry, and not of a conversation
   * in `busy` (those this instance is running). Reads only: the event is
   * taken inside the turn's transaction with {@link ConversationStore.take}.
   */
  candidates(limit: number, busy: ReadonlySet<string>): Promise<JournalEntry[]>;
  /**
   * Takes an event inside the turn's transaction (on PostgreSQL the row stays
   * locked until the commit, so no other instance runs it meanwhile); throws
   * `VT_ERR_LEASE_LOST` when it is done already or another instance has it.
   */
  take(tx: DbClient, id: number, owner: string): Promise<void>;
  /** Marks a taken event done with its replies, inside the turn's transaction. */
  finish(tx: DbClient, id: number, owner: string, result: { conversationId: string | null; replies: OutboundMessage[] }): Promise<void>;
  /** Counts a failed attempt at an event, to be tried again after `delayMs`. */
  release(id: number, error: string, delayMs: number): Promise<void>;
  /** Marks an event failed for good. */
  fail(id: number, error: string): Promise<void>;
  /** An event by id. */
  entry(id: number): Promise<JournalEntry | undefined>;
  /** The events an event caused (their message ids extend its own), oldest first. */
  followUps(entry: JournalEntry): Promise<JournalEntry[]>;

  /** Finds or creates the customer and their conversation with a bot on a channel. */
  openConversation(tx: DbClient, address: { botId: string; channel: string; customer: { id: string; name?: string; phone?: string; locale?: string } }, defaults: { flowId: string; locale: string }): Promise<ConversationRow>;
  /** A conversation by id, with its customer's channel id. */
  conversation(tx: DbClient, id: string): Promise<ConversationRow | undefined>;
  /** Saves a conversation if its version is unchanged (returns false on a conflict). */
  saveConversation(tx: DbClient, id: string, version: number, data: { snapshot: string; flowId: string; flowVersion: number; locale: string }): Promise<boolean>;

  /** Appends replies to the outbox, inside the turn's transaction. */
  appendOutbox(tx: DbClient, rows: readonly OutboxInput[]): Promise<void>;
  /**
   * Appends one customer's replies already leased to `lease.owner` until
   * `lease.until`, inside the turn's transaction, and returns them: the sender
   * delivers them once the transaction commits, without claiming them. When
   * earlier replies of that customer are still unsent, the rows are appended
   * unleased instead (as by {@link ConversationStore.appendOutbox}, to be
   * claimed after those) and none are returned. Optional: a store without it
   * has every reply claimed.
   */
  appendLeased?(tx: DbClient, rows: readonly OutboxInput[], lease: { owner: string; until: Date }): Promise<OutboxEntry[]>;
  /**
   * Leases up to `limit` due replies on the given channels, each the oldest
   * unsent reply of its customer (a reply waiting for a retry holds back the later ones).
   */
  claimOutbox(owner: string, channels: readonly string[], limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  /** Marks replies sent, each if still held under its lease (one transaction for all of them). */
  markSent(rows: readonly { id: number; lease: string }[]): Promise<void>;
  /** Schedules another attempt at `at`; `countAttempt: false` when the customer was only away. */
  markRetry(id: number, owner: string, error: string, at: Date, countAttempt?: boolean): Promise<void>;
  markDead(id: number, owner: string, error: string): Promise<void>;
  /** Extends this sender's leases that are still running; returns how many it still holds. */
  renewOutboxLeases(ids: readonly number[], owner: string, leaseMs: number): Promise<number>;
  /** Gives leased replies back untouched (they wait behind an earlier reply of their customer). */
  unlease(ids: readonly number[], owner: string): Promise<void>;
  /**
   * Frees every outbox lease (replies a stopped process was sending): for a
   * database only this instance uses (SQLite), at start. Returns how many.
   */
  releaseOutboxLeases(): Promise<number>;
  /** Makes a customer's waiting replies due now (they came back). Returns how many. */
  wakeOutbox(to: { botId: string; channel: string; customerId: string }): Promise<number>;

  /** How many replies on these channels could leave now (not waiting for a retry, a returning customer or an earlier reply). */
  sendableCount(channels: readonly string[]): Promise<number>;
  backlog(): Promise<Backlog>;
}
