import { parseFailure, type InboundMessage, type ParseFailure } from '../../engine/index.ts';
import type { OptionIds } from '../kit/index.ts';

/** A delivery status WhatsApp reports for a message the bot sent. Recorded, never answered. */
export interface WhatsAppStatus {
  /** The wamid of the message the status is about. */
  messageId: string;
  /** `sent`, `delivered`, `read`, `failed` … */
  status: string;
  recipientId: string;
  phoneNumberId: string;
  /** The bot answering on that number, when one does. */
  botId?: string;
  timestamp?: Date;
  /** Error codes when `status` is `failed`. */
  errors: { code: number; title: string }[];
}

/** Everything a webhook body carried. */
export interface ParsedWhatsAppWebhook {
  messages: InboundMessage[];
  statuses: WhatsAppStatus[];
  /** Messages for phone numbers no bot answers on. */
  ignored: number;
  /** Messages and statuses of the batch whose shape was not understood; the rest of the batch is kept. */
  rejected: RejectedWhatsAppItem[];
}

/** A message or status of a webhook batch that was skipped because its shape was not understood. */
export interface RejectedWhatsAppItem {
  /** The wamid, when the item had one. */
  messageId?: string;
  /** The bot answering on the phone number the item came to, when one does. */
  botId?: string;
  /** What was expected, e.g. `message: unexpected shape for type "text"`. */
  reason: string;
}

/** How {@link parseWhatsAppWebhook} maps ids. */
export interface ParseWhatsAppContext {
  /** The bot answering on a phone number id; undefined: the message is ignored. */
  botFor: (phoneNumberId: string) => string | undefined;
  /** Decodes option ids shortened when the choice was sent. */
  ids: OptionIds;
}

type Json = Record<string, unknown>;
type BodyOf<M> = M extends InboundMessage ? Omit<M, 'messageId' | 'channel' | 'botId' | 'customer' | 'timestamp'> : never;
/** The kind-specific part of an inbound message. */
type InboundBody = BodyOf<InboundMessage>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function timestampOf(v: unknown): Date | undefined {
  const seconds = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(seconds) ? new Date(seconds * 1000) : undefined;
}

function choiceOf(ids: OptionIds, data: string, label: string | undefined): InboundBody {
  const decoded = ids.decode(data);
  if (decoded.kind === 'position') return { kind: 'text', text: String(decoded.position) };
  return { kind: 'choice', optionId: decoded.optionId, ...(label ? { label } : {}) };
}

/** The message-specific part of an inbound message, or undefined when the shape is wrong. */
function bodyOf(m: Json, ids: OptionIds): InboundBody | undefined {
  const type = str(m['type']) ?? 'unknown';
  switch (type) {
    case 'text': {
      const body = isRecord(m['text']) ? str(m['text']['body']) : undefined;
      return body === undefined ? undefined : { kind: 'text', text: body };
    }
    case 'interactive': {
      const i = isRecord(m['interactive']) ? m['interactive'] : undefined;
      const reply = i && (isRecord(i['button_reply']) ? i['button_reply'] : isRecord(i['list_reply']) ? i['list_reply'] : undefined);
      const id = reply ? str(reply['id']) : undefined;
      if (!reply || id === undefined) return { kind: 'unsupported', what: `interactive:${str(i?.['type']) ?? 'unknown'}` };
      return choiceOf(ids, id, str(reply['title']));
    }
    case 'button': {
      // A quick-reply button of a template message.
      const b = isRecord(m['button']) ? m['button'] : undefined;
      const text = b ? (str(b['text']) ?? str(b['payload'])) : undefined;
      return text === undefined ? undefined : { kind: 'text', text };
    }
    case 'order': {
      const o = isRecord(m['order']) ? m['order'] : undefined;
      if (!o) return undefined;
      const items: { sku: string; quantity: number }[] = [];
      for (const item of list(o['product_items'])) {
        if (!isRecord(item)) return undefined;
        const sku = str(item['product_retailer_id']);
        const quantity = typeof item['quantity'] === 'number' ? item['quantity'] : Number(item['quantity']);
        if (sku === undefined || !Number.isInteger(quantity) || quantity <= 0) return undefined;
        items.push({ sku, quantity });
      }
      const note = str(o['text']);
      return { kind: 'order', items, ...(note ? { note } : {}) };
    }
    case 'location': {
      const l = isRecord(m['location']) ? m['location'] : undefined;
      const latitude = l ? Number(l['latitude']) : NaN;
      const longitude = l ? Number(l['longitude']) : NaN;
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
      const name = l ? (str(l['name']) ?? str(l['address'])) : undefined;
      return { kind: 'location', latitude, longitude, ...(name ? { name } : {}) };
    }
    default:
      return { kind: 'unsupported', what: type };
  }
}

const rejectedItem = (item: unknown, botId: string | undefined, reason: string): RejectedWhatsAppItem => {
  const id = isRecord(item) ? str(item['id']) : undefined;
  return { ...(id !== undefined ? { messageId: id } : {}), ...(botId !== undefined ? { botId } : {}), reason };
};

/**
 * Parses a WhatsApp Cloud API webhook body (`object: whatsapp_business_account`)
 * into inbound messages and delivery statuses. Never throws. A body that is not
 * a WhatsApp webhook is a failure; a message or status of the batch whose shape
 * is wrong is listed in `rejected` and the rest of the batch is kept.
 *
 * @example
 * ```ts
 * const parsed = parseWhatsAppWebhook(body, { botFor: () => 'directory', ids: new OptionIds({ maxBytes: 200 }) });
 * if (parsed.ok) for (const m of parsed.value.messages) await engine.process(m);
 * ```
 */
export function parseWhatsAppWebhook(raw: unknown, context: ParseWhatsAppContext): { ok: true; value: ParsedWhatsAppWebhook } | ParseFailure {
  if (!isRecord(raw)) return parseFailure('expected a JSON object');
  if (raw['object'] !== 'whatsapp_business_account') return parseFailure('expected object "whatsapp_business_account"');
  if (!Array.isArray(raw['entry'])) return parseFailure('expected an "entry" array');
  const value: ParsedWhatsAppWebhook = { messages: [], statuses: [], ignored: 0, rejected: [] };
  for (const entry of raw['entry']) {
    if (!isRecord(entry) || !Array.isArray(entry['changes'])) return parseFailure('expected entry[].changes arrays');
    for (const change of entry['changes']) {
      if (!isRecord(change) || !isRecord(change['value'])) return parseFailure('expected entry[].changes[].value objects');
      const v = change['value'];
      const phoneNumberId = isRecord(v['metadata']) ? str(v['metadata']['phone_number_id']) : undefined;
      if (phoneNumberId === undefined) {
        if (v['messages'] !== undefined || v['statuses'] !== undefined) return parseFailure('expected value.metadata.phone_number_id');
        continue; // other webhook fields (account updates …) are not for the chat
      }
      const names = new Map<string, string>();
      for (const c of list(v['contacts'])) {
        const waId = isRecord(c) ? str(c['wa_id']) : undefined;
        const name = isRecord(c) && isRecord(c['profile']) ? str(c['profile']['name']) : undefined;
        if (waId !== undefined && name !== undefined) names.set(waId, name);
      }
      const botId = context.botFor(phoneNumberId);
      for (const s of list(v['statuses'])) {
        if (!isRecord(s) || str(s['id']) === undefined || str(s['status']) === undefined) {
          value.rejected.push(rejectedItem(s, botId, 'status: expected an object with id and status'));
          continue;
        }
        const timestamp = timestampOf(s['timestamp']);
        value.statuses.push({
          messageId: String(s['id']), status: String(s['status']), recipientId: str(s['recipient_id']) ?? '', phoneNumberId,
          ...(botId !== undefined ? { botId } : {}),
          ...(timestamp ? { timestamp } : {}),
          errors: list(s['errors']).filter(isRecord).map((e) => ({ code: Number(e['code']), title: str(e['title']) ?? str(e['message']) ?? '' })),
        });
      }
      for (const m of list(v['messages'])) {
        const from = isRecord(m) ? str(m['from']) : undefined;
        const id = isRecord(m) ? str(m['id']) : undefined;
        if (!isRecord(m) || from === undefined || id === undefined) {
          value.rejected.push(rejectedItem(m, botId, 'message: expected an object with from and id'));
          continue;
        }
        const body = bodyOf(m, context.ids);
        if (!body) {
          value.rejected.push({ ...rejectedItem(m, botId, ''), reason: `message: unexpected shape for type "${str(m['type']) ?? 'unknown'}"` });
          continue;
        }
        if (botId === undefined) {
          value.ignored++;
          continue;
        }
        const name = names.get(from);
        const timestamp = timestampOf(m['timestamp']);
        value.messages.push({
          ...body, messageId: id, channel: 'whatsapp', botId,
          customer: { id: from, phone: `+${from}`, ...(name ? { name } : {}) },
          ...(timestamp ? { timestamp } : {}),
        });
      }
    }
  }
  return { ok: true, value };
}
