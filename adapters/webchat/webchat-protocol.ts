import { z } from 'zod';
import type { ChargeView, ChoiceOption, LineView, OrderStatus, ProductView, VitrineErrorCode } from '../../engine/index.ts';

/** The version of the web chat protocol; every frame carries it as `v`. */
export const WEBCHAT_PROTOCOL_VERSION = 1;

/** Largest client frame, in bytes; larger frames close the socket with 1009. */
export const WEBCHAT_MAX_FRAME_BYTES = 16 * 1024;

const id = z.string().min(1).max(100);

/** `{v:1, type:'hello', botId, customerId?, locale?}`: the first frame of a connection. */
const helloFrame = z.object({
  v: z.literal(WEBCHAT_PROTOCOL_VERSION),
  type: z.literal('hello'),
  botId: z.string().min(1).max(100),
  customerId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'customerId must be 8 to 64 letters, digits, "-" or "_"').optional(),
  locale: z.string().regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'locale must be a language tag such as "pt-BR"').optional(),
});

/** `{v:1, type:'text', id, text}`: something the customer typed. */
const textFrame = z.object({
  v: z.literal(WEBCHAT_PROTOCOL_VERSION),
  type: z.literal('text'),
  id,
  text: z.string().min(1).max(4000),
});

/** `{v:1, type:'choice', id, optionId}`: a tap on an option the bot offered. */
const choiceFrame = z.object({
  v: z.literal(WEBCHAT_PROTOCOL_VERSION),
  type: z.literal('choice'),
  id,
  optionId: z.string().min(1).max(200),
  label: z.string().max(200).optional(),
});

const clientFrame = z.discriminatedUnion('type', [helloFrame, textFrame, choiceFrame]);

/** A frame the page sends to the server. */
export type WebchatClientFrame = z.infer<typeof clientFrame>;

/** A product as a card: what the page shows. */
export interface WebchatProductCard {
  id: string;
  name: string;
  description: string;
  price: string;
  imageUrl?: string;
  inStock: boolean;
}

/** One option of a rendered choice; product options carry a card. */
export interface WebchatOption {
  id: string;
  label: string;
  description?: string;
  product?: WebchatProductCard;
}

/** A bot message as the page renders it. */
export type WebchatMessage =
  | { kind: 'text'; text: string }
  | { kind: 'choice'; text: string; options: WebchatOption[] }
  | { kind: 'product'; text?: string; product: WebchatProductCard }
  | { kind: 'productList'; title: string; products: WebchatProductCard[]; footer?: string }
  | { kind: 'cart'; title: string; lines: LineView[]; total: string; empty: boolean }
  | { kind: 'paymentLink'; text: string; url: string; label: string; amount: string; orderNumber: string; code?: { method: string; value: string; imageUrl?: string; expires?: string } }
  /** `fee`: the delivery fee's row below the lines. */
  | { kind: 'orderStatus'; text: string; orderNumber: string; status: OrderStatus; statusLabel: string; total: string; lines: LineView[]; fee?: ChargeView }
  | { kind: 'image'; url: string; caption?: string };

/**
 * The codes of `error` frames and of the reasons a connection is closed with:
 * entries of the one error catalogue (`ERROR_CODES` in `engine/errors.ts`).
 *
 * @example
 * ```ts
 * if (frame.type === 'error' && frame.code === 'VT_ERR_CHANNEL_RATE_LIMITED') slowDown();
 * ```
 */
export const WEBCHAT_ERROR_CODES = [
  'VT_ERR_CHANNEL_PAYLOAD', 'VT_ERR_CHANNEL_PROTOCOL_VERSION', 'VT_ERR_CHANNEL_HELLO_REQUIRED', 'VT_ERR_CHANNEL_ALREADY_GREETED',
  'VT_ERR_BOT_UNKNOWN', 'VT_ERR_CHANNEL_RATE_LIMITED', 'VT_ERR_CHANNEL_FRAME_TOO_LARGE', 'VT_ERR_CHANNEL_IDLE', 'VT_ERR_JOURNAL_UNAVAILABLE',
] as const satisfies readonly VitrineErrorCode[];

/** A code of an `error` frame or a close reason: one of {@link WEBCHAT_ERROR_CODES}. */
export type WebchatErrorCode = (typeof WEBCHAT_ERROR_CODES)[number];

/**
 * The reason a connection is closed with: the catalogue code, a colon and a
 * short explanation (keep it under the 123 bytes a WebSocket close reason holds).
 *
 * @example
 * ```ts
 * socket.close(1008, closeReason('VT_ERR_CHANNEL_RATE_LIMITED', 'Too many connections'));
 * // reason 'VT_ERR_CHANNEL_RATE_LIMITED: Too many connections'
 * ```
 */
export function closeReason(code: WebchatErrorCode, message: string): string {
  return `${code}: ${message}`;
}

/** The business a `place` frame names. */
export interface WebchatPlace {
  name: string;
}

/** One line of the recent conversation a resumed `hello` is answered with. */
export type WebchatHistoryEntry = { from: 'customer'; text: string } | { from: 'bot'; message: WebchatMessage };

/** A frame the server sends to the page. */
export type WebchatFrame =
  | { v: 1; type: 'welcome'; customerId: string; botId: string; locales: string[] }
  /** After the `welcome` of a resumed conversation: its recent lines, oldest first, ending with the current question. */
  | { v: 1; type: 'history'; entries: WebchatHistoryEntry[] }
  | { v: 1; type: 'message'; message: WebchatMessage }
  /** Where the customer is: the business their conversation is at (its name heads the page), or null in the directory. */
  | { v: 1; type: 'place'; business: WebchatPlace | null }
  /** A `text` or `choice` frame is kept on disk: it will be answered, even if the server restarts. */
  | { v: 1; type: 'ack'; id: string; duplicate: boolean }
  | { v: 1; type: 'error'; code: WebchatErrorCode; message: string; id?: string };

/** The outcome of reading a client frame. */
export type ClientFrameResult =
  | { ok: true; frame: WebchatClientFrame }
  | { ok: false; code: WebchatErrorCode; message: string; id?: string };

/**
 * Reads one client frame (the text of a WebSocket message, or an already parsed value).
 * Never throws: bad input becomes an error naming what was expected.
 *
 * @example
 * ```ts
 * const r = parseClientFrame('{"v":1,"type":"text","id":"1","text":"padaria"}');
 * if (r.ok && r.frame.type === 'text') console.log(r.frame.text); // padaria
 * ```
 */
export function parseClientFrame(raw: unknown): ClientFrameResult {
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      return { ok: false, code: 'VT_ERR_CHANNEL_PAYLOAD', message: 'The frame is not JSON' };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'VT_ERR_CHANNEL_PAYLOAD', message: 'Frames must be JSON objects' };
  }
  const record = value as Record<string, unknown>;
  const frameId = typeof record['id'] === 'string' ? record['id'] : undefined;
  if (record['v'] !== WEBCHAT_PROTOCOL_VERSION) {
    return { ok: false, code: 'VT_ERR_CHANNEL_PROTOCOL_VERSION', message: `Unsupported protocol version; this server speaks v${WEBCHAT_PROTOCOL_VERSION}`, ...(frameId ? { id: frameId } : {}) };
  }
  const parsed = clientFrame.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'type';
    const detail = where === 'type' ? 'type must be one of hello, text, choice' : `${where}: ${issue?.message ?? 'invalid'}`;
    return { ok: false, code: 'VT_ERR_CHANNEL_PAYLOAD', message: `Invalid frame (${detail})`, ...(frameId ? { id: frameId } : {}) };
  }
  return { ok: true, frame: parsed.data };
}

/** Maps an engine product to a card (only http(s) or site-relative image URLs are kept). */
export function toCard(product: ProductView): WebchatProductCard {
  const image = product.imageUrl ? safeUrl(product.imageUrl, true) : undefined;
  return {
    id: product.id, name: product.name, description: product.description, price: product.price.formatted,
    inStock: product.inStock, ...(image ? { imageUrl: image } : {}),
  };
}

/** Maps an engine option to a page option. */
export function toOption(option: ChoiceOption): WebchatOption {
  return {
    id: option.id, label: option.label,
    ...(option.description ? { description: option.description } : {}),
    ...(option.product ? { product: toCard(option.product) } : {}),
  };
}

/**
 * The URL if it is safe to put in a link or image on the page (`http:`/`https:`,
 * or a path on this site when `relative` is allowed), otherwise undefined.
 */
export function safeUrl(url: string, relative = false): string | undefined {
  if (relative && url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}
