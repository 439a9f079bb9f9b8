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

/**
 * What the customer said in a journal payload: the text typed, or the label
 * of the option tapped; nothing for other events.
 *
 * @example
 * ```ts
 * customerWords(entry.payload); // 'padaria'
 * ```
 */
export function customerWords(payload: string): string | undefined {
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

/** One message of a conversation as a business's staff read it. */
export interface TimelineEntry {
  /** `staff`: a person of the business wrote it (a hand-off reply). */
  from: 'customer' | 'bot' | 'staff';
  text: string;
  at: Date;
}

/**
 * A reply as plain text: its words, with the options, products or cart
 * lines it showed, one per line.
 *
 * @example
 * ```ts
 * messageText({ kind: 'choice', text: 'Pick one', options: [{ id: 'a', label: 'Apples' }] }); // 'Pick one\n• Apples'
 * ```
 */
export function messageText(message: OutboundMessage): string {
  switch (message.kind) {
    case 'choice':
      return [message.text, ...message.options.map((o) => `• ${o.label}`)].join('\n');
    case 'product':
      return [message.text ?? '', `${message.product.name} (${message.product.price.formatted})`].filter(Boolean).join('\n');
    case 'productList':
      return [message.title, ...message.products.map((p) => `• ${p.name} (${p.price.formatted})`), message.footer ?? ''].filter(Boolean).join('\n');
    case 'cart':
      return [message.title, ...message.lines.map((l) => `${l.quantity} × ${l.name}: ${l.lineTotal}`), message.total].join('\n');
    case 'image':
      return message.caption ?? '';
    default:
      return message.text;
  }
}

/**
 * A conversation's messages, oldest first, at most `limit` (the last ones):
 * what the customer sent (from the journal, messages the bot did not answer
 * during a hand-off too), the bot's replies and the staff's, as text. Each
 * reply follows the customer's message it answered, a staff reply what the
 * customer had said before it (outbox rows name that event), so the order
 * does not depend on clocks. Commands a chat page sends for the customer
 * ("/lang pt-br") are left out; with `fromEvent` (a journal id), so is
 * everything before that message of the customer.
 *
 * @example
 * ```ts
 * const messages = await conversationTimeline(db, { id, botId: 'directory', channel: 'webchat', customerId: 'cust-1' });
 * messages.at(-1); // { from: 'staff', text: 'Temos sim!', at: 2026-12-05T20:14:00.000Z }
 * ```
 */
export async function conversationTimeline(
  db: DbClient,
  conversation: { id: string; botId: string; channel: string; customerId: string },
  limit = 100,
  fromEvent = 0,
): Promise<TimelineEntry[]> {
  const events = await db.inboundEvent.findMany({
    where: { conversationId: conversation.id }, orderBy: { id: 'desc' }, take: limit, select: { id: true, payload: true, createdAt: true },
  });
  const rows = await db.outboxMessage.findMany({
    where: { botId: conversation.botId, channel: conversation.channel, customerId: conversation.customerId, status: { not: 'dead' } },
    orderBy: { id: 'desc' }, take: limit, select: { id: true, message: true, createdAt: true, inboundEventId: true },
  });
  type Keyed = TimelineEntry & { anchor: number; rank: number };
  const keyed: Keyed[] = [];
  for (const e of events) {
    const text = customerWords(e.payload);
    if (text && !text.startsWith('/')) keyed.push({ from: 'customer', text, at: e.createdAt, anchor: e.id, rank: 0 });
  }
  for (const r of rows) {
    const message = JSON.parse(r.message) as OutboundMessage;
    const staff = message.kind === 'text' && message.from === 'staff';
    const text = staff ? message.said ?? message.text : messageText(message);
    if (text) keyed.push({ from: staff ? 'staff' : 'bot', text, at: r.createdAt, anchor: r.inboundEventId ?? 0, rank: r.id });
  }
  // A full window may have left older rows of the other table out: keep only the span both cover.
  const from = Math.max(events.length === limit ? (events.at(-1)?.id ?? 0) : 0, rows.length === limit ? (rows.at(-1)?.inboundEventId ?? 0) : 0);
  return keyed
    .filter((k) => k.anchor >= Math.max(from, fromEvent))
    .sort((a, b) => a.anchor - b.anchor || a.rank - b.rank)
    .slice(-limit)
    .map(({ from: who, text, at }) => ({ from: who, text, at }));
}
