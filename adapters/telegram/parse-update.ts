import { parseFailure, type InboundMessage, type ParseFailure } from '../../engine/index.ts';
import type { OptionIds } from '../kit/index.ts';

/** What one Telegram `Update` carried. */
export interface ParsedTelegramUpdate {
  updateId: number;
  /** Zero or one message (updates the chat does not answer, such as edits, give none). */
  messages: InboundMessage[];
  /** The id of a callback query, which must always be answered. */
  callbackQueryId?: string;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const idOf = (v: unknown): string | undefined => (typeof v === 'number' || typeof v === 'string' ? String(v) : undefined);

/** Kinds of Telegram messages the chat cannot read, by their field. */
const UNSUPPORTED = ['sticker', 'photo', 'voice', 'audio', 'video', 'video_note', 'document', 'animation', 'contact', 'poll', 'dice', 'venue'];

function customerOf(from: unknown, chatId: string): InboundMessage['customer'] {
  const user = isRecord(from) ? from : {};
  const name = [str(user['first_name']), str(user['last_name'])].filter(Boolean).join(' ');
  const locale = str(user['language_code']);
  return { id: chatId, ...(name ? { name } : {}), ...(locale ? { locale } : {}) };
}

/**
 * Parses a Telegram Bot API `Update` (a webhook body): text messages, locations
 * and callback queries (button taps). The update id is the message id, so a
 * redelivered update is recognised. Never throws.
 *
 * @example
 * ```ts
 * const parsed = parseTelegramUpdate(body, { botId: 'directory', ids: new OptionIds({ maxBytes: 64 }) });
 * if (parsed.ok) for (const m of parsed.value.messages) await engine.process(m);
 * ```
 */
export function parseTelegramUpdate(raw: unknown, context: { botId: string; ids: OptionIds }): { ok: true; value: ParsedTelegramUpdate } | ParseFailure {
  if (!isRecord(raw)) return parseFailure('expected a JSON object');
  const updateId = raw['update_id'];
  if (typeof updateId !== 'number' || !Number.isInteger(updateId)) return parseFailure('expected an integer "update_id"');
  const base = { messageId: String(updateId), channel: 'telegram', botId: context.botId } as const;
  const value: ParsedTelegramUpdate = { updateId, messages: [] };

  const query = raw['callback_query'];
  if (query !== undefined) {
    if (!isRecord(query) || str(query['id']) === undefined) return parseFailure('expected callback_query.id');
    value.callbackQueryId = String(query['id']);
    const message = isRecord(query['message']) ? query['message'] : undefined;
    const chatId = (message && isRecord(message['chat']) ? idOf(message['chat']['id']) : undefined) ?? (isRecord(query['from']) ? idOf(query['from']['id']) : undefined);
    const data = str(query['data']);
    if (chatId === undefined) return parseFailure('expected callback_query.message.chat.id or callback_query.from.id');
    if (data === undefined) return { ok: true, value }; // a game button: nothing to read
    const decoded = context.ids.decode(data);
    const customer = customerOf(query['from'], chatId);
    value.messages.push(decoded.kind === 'id'
      ? { ...base, customer, kind: 'choice', optionId: decoded.optionId }
      : { ...base, customer, kind: 'text', text: String(decoded.position) });
    return { ok: true, value };
  }

  const message = raw['message'];
  if (message === undefined) return { ok: true, value }; // edits, channel posts, membership changes …
  if (!isRecord(message) || !isRecord(message['chat']) || idOf(message['chat']['id']) === undefined) return parseFailure('expected message.chat.id');
  const chatId = String(idOf(message['chat']['id']));
  const customer = customerOf(message['from'], chatId);
  const date = typeof message['date'] === 'number' ? new Date(message['date'] * 1000) : undefined;
  const at = date ? { timestamp: date } : {};
  const text = message['text'];
  if (typeof text === 'string') {
    value.messages.push({ ...base, ...at, customer, kind: 'text', text });
    return { ok: true, value };
  }
  if (text !== undefined) return parseFailure('expected message.text to be a string');
  const location = message['location'];
  if (isRecord(location) && typeof location['latitude'] === 'number' && typeof location['longitude'] === 'number') {
    value.messages.push({ ...base, ...at, customer, kind: 'location', latitude: location['latitude'], longitude: location['longitude'] });
    return { ok: true, value };
  }
  const what = UNSUPPORTED.find((k) => message[k] !== undefined) ?? 'message';
  value.messages.push({ ...base, ...at, customer, kind: 'unsupported', what });
  return { ok: true, value };
}
