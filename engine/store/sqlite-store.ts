import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open-database.ts';
import type { SqliteConnection } from '../db/sqlite-connection.ts';
import { storedTime } from '../db/stored-time.ts';
import { VitrineError } from '../errors.ts';
import type { OutboundMessage } from '../messages.ts';
import { systemClock, type Clock } from '../services.ts';
import { customerOfReplies, firstOutboxPage, JOURNAL_WINDOW, nextEvents, nextOutboxPage, sendableReplies } from './claim-rules.ts';
import type { Admission, ConversationRow, ConversationStore, JournalInput, JournalStatus, OutboxEntry, OutboxInput } from './conversation-store.ts';
import { createPrismaStore, toEntry, type InboundRow } from './prisma-store.ts';
import { rowId } from '../db/row-id.ts';

const parseTime = (text: string | null): Date | null => (text === null ? null : new Date(text));

interface ConversationSelect {
  id: string; botId: string; channel: string; customerId: string; flowId: string; flowVersion: number;
  snapshot: string; locale: string; version: number; externalId: string;
}

interface PendingSelect {
  id: number; channel: string; botId: string; customerId: string; nextAttemptAt: string; leaseUntil: string | null;
}

interface OutboxSelect {
  id: number; botId: string; channel: string; customerId: string; conversationId: string; locale: string;
  message: string; attempts: number; inboundEventId: number | null;
}

const CONVERSATION_COLUMNS = 'c."id", c."botId", c."channel", c."customerId", c."flowId", c."flowVersion", c."snapshot", c."locale", c."version", u."externalId"';

/** The statements of the hot path, prepared once per connection. */
function statements(connection: SqliteConnection) {
  const sql = (text: string): Statement => connection.prepare(text);
  return {
    savepoint: sql('SAVEPOINT vitrine_turn'),
    release: sql('RELEASE SAVEPOINT vitrine_turn'),
    rollbackTo: sql('ROLLBACK TO SAVEPOINT vitrine_turn'),
    seen: sql('SELECT "id", "status" FROM "InboundEvent" WHERE "botId" = ? AND "channel" = ? AND "messageId" = ?'),
    admit: sql(`INSERT INTO "InboundEvent" ("botId", "channel", "messageId", "conversationKey", "payload", "delivery", "status", "attempts", "replies", "createdAt")
      VALUES (?, ?, ?, ?, ?, ?, 'admitted', 0, '[]', ?)`),
    window: sql(`SELECT "id", "conversationKey", "leaseUntil" FROM "InboundEvent" WHERE "status" = 'admitted' ORDER BY "id" LIMIT ${JOURNAL_WINDOW}`),
    events: sql('SELECT * FROM "InboundEvent" WHERE "id" IN (SELECT "value" FROM json_each(?)) AND "status" = \'admitted\' ORDER BY "id"'),
    // The events a turn caused are named `<its message id>>…`: a range on the unique index finds them.
    followUps: sql('SELECT * FROM "InboundEvent" WHERE "botId" = ? AND "channel" = ? AND "messageId" >= ? AND "messageId" < ? ORDER BY "id"'),
    takeable: sql(`SELECT 1 FROM "InboundEvent" WHERE "id" = ? AND "status" = 'admitted' AND ("leaseUntil" IS NULL OR "leaseUntil" < ?)`),
    finish: sql(`UPDATE "InboundEvent" SET "status" = 'done', "conversationId" = ?, "replies" = ?, "finishedAt" = ?, "leaseUntil" = NULL, "leaseOwner" = NULL
      WHERE "id" = ? AND "status" = 'admitted'`),
    conversationOf: sql(`SELECT ${CONVERSATION_COLUMNS} FROM "Conversation" c JOIN "Customer" u ON u."id" = c."customerId"
      WHERE c."botId" = ? AND c."channel" = ? AND u."channel" = ? AND u."externalId" = ?`),
    conversation: sql(`SELECT ${CONVERSATION_COLUMNS} FROM "Conversation" c JOIN "Customer" u ON u."id" = c."customerId" WHERE c."id" = ?`),
    addCustomer: sql(`INSERT INTO "Customer" ("id", "channel", "externalId", "name", "phone", "locale", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT ("channel", "externalId") DO NOTHING`),
    customer: sql('SELECT "id" FROM "Customer" WHERE "channel" = ? AND "externalId" = ?'),
    addConversation: sql(`INSERT INTO "Conversation" ("id", "botId", "channel", "customerId", "flowId", "flowVersion", "snapshot", "locale", "version", "createdAt", "updatedAt")
      VALUES (?, ?, ?, ?, ?, 0, '', ?, 0, ?, ?) ON CONFLICT ("botId", "channel", "customerId") DO NOTHING`),
    save: sql(`UPDATE "Conversation" SET "snapshot" = ?, "flowId" = ?, "flowVersion" = ?, "locale" = ?, "version" = "version" + 1, "updatedAt" = ?
      WHERE "id" = ? AND "version" = ?`),
    addReply: sql(`INSERT INTO "OutboxMessage" ("botId", "channel", "customerId", "conversationId", "locale", "message", "status", "attempts", "nextAttemptAt", "inboundEventId", "createdAt", "leaseOwner", "leaseUntil")
      VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?)`),
    // The customer index's prefix: whether a customer has a reply still unsent.
    unsent: sql(`SELECT 1 FROM "OutboxMessage" WHERE "channel" = ? AND "botId" = ? AND "customerId" = ? AND "status" = 'pending' LIMIT 1`),
    pending: sql(`SELECT "id", "channel", "botId", "customerId", "nextAttemptAt", "leaseUntil" FROM "OutboxMessage"
      WHERE "status" = 'pending' AND "channel" IN (SELECT "value" FROM json_each(?)) AND "id" > ? ORDER BY "id" LIMIT ?`),
    lease: sql(`UPDATE "OutboxMessage" SET "leaseOwner" = ?, "leaseUntil" = ? WHERE "id" = ? AND "status" = 'pending' AND ("leaseUntil" IS NULL OR "leaseUntil" < ?)`),
    replies: sql('SELECT * FROM "OutboxMessage" WHERE "id" IN (SELECT "value" FROM json_each(?)) ORDER BY "id"'),
    sent: sql(`UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = ?, "leaseOwner" = NULL, "leaseUntil" = NULL WHERE "id" = ? AND "leaseOwner" = ? AND "status" = 'pending'`),
  };
}

/**
 * The {@link ConversationStore} for SQLite: the statements that run for every
 * message (admit, claim, take, load and save the conversation, finish, append
 * and claim replies, mark them sent) are prepared better-sqlite3 statements on
 * the connection under Prisma; the rest is the Prisma store. Statements given a
 * turn's transaction client run in that transaction (it is the connection's);
 * the others run in a native transaction of their own, in turn with Prisma's.
 * Admissions are durable: once `admit` resolves, the write-ahead log holding
 * them has been synced to disk, not only written to the operating system's cache.
 * `take` only checks that the event still waits: one server runs a SQLite
 * file's events and its transactions run one at a time, so no one else can
 * finish the event before the turn's commit.
 *
 * @example
 * ```ts
 * const db = await openDatabase({ url: 'file:./data/vitrine.db' });
 * const store = createSqliteStore(db, sqliteConnection(db)!);
 * ```
 */
export function createSqliteStore(db: Db, connection: SqliteConnection, clock: Clock = systemClock): ConversationStore {
  const base = createPrismaStore(db, clock);
  const q = statements(connection);

  function admitNow(events: readonly JournalInput[]): Admission[] {
    const now = storedTime(clock.now());
    return events.map((event): Admission => {
      const seen = q.seen.get(event.botId, event.channel, event.messageId) as { id: number; status: string } | undefined;
      if (seen) return { id: seen.id, duplicate: true, status: seen.status as JournalStatus };
      const row = q.admit.run(event.botId, event.channel, event.messageId, event.conversationKey, JSON.stringify(event.payload), event.delivery, now);
      return { id: Number(row.lastInsertRowid), duplicate: false, status: 'admitted' };
    });
  }

  function conversationRow(row: ConversationSelect, isNew: boolean): ConversationRow {
    const { externalId, ...rest } = row;
    return { ...rest, externalCustomerId: externalId, isNew };
  }

  /** Writes replies (leased to `lease` when given) and returns them as leased entries (none without a lease). */
  function addReplies(rows: readonly OutboxInput[], lease: { owner: string; until: Date } | undefined): OutboxEntry[] {
    const now = storedTime(clock.now());
    const until = lease ? storedTime(lease.until) : null;
    const entries: OutboxEntry[] = [];
    for (const r of rows) {
      const added = q.addReply.run(r.botId, r.channel, r.customerId, r.conversationId, r.locale, JSON.stringify(r.message), now, r.inboundEventId ?? null, now, lease?.owner ?? null, until);
      if (lease) entries.push({ ...r, id: Number(added.lastInsertRowid), attempts: 0 });
    }
    return entries;
  }

  function claimNow(owner: string, channels: readonly string[], limit: number, leaseMs: number): OutboxEntry[] {
    const now = clock.now();
    // Times as this store writes them (one ISO format), compared as text: a claim scans up to OUTBOX_SCAN rows.
    const nowText = storedTime(now);
    const channelList = JSON.stringify(channels);
    const pending: PendingSelect[] = [];
    let wanted = new Map<string, number[]>();
    for (let asked = firstOutboxPage(limit); asked > 0;) {
      const page = q.pending.all(channelList, pending.at(-1)?.id ?? 0, asked) as PendingSelect[];
      pending.push(...page);
      wanted = sendableReplies(pending, limit, nowText);
      asked = nextOutboxPage({ read: pending.length, asked, got: page.length }, wanted.size, limit);
    }
    const until = storedTime(new Date(now.getTime() + leaseMs));
    const leased: number[] = [];
    // One writer at a time on SQLite: rows read free in this transaction are still free.
    for (const ids of wanted.values()) {
      for (const id of ids) if (q.lease.run(owner, until, id, nowText).changes === 1) leased.push(id);
    }
    if (leased.length === 0) return [];
    return (q.replies.all(JSON.stringify(leased)) as OutboxSelect[]).map((r) => ({
      id: r.id, botId: r.botId, channel: r.channel, customerId: r.customerId, conversationId: r.conversationId, locale: r.locale,
      message: JSON.parse(r.message) as OutboundMessage, attempts: r.attempts, ...(r.inboundEventId !== null ? { inboundEventId: r.inboundEventId } : {}),
    }));
  }

  return {
    ...base,
    async savepoint(_tx, work) {
      q.savepoint.run();
      try {
        const result = await work();
        q.release.run();
        return result;
      } catch (err) {
        q.rollbackTo.run();
        q.release.run();
        throw err;
      }
    },
    async admit(events, tx) {
      if (events.length === 0) return [];
      return tx ? admitNow(events) : connection.write(() => admitNow(events), { durable: true });
    },
    async candidates(limit, busy) {
      const window = (q.window.all() as { id: number; conversationKey: string; leaseUntil: string | null }[])
        .map((r) => ({ ...r, leaseUntil: parseTime(r.leaseUntil) }));
      const ids = nextEvents(window, limit, busy, clock.now());
      if (ids.length === 0) return [];
      return (q.events.all(JSON.stringify(ids)) as InboundRow[]).map(toEntry);
    },
    async followUps(parent) {
      const rows = q.followUps.all(parent.botId, parent.channel, `${parent.messageId}>`, `${parent.messageId}?`) as InboundRow[];
      return rows.map(toEntry);
    },
    async take(_tx, id, owner) {
      if (q.takeable.get(id, storedTime(clock.now())) === undefined) {
        throw new VitrineError('VT_ERR_LEASE_LOST', `Event ${id} is done or waits for its retry`, { context: { id, owner } });
      }
    },
    async finish(_tx, id, owner, result) {
      const done = q.finish.run(result.conversationId, JSON.stringify(result.replies), storedTime(clock.now()), id);
      if (done.changes !== 1) throw new VitrineError('VT_ERR_LEASE_LOST', `Event ${id} is no longer taken by ${owner}`, { context: { id, owner } });
    },
    async openConversation(_tx, { botId, channel, customer: who }, defaults) {
      const existing = q.conversationOf.get(botId, channel, channel, who.id) as ConversationSelect | undefined;
      if (existing) return conversationRow(existing, false);
      const now = storedTime(clock.now());
      q.addCustomer.run(rowId(), channel, who.id, who.name ?? null, who.phone ?? null, who.locale ?? null, now);
      const customer = q.customer.get(channel, who.id) as { id: string };
      const id = rowId();
      if (q.addConversation.run(id, botId, channel, customer.id, defaults.flowId, defaults.locale, now, now).changes === 1) {
        // The row just written, as the statement wrote it.
        return conversationRow({ id, botId, channel, customerId: customer.id, flowId: defaults.flowId, flowVersion: 0, snapshot: '', locale: defaults.locale, version: 0, externalId: who.id }, true);
      }
      return conversationRow(q.conversationOf.get(botId, channel, channel, who.id) as ConversationSelect, false);
    },
    async conversation(_client, id) {
      const row = q.conversation.get(id) as ConversationSelect | undefined;
      return row ? conversationRow(row, false) : undefined;
    },
    async saveConversation(_tx, id, version, data) {
      return q.save.run(data.snapshot, data.flowId, data.flowVersion, data.locale, storedTime(clock.now()), id, version).changes === 1;
    },
    async appendOutbox(_tx, rows: readonly OutboxInput[]) {
      addReplies(rows, undefined);
    },
    async appendLeased(_tx, rows, lease) {
      const to = customerOfReplies(rows);
      const waiting = q.unsent.get(to.channel, to.botId, to.customerId) !== undefined;
      return addReplies(rows, waiting ? undefined : lease);
    },
    async claimOutbox(owner, channels, limit, leaseMs) {
      if (channels.length === 0) return [];
      return connection.write(() => claimNow(owner, channels, limit, leaseMs));
    },
    async markSent(rows) {
      if (rows.length === 0) return;
      await connection.write(() => {
        const now = storedTime(clock.now());
        for (const r of rows) q.sent.run(now, r.id, r.lease);
      });
    },
  };
}
