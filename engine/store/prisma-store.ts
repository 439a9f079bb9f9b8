import type { Db } from '../db/open-database.ts';
import type { DbClient } from '../db/db-client.ts';
import { VitrineError } from '../errors.ts';
import type { OutboundMessage } from '../messages.ts';
import type { Clock } from '../services.ts';
import { systemClock } from '../services.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import type {
  Admission, Backlog, ConversationRow, ConversationStore, JournalEntry, JournalInput, JournalPayload, JournalStatus, OutboxEntry, OutboxInput, ReplyRoute,
} from './conversation-store.ts';
import { customerOfReplies, firstOutboxPage, JOURNAL_WINDOW, nextEvents, nextOutboxPage, OUTBOX_SCAN, sendableReplies } from './claim-rules.ts';

/** An `InboundEvent` row as both stores read it. */
export interface InboundRow {
  id: number; botId: string; channel: string; messageId: string; conversationKey: string; payload: string; delivery: string;
  status: string; attempts: number; conversationId: string | null; replies: string; error: string | null;
}

/** A journal row as the engine sees it (payload and replies parsed). */
export function toEntry(row: InboundRow): JournalEntry {
  return {
    id: row.id, botId: row.botId, channel: row.channel, messageId: row.messageId, conversationKey: row.conversationKey,
    payload: JSON.parse(row.payload) as JournalPayload, delivery: row.delivery as ReplyRoute, status: row.status as JournalStatus,
    attempts: row.attempts, conversationId: row.conversationId, replies: JSON.parse(row.replies) as OutboundMessage[], error: row.error,
  };
}

const leaseFree = (now: Date) => ({ OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] });

/**
 * The {@link ConversationStore} over Prisma, for SQLite and PostgreSQL alike.
 * Every write runs in a transaction: on SQLite the driver shares one
 * connection, and a write outside a transaction would join (and could be
 * rolled back with) a turn that is open at the same moment.
 *
 * @example
 * ```ts
 * const store = createPrismaStore(await openDatabase({ url: 'file:./data/vitrine.db' }));
 * ```
 */
export function createPrismaStore(db: Db, clock: Clock = systemClock): ConversationStore {
  const transaction = <T>(work: (tx: DbClient) => Promise<T>): Promise<T> =>
    db.$transaction(work, { timeout: 60_000, maxWait: 60_000 });

  async function admitOne(tx: DbClient, event: JournalInput): Promise<Admission> {
    const key = { botId_channel_messageId: { botId: event.botId, channel: event.channel, messageId: event.messageId } };
    const seen = await tx.inboundEvent.findUnique({ where: key, select: { id: true, status: true } });
    if (seen) return { id: seen.id, duplicate: true, status: seen.status as JournalStatus };
    const row = await tx.inboundEvent.create({
      data: {
        botId: event.botId, channel: event.channel, messageId: event.messageId, conversationKey: event.conversationKey,
        payload: JSON.stringify(event.payload), delivery: event.delivery,
      },
      select: { id: true },
    });
    return { id: row.id, duplicate: false, status: 'admitted' };
  }

  async function admit(events: readonly JournalInput[], tx?: DbClient): Promise<Admission[]> {
    if (events.length === 0) return [];
    const run = async (client: DbClient) => {
      const out: Admission[] = [];
      for (const event of events) out.push(await admitOne(client, event));
      return out;
    };
    if (tx) return run(tx);
    try {
      return await transaction(run);
    } catch (err) {
      // Another instance admitted one of them at the same moment: admit one by one.
      if (!isUniqueViolation(err) || events.length === 0) throw err;
      const out: Admission[] = [];
      for (const event of events) {
        out.push(await transaction((client) => admitOne(client, event)).catch(async (e: unknown) => {
          if (!isUniqueViolation(e)) throw e;
          return transaction((client) => admitOne(client, event));
        }));
      }
      return out;
    }
  }

  async function candidates(limit: number, busy: ReadonlySet<string>): Promise<JournalEntry[]> {
    const now = clock.now();
    // The oldest unfinished events: in that window, the first event of each conversation is its oldest.
    const window = await db.inboundEvent.findMany({
      where: { status: 'admitted' }, orderBy: { id: 'asc' }, take: JOURNAL_WINDOW, select: { id: true, conversationKey: true, leaseUntil: true },
    });
    const ids = nextEvents(window, limit, busy, now);
    if (ids.length === 0) return [];
    const rows = await db.inboundEvent.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
    return rows.filter((row) => row.status === 'admitted').map(toEntry);
  }

  async function take(tx: DbClient, id: number, owner: string): Promise<void> {
    const now = clock.now();
    const taken = await tx.inboundEvent.updateMany({ where: { id, status: 'admitted', ...leaseFree(now) }, data: { leaseOwner: owner } });
    if (taken.count !== 1) throw new VitrineError('VT_ERR_LEASE_LOST', `Event ${id} is done or another instance has it`, { context: { id, owner } });
  }

  async function finish(tx: DbClient, id: number, owner: string, result: { conversationId: string | null; replies: OutboundMessage[] }): Promise<void> {
    const done = await tx.inboundEvent.updateMany({
      where: { id, leaseOwner: owner, status: 'admitted' },
      data: { status: 'done', conversationId: result.conversationId, replies: JSON.stringify(result.replies), finishedAt: clock.now(), leaseUntil: null, leaseOwner: null },
    });
    if (done.count !== 1) throw new VitrineError('VT_ERR_LEASE_LOST', `Event ${id} is no longer taken by ${owner}`, { context: { id, owner } });
  }

  async function entry(id: number): Promise<JournalEntry | undefined> {
    const row = await db.inboundEvent.findUnique({ where: { id } });
    return row ? toEntry(row) : undefined;
  }

  async function openConversation(
    tx: DbClient,
    address: { botId: string; channel: string; customer: { id: string; name?: string; phone?: string; locale?: string } },
    defaults: { flowId: string; locale: string },
  ): Promise<ConversationRow> {
    const { botId, channel, customer: who } = address;
    const existing = await tx.conversation.findFirst({ where: { botId, channel, customer: { channel, externalId: who.id } } });
    if (existing) return { ...existing, externalCustomerId: who.id, isNew: false };
    const customer = await tx.customer.upsert({
      where: { channel_externalId: { channel, externalId: who.id } },
      create: { channel, externalId: who.id, name: who.name ?? null, phone: who.phone ?? null, locale: who.locale ?? null },
      update: {},
      select: { id: true },
    });
    const found = await tx.conversation.findUnique({ where: { botId_channel_customerId: { botId, channel, customerId: customer.id } } });
    const row = found ?? await tx.conversation.create({
      data: { botId, channel, customerId: customer.id, flowId: defaults.flowId, flowVersion: 0, snapshot: '', locale: defaults.locale },
    });
    return { ...row, externalCustomerId: who.id, isNew: !found };
  }

  async function conversation(tx: DbClient, id: string): Promise<ConversationRow | undefined> {
    const row = await tx.conversation.findUnique({ where: { id }, include: { customer: { select: { externalId: true } } } });
    if (!row) return undefined;
    const { customer, ...rest } = row;
    return { ...rest, externalCustomerId: customer.externalId, isNew: false };
  }

  async function saveConversation(tx: DbClient, id: string, version: number, data: { snapshot: string; flowId: string; flowVersion: number; locale: string }): Promise<boolean> {
    const updated = await tx.conversation.updateMany({ where: { id, version }, data: { ...data, version: { increment: 1 } } });
    return updated.count === 1;
  }

  const outboxRow = (r: OutboxInput) => ({
    botId: r.botId, channel: r.channel, customerId: r.customerId, conversationId: r.conversationId, locale: r.locale,
    message: JSON.stringify(r.message), ...(r.inboundEventId !== undefined ? { inboundEventId: r.inboundEventId } : {}),
  });

  async function appendOutbox(tx: DbClient, rows: readonly OutboxInput[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.outboxMessage.createMany({ data: rows.map(outboxRow) });
  }

  async function appendLeased(tx: DbClient, rows: readonly OutboxInput[], lease: { owner: string; until: Date }): Promise<OutboxEntry[]> {
    const waiting = await tx.outboxMessage.findFirst({ where: { ...customerOfReplies(rows), status: 'pending' }, select: { id: true } });
    if (waiting) {
      await appendOutbox(tx, rows);
      return [];
    }
    const entries: OutboxEntry[] = [];
    // One at a time, in order: ids are the customer's order.
    for (const r of rows) {
      const row = await tx.outboxMessage.create({ data: { ...outboxRow(r), leaseOwner: lease.owner, leaseUntil: lease.until }, select: { id: true } });
      entries.push({ ...r, id: row.id, attempts: 0 });
    }
    return entries;
  }

  /**
   * The replies that can leave now, by customer: the due, unleased rows at
   * the head of each customer's queue (a reply waiting for a retry or held by
   * a sender holds back the later ones), at most `limit` customers.
   */
  async function sendable(client: DbClient, channels: readonly string[], limit: number, now: Date): Promise<Map<string, number[]>> {
    const pending: { id: number; channel: string; botId: string; customerId: string; nextAttemptAt: Date; leaseUntil: Date | null }[] = [];
    let wanted = new Map<string, number[]>();
    for (let asked = firstOutboxPage(limit); asked > 0;) {
      const page = await client.outboxMessage.findMany({
        where: { status: 'pending', channel: { in: [...channels] }, id: { gt: pending.at(-1)?.id ?? 0 } }, orderBy: { id: 'asc' }, take: asked,
        select: { id: true, channel: true, botId: true, customerId: true, nextAttemptAt: true, leaseUntil: true },
      });
      pending.push(...page);
      wanted = sendableReplies(pending, limit, now);
      asked = nextOutboxPage({ read: pending.length, asked, got: page.length }, wanted.size, limit);
    }
    return wanted;
  }

  async function claimOutbox(owner: string, channels: readonly string[], limit: number, leaseMs: number): Promise<OutboxEntry[]> {
    if (channels.length === 0) return [];
    return transaction(async (tx) => {
      const now = clock.now();
      const wanted = await sendable(tx, channels, limit, now);
      const until = new Date(now.getTime() + leaseMs);
      const leased: number[] = [];
      for (const ids of wanted.values()) {
        const won = await tx.outboxMessage.updateMany({ where: { id: { in: ids }, status: 'pending', ...leaseFree(now) }, data: { leaseOwner: owner, leaseUntil: until } });
        if (won.count === ids.length) leased.push(...ids);
        else if (won.count > 0) await tx.outboxMessage.updateMany({ where: { id: { in: ids }, leaseOwner: owner, leaseUntil: until }, data: { leaseOwner: null, leaseUntil: null } });
      }
      if (leased.length === 0) return [];
      const rows = await tx.outboxMessage.findMany({ where: { id: { in: leased } }, orderBy: { id: 'asc' } });
      return rows.map((r) => ({
        id: r.id, botId: r.botId, channel: r.channel, customerId: r.customerId, conversationId: r.conversationId, locale: r.locale,
        message: JSON.parse(r.message) as OutboundMessage, attempts: r.attempts, ...(r.inboundEventId !== null ? { inboundEventId: r.inboundEventId } : {}),
      }));
    });
  }

  const mine = (id: number, owner: string) => ({ id, leaseOwner: owner, status: 'pending' });

  return {
    transaction,
    async savepoint(tx, work) {
      await tx.$executeRawUnsafe('SAVEPOINT vitrine_turn');
      try {
        const result = await work();
        await tx.$executeRawUnsafe('RELEASE SAVEPOINT vitrine_turn');
        return result;
      } catch (err) {
        await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT vitrine_turn');
        await tx.$executeRawUnsafe('RELEASE SAVEPOINT vitrine_turn');
        throw err;
      }
    },
    admit,
    candidates,
    take,
    finish,
    async release(id, error, delayMs) {
      await transaction((tx) => tx.inboundEvent.updateMany({
        where: { id, status: 'admitted' },
        data: { leaseOwner: null, leaseUntil: new Date(clock.now().getTime() + delayMs), error, attempts: { increment: 1 } },
      }));
    },
    async fail(id, error) {
      await transaction((tx) => tx.inboundEvent.updateMany({
        where: { id, status: 'admitted' },
        data: { status: 'failed', leaseOwner: null, leaseUntil: null, error, finishedAt: clock.now(), attempts: { increment: 1 } },
      }));
    },
    entry,
    async followUps(parent) {
      const rows = await db.inboundEvent.findMany({
        where: { botId: parent.botId, channel: parent.channel, messageId: { startsWith: `${parent.messageId}>` } }, orderBy: { id: 'asc' },
      });
      return rows.map(toEntry);
    },
    openConversation,
    conversation,
    saveConversation,
    appendOutbox,
    appendLeased,
    claimOutbox,
    async markSent(rows) {
      if (rows.length === 0) return;
      await transaction((tx) => tx.outboxMessage.updateMany({
        where: { status: 'pending', OR: rows.map((r) => ({ id: r.id, leaseOwner: r.lease })) },
        data: { status: 'sent', sentAt: clock.now(), leaseOwner: null, leaseUntil: null },
      }));
    },
    async markRetry(id, owner, error, at, countAttempt = true) {
      await transaction((tx) => tx.outboxMessage.updateMany({
        where: mine(id, owner),
        data: { nextAttemptAt: at, lastError: error, leaseOwner: null, leaseUntil: null, ...(countAttempt ? { attempts: { increment: 1 } } : {}) },
      }));
    },
    async markDead(id, owner, error) {
      await transaction((tx) => tx.outboxMessage.updateMany({ where: mine(id, owner), data: { status: 'dead', lastError: error, attempts: { increment: 1 }, leaseOwner: null, leaseUntil: null } }));
    },
    async renewOutboxLeases(ids, owner, leaseMs) {
      if (ids.length === 0) return 0;
      const renewed = await transaction((tx) => tx.outboxMessage.updateMany({
        where: { id: { in: [...ids] }, leaseOwner: owner, status: 'pending', leaseUntil: { gt: clock.now() } },
        data: { leaseUntil: new Date(clock.now().getTime() + leaseMs) },
      }));
      return renewed.count;
    },
    async unlease(ids, owner) {
      if (ids.length === 0) return;
      await transaction((tx) => tx.outboxMessage.updateMany({ where: { id: { in: [...ids] }, leaseOwner: owner, status: 'pending' }, data: { leaseOwner: null, leaseUntil: null } }));
    },
    async releaseOutboxLeases() {
      const freed = await transaction((tx) => tx.outboxMessage.updateMany({ where: { status: 'pending', leaseOwner: { not: null } }, data: { leaseOwner: null, leaseUntil: null } }));
      return freed.count;
    },
    async wakeOutbox(to) {
      const woken = await transaction((tx) => tx.outboxMessage.updateMany({
        where: { status: 'pending', channel: to.channel, botId: to.botId, customerId: to.customerId, nextAttemptAt: { gt: clock.now() } },
        data: { nextAttemptAt: clock.now() },
      }));
      return woken.count;
    },
    async sendableCount(channels) {
      if (channels.length === 0) return 0;
      const wanted = await sendable(db, channels, OUTBOX_SCAN, clock.now());
      return [...wanted.values()].reduce((n, ids) => n + ids.length, 0);
    },
    async backlog(): Promise<Backlog> {
      const [journal, outbox, deadLetters, failedEvents] = await Promise.all([
        db.inboundEvent.count({ where: { status: 'admitted' } }),
        db.outboxMessage.count({ where: { status: 'pending' } }),
        db.outboxMessage.count({ where: { status: 'dead' } }),
        db.inboundEvent.count({ where: { status: 'failed' } }),
      ]);
      return { journal, outbox, deadLetters, failedEvents };
    },
  };
}
