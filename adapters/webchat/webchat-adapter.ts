import {
  parseFailure, VitrineError, type ChannelAdapter, type ChannelCapabilities, type ChoiceMessage, type InboundMessage, type OutboundMessage, type ParseResult,
} from '../../engine/index.ts';
import { numberedText, shorten, splitText, textOf } from '../kit/index.ts';
import {
  WEBCHAT_PROTOCOL_VERSION, parseClientFrame, safeUrl, toCard, toOption, type WebchatClientFrame, type WebchatFrame, type WebchatMessage, type WebchatPlace,
} from './webchat-protocol.ts';

/**
 * The web chat shows buttons, product cards with images, lists, carts, payment
 * buttons and order summaries natively.
 */
export const WEBCHAT_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 12,
  maxButtonTitle: 60,
  maxListRows: 30,
  maxListRowTitle: 80,
  maxTextLength: 4096,
  numberedFallback: true,
  images: true,
  kinds: ['text', 'choice', 'product', 'productList', 'cart', 'paymentLink', 'orderStatus', 'image', 'handoff'],
};

/** The raw payload the web chat route hands to {@link WebchatAdapter.parse}: a client frame and who sent it. */
export interface WebchatInbound {
  customerId: string;
  locale?: string;
  /** The frame as received (text or parsed JSON). */
  frame: unknown;
}

/** The little the adapter needs of an open socket (a `ws` WebSocket fits). */
export interface WebchatSocket {
  readonly readyState: number;
  send(data: string): void;
}

/** A `text` or `choice` frame: the frames that carry a customer's message. */
export type WebchatMessageFrame = Exclude<WebchatClientFrame, { type: 'hello' }>;

/**
 * Where a customer is: the business their conversation is at, or null in the
 * directory (the page's header shows it; see the `place` frame).
 */
export type WebchatPlaceLookup = (to: { botId: string; customerId: string }) => Promise<WebchatPlace | null>;

/** The web chat adapter: a {@link ChannelAdapter} plus the registry of open sockets. */
export interface WebchatAdapter extends ChannelAdapter<WebchatFrame> {
  /**
   * The inbound message of a frame already read with `parseClientFrame` (the
   * socket route reads each frame once and hands it over). `parse` reads a raw
   * frame and ends here too.
   */
  inbound(from: Omit<WebchatInbound, 'frame'>, frame: WebchatMessageFrame, context: { botId: string }): InboundMessage;
  /** Registers an open socket of a customer; returns the function that unregisters it. */
  connect(to: { botId: string; customerId: string }, socket: WebchatSocket): () => void;
  /** How many sockets a customer has open. */
  connections(to: { botId: string; customerId: string }): number;
  /** The `place` frame of a customer (none without a place lookup, or when it cannot be read). */
  place(to: { botId: string; customerId: string }): Promise<WebchatFrame | undefined>;
}

const OPEN = 1;

/** Plain text as text messages, split (never cut) to the channel's longest text. */
function textMessages(text: string, caps: ChannelCapabilities): WebchatMessage[] {
  return splitText(text, caps.maxTextLength).map((piece) => ({ kind: 'text', text: piece }));
}

function renderChoice(message: ChoiceMessage, caps: ChannelCapabilities): WebchatMessage[] {
  // Too many to show as options: numbered text (or bullets when the step reads its own numbers).
  if (message.options.length > caps.maxListRows) return textMessages(numberedText(message), caps);
  const options = message.options.map((o) => {
    const option = toOption(o);
    return { ...option, label: shorten(option.label, caps.maxButtonTitle), ...(option.description ? { description: shorten(option.description, caps.maxListRowTitle) } : {}) };
  });
  return [{ kind: 'choice', text: shorten(message.text, caps.maxTextLength), options }];
}

function renderMessage(message: OutboundMessage, caps: ChannelCapabilities): WebchatMessage[] {
  const text = (t: string) => shorten(t, caps.maxTextLength);
  switch (message.kind) {
    case 'text':
    case 'handoff':
      return textMessages(message.text, caps);
    case 'choice':
      return renderChoice(message, caps);
    case 'product':
      return [{ kind: 'product', product: toCard(message.product), ...(message.text ? { text: text(message.text) } : {}) }];
    case 'productList':
      return [{ kind: 'productList', title: text(message.title), products: message.products.map(toCard), ...(message.footer ? { footer: text(message.footer) } : {}) }];
    case 'cart':
      return [{ kind: 'cart', title: message.title, lines: message.lines, total: message.total, empty: message.empty }];
    case 'paymentLink': {
      const url = safeUrl(message.url);
      if (!url) return textMessages(textOf(message), caps);
      const image = message.code?.imageUrl ? safeUrl(message.code.imageUrl) : undefined;
      const code = message.code ? { code: { method: message.code.method, value: message.code.value, ...(image ? { imageUrl: image } : {}), ...(message.code.expires ? { expires: message.code.expires } : {}) } } : {};
      return [{ kind: 'paymentLink', text: text(message.text), url, label: shorten(message.label, caps.maxButtonTitle), amount: message.amount, orderNumber: message.orderNumber, ...code }];
    }
    case 'orderStatus':
      return [{
        kind: 'orderStatus', text: text(message.text), orderNumber: message.orderNumber, status: message.status,
        statusLabel: message.statusLabel, total: message.total, lines: message.lines, ...(message.fee ? { fee: message.fee } : {}),
      }];
    case 'image': {
      const url = safeUrl(message.url, true);
      if (!url) return message.caption ? textMessages(message.caption, caps) : [];
      return [{ kind: 'image', url, ...(message.caption ? { caption: text(message.caption) } : {}) }];
    }
  }
}

/** A customer's `text` or `choice` frame as an inbound message. */
function inboundMessage(from: Omit<WebchatInbound, 'frame'>, frame: WebchatMessageFrame, botId: string): InboundMessage {
  const customer = { id: from.customerId, ...(from.locale ? { locale: from.locale } : {}) };
  // Message ids are scoped to the customer, so one customer's id can never replay another's replies.
  const base = { messageId: `${from.customerId}:${frame.id}`, channel: 'webchat', botId, customer, timestamp: new Date() };
  return frame.type === 'text'
    ? { ...base, kind: 'text', text: frame.text }
    : { ...base, kind: 'choice', optionId: frame.optionId, ...(frame.label ? { label: frame.label } : {}) };
}

/**
 * Creates the web chat channel. The server's WebSocket route parses client
 * frames with it and registers sockets in it; {@link WebchatAdapter.send}
 * pushes frames to every open socket of the customer (replies nobody asked
 * for, such as a payment receipt, arrive this way). With `placeOf`, each
 * delivery ends with a `place` frame naming the business the customer is at.
 *
 * @example
 * ```ts
 * const webchat = createWebchatAdapter();
 * const disconnect = webchat.connect({ botId: 'directory', customerId }, socket);
 * const parsed = webchat.parse({ customerId, frame: '{"v":1,"type":"text","id":"1","text":"padaria"}' }, { botId: 'directory' });
 * if (parsed.ok) for (const m of parsed.messages) {
 *   const turn = await engine.process(m);
 *   await webchat.send(turn, turn.replies.flatMap((r) => webchat.render(r, { locale: turn.locale })));
 * }
 * disconnect();
 * ```
 */
export function createWebchatAdapter(options: { capabilities?: ChannelCapabilities; placeOf?: WebchatPlaceLookup } = {}): WebchatAdapter {
  const capabilities = options.capabilities ?? WEBCHAT_CAPABILITIES;
  const { placeOf } = options;
  const place = async (to: { botId: string; customerId: string }): Promise<WebchatFrame | undefined> => {
    if (!placeOf) return undefined;
    try {
      return { v: WEBCHAT_PROTOCOL_VERSION, type: 'place', business: await placeOf(to) };
    } catch {
      // The header stays as it is; the replies themselves were delivered.
      return undefined;
    }
  };
  const sockets = new Map<string, Set<WebchatSocket>>();
  const keyOf = (to: { botId: string; customerId: string }) => `${to.botId}\u0000${to.customerId}`;

  return {
    channel: 'webchat',
    capabilities,
    parse(raw, { botId }): ParseResult {
      const input = raw as Partial<WebchatInbound> | null;
      if (!input || typeof input !== 'object' || typeof input.customerId !== 'string' || input.customerId === '') {
        return parseFailure('expected { customerId, frame }');
      }
      const result = parseClientFrame(input.frame);
      if (!result.ok) return parseFailure(result.message, { frameError: result.code });
      const frame = result.frame;
      if (frame.type === 'hello') return { ok: true, messages: [] };
      return { ok: true, messages: [inboundMessage({ customerId: input.customerId, ...(input.locale ? { locale: input.locale } : {}) }, frame, botId)] };
    },
    inbound: (from, frame, { botId }) => inboundMessage(from, frame, botId),
    render(message) {
      return renderMessage(message, capabilities).map((m): WebchatFrame => ({ v: WEBCHAT_PROTOCOL_VERSION, type: 'message', message: m }));
    },
    async send(to, frames) {
      const open = [...(sockets.get(keyOf(to)) ?? [])].filter((s) => s.readyState === OPEN);
      if (open.length === 0) {
        throw new VitrineError('VT_ERR_CHANNEL_SEND', 'The customer has no web chat open', { context: { botId: to.botId, customerId: to.customerId, away: true } });
      }
      // After the replies, where they left the customer: a chosen shop heads the page.
      const where = frames.some((f) => f.type === 'message') ? await place(to) : undefined;
      for (const socket of open) for (const frame of where ? [...frames, where] : frames) socket.send(JSON.stringify(frame));
    },
    place,
    connect(to, socket) {
      const key = keyOf(to);
      const set = sockets.get(key) ?? new Set<WebchatSocket>();
      set.add(socket);
      sockets.set(key, set);
      return () => {
        set.delete(socket);
        if (set.size === 0 && sockets.get(key) === set) sockets.delete(key);
      };
    },
    connections: (to) => [...(sockets.get(keyOf(to)) ?? [])].filter((s) => s.readyState === OPEN).length,
  };
}
