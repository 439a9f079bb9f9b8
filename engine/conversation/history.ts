import type { DbClient } from '../db/db-client.ts';
import type { OutboundMessage } from '../messages.ts';
import type { JournalPayload } from '../store/conversation-store.ts';

/** One line of a conversation as the customer saw it. */
export type HistoryEntry =
  | { from: 'customer'; text: string }
  | { from: 'bot'; message: OutboundMessage; locale: string };

/** Where a conversation's history is read, and how much of it. */
export interface HistoryQuery {
  botId: string;
  channel: string;
  /** The channel's id for the customer. */
  customerId: string;
  /** The most bot messages to return (default 30); the customer's words between them come along. */
  limit?: number;
}

/** What the customer said in a journal payload: the text typed, or the label of the option tapped. */
function customerWords(payload: string): string | undefined {
  const parsed = JSON.parse(payload) as JournalPayload;
  if (parsed.type !== 'message') return undefined;
  const { message } = parsed;
  if (message.kind === 'text') return message.text;
  return message.kind === 'choice' ? message.label : undefined;
}

/**
 * The end of a conversation, oldest first: the bot's last delivered replies
 * (from the outbox) with what the customer said before each (from the
 * journal). Replies not delivered yet are left out: they leave through the
 * outbox as usual. A channel that can show the past (the web chat page after
 * a reload) shows this, ending with the current question.
 *
 * @example
 * ```ts
 * const entries = await recentHistory(db, { botId: 'directory', channel: 'webchat', customerId });
 * entries.at(-1); // { from: 'bot', message: { kind: 'choice', … }, locale: 'pt-BR' }
 * ```
 */
export async function recentHistory(db: DbClient, query: HistoryQuery): Promise<HistoryEntry[]> {
  const rows = await db.outboxMessage.findMany({
    where: { botId: query.botId, channel: query.channel, customerId: query.customerId, status: 'sent' },
    orderBy: { id: 'desc' },
    take: query.limit ?? 30,
    select: { message: true, locale: true, inboundEventId: true },
  });
  rows.reverse();
  const eventIds = [...new Set(rows.flatMap((r) => (r.inboundEventId === null ? [] : [r.inboundEventId])))];
  const events = eventIds.length === 0 ? [] : await db.inboundEvent.findMany({ where: { id: { in: eventIds } }, select: { id: true, payload: true } });
  const said = new Map(events.map((e) => [e.id, customerWords(e.payload)]));
  const entries: HistoryEntry[] = [];
  let lastEvent: number | null = null;
  for (const row of rows) {
    if (row.inboundEventId !== null && row.inboundEventId !== lastEvent) {
      const text = said.get(row.inboundEventId);
      if (text) entries.push({ from: 'customer', text });
    }
    lastEvent = row.inboundEventId;
    entries.push({ from: 'bot', message: JSON.parse(row.message) as OutboundMessage, locale: row.locale });
  }
  return entries;
}
