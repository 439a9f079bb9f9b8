import { VitrineError } from './errors.ts';
import type { InboundKind, InboundMessage, OutboundMessage, OutboundKind } from './messages.ts';

/**
 * What a channel can show, as data. The flow loader checks flows against it,
 * and adapters degrade within it (buttons → list → numbered text).
 *
 * @example
 * ```ts
 * const caps: ChannelCapabilities = {
 *   maxButtons: 3, maxButtonTitle: 20, maxListRows: 10, maxListRowTitle: 24,
 *   maxTextLength: 4096, numberedFallback: true, images: true, kinds: ['text', 'choice', 'paymentLink'],
 * };
 * ```
 */
export interface ChannelCapabilities {
  /** Most reply buttons in one message (0: none). */
  maxButtons: number;
  /** Longest button title, in characters. */
  maxButtonTitle: number;
  /** Most rows in a list message (0: no lists). */
  maxListRows: number;
  /** Longest list row title, in characters. */
  maxListRowTitle: number;
  /** Longest text message, in characters. */
  maxTextLength: number;
  /** Whether choices may fall back to numbered text the customer answers by number. */
  numberedFallback: boolean;
  /** Whether the channel shows images. */
  images: boolean;
  /** Message kinds the adapter renders natively; others it renders as text. */
  kinds: readonly OutboundKind[];
  /**
   * What the customer can send besides text and taps on options (`location`: a
   * location pin; `order`: a cart from the channel's own catalog). Steps ask
   * for them only where the channel can deliver them (absent: none).
   */
  inbound?: readonly Exclude<InboundKind, 'text' | 'choice' | 'unsupported'>[];
}

/** A payload a channel could not read: a `VT_ERR_CHANNEL_PAYLOAD` error saying what was expected. */
export interface ParseFailure {
  ok: false;
  error: VitrineError;
}

/** The result of parsing a raw channel payload. Never throws into the server. */
export type ParseResult =
  | { ok: true; messages: InboundMessage[] }
  | ParseFailure;

/**
 * A {@link ParseFailure}: a `VT_ERR_CHANNEL_PAYLOAD` error (HTTP 400) whose
 * message says what was expected. A route answers it by throwing `error`.
 *
 * @example
 * ```ts
 * if (!isRecord(raw)) return parseFailure('expected a JSON object');
 * // in the route: if (!parsed.ok) throw parsed.error;
 * ```
 */
export function parseFailure(expected: string, context?: Record<string, unknown>): ParseFailure {
  return { ok: false, error: new VitrineError('VT_ERR_CHANNEL_PAYLOAD', expected, context ? { context } : {}) };
}

/**
 * A channel: parses what the channel delivers and renders/sends what the bot says.
 * Adapters never own a server; HTTP routes are thin plugins that call them.
 *
 * @typeParam Rendered - the channel's own message format.
 *
 * @example
 * ```ts
 * const adapter: ChannelAdapter<string> = {
 *   channel: 'console',
 *   capabilities: CONSOLE_CAPABILITIES,
 *   parse: (raw) => ({ ok: true, messages: [toInbound(raw)] }),
 *   render: (msg) => [renderAsText(msg)],
 *   send: async (to, rendered) => { for (const line of rendered) process.stdout.write(line); },
 * };
 * ```
 */
export interface ChannelAdapter<Rendered = unknown> {
  /** The channel's name; also the `channel` of every inbound message it parses. */
  readonly channel: string;
  readonly capabilities: ChannelCapabilities;
  /** Turns a raw payload (a JSON body, a line of text …) into inbound messages. */
  parse(raw: unknown, context: { botId: string }): ParseResult;
  /**
   * Renders one outbound message as zero or more channel messages, within
   * `capabilities`, for the customer's locale and (when known) the bot that
   * speaks, whose channel settings may change what is shown.
   */
  render(message: OutboundMessage, context: { locale: string; botId?: string }): Rendered[];
  /** Delivers rendered messages to a customer. */
  send(to: { botId: string; customerId: string }, messages: Rendered[]): Promise<void>;
}
