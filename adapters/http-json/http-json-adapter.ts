/**
 * A generic JSON webhook channel, written only against the public engine API
 * and the adapter kit (`vitrine`, `vitrine/kit`), the way a channel outside this repository would be.
 */
import { parseFailure, type ChannelAdapter, type ChannelCapabilities, type InboundMessage, type ParseResult } from '../../engine/index.ts';
import { httpPostFor, textOf } from '../kit/index.ts';

/** What this channel shows: up to 5 buttons with labels up to 30 characters, no lists. */
export const HTTP_JSON_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 5,
  maxButtonTitle: 30,
  maxListRows: 0,
  maxListRowTitle: 0,
  maxTextLength: 2000,
  numberedFallback: true,
  images: true,
  kinds: ['text', 'choice', 'image', 'paymentLink'],
};

/**
 * What a client posts: a text or a tapped button.
 *
 * @example
 * ```json
 * { "messageId": "m-1", "customerId": "ana", "text": "padaria", "locale": "pt-BR" }
 * { "messageId": "m-2", "customerId": "ana", "optionId": "business:42" }
 * ```
 */
export interface HttpJsonInbound {
  messageId: string;
  customerId: string;
  text?: string;
  optionId?: string;
  locale?: string;
}

/** What the channel sends back: text, with buttons or a link, or an image. */
export type HttpJsonOutbound =
  | { type: 'text'; text: string; buttons?: { id: string; title: string }[]; link?: { title: string; url: string } }
  | { type: 'image'; url: string; caption?: string };

/** Options of {@link createHttpJsonAdapter}. */
export interface HttpJsonAdapterOptions {
  /** Where replies nobody asked for (payment results) are POSTed as `{ customerId, messages }`; without it they are dropped. */
  callbackUrl?: string;
  /** Posts through this `fetch` instead of the kit's default HTTP client ({@link undiciPost}). */
  fetch?: typeof fetch;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function cut(text: string, max: number): string[] {
  const out: string[] = [];
  for (let rest = text; rest.length > 0; rest = rest.slice(max)) out.push(rest.slice(0, max));
  return out.length > 0 ? out : [''];
}

/**
 * A JSON webhook channel: clients POST {@link HttpJsonInbound} and get
 * {@link HttpJsonOutbound} messages back in the response.
 *
 * @example
 * ```ts
 * const adapter = createHttpJsonAdapter();
 * const parsed = adapter.parse({ messageId: 'm-1', customerId: 'ana', text: 'padaria' }, { botId: 'directory' });
 * if (parsed.ok) {
 *   const turn = await engine.process(parsed.messages[0]!);
 *   const out = turn.replies.flatMap((r) => adapter.render(r, { locale: turn.locale }));
 * }
 * ```
 */
export function createHttpJsonAdapter(options: HttpJsonAdapterOptions = {}): ChannelAdapter<HttpJsonOutbound> {
  const caps = HTTP_JSON_CAPABILITIES;
  const post = httpPostFor(options);
  return {
    channel: 'http-json',
    capabilities: caps,
    parse(raw, { botId }): ParseResult {
      if (!isRecord(raw)) return parseFailure('expected a JSON object');
      const { messageId, customerId, text, optionId, locale } = raw;
      if (typeof messageId !== 'string' || messageId === '' || typeof customerId !== 'string' || customerId === '') {
        return parseFailure('expected "messageId" and "customerId" strings');
      }
      const base = { messageId, channel: 'http-json', botId, customer: { id: customerId, ...(typeof locale === 'string' ? { locale } : {}) } };
      let message: InboundMessage;
      if (typeof optionId === 'string') message = { ...base, kind: 'choice', optionId };
      else if (typeof text === 'string') message = { ...base, kind: 'text', text };
      else return parseFailure('expected "text" or "optionId"');
      return { ok: true, messages: [message] };
    },
    render(message): HttpJsonOutbound[] {
      if (message.kind === 'choice') {
        const fits = message.options.length <= caps.maxButtons && message.options.every((o) => o.label.length <= caps.maxButtonTitle);
        if (fits && message.text.length <= caps.maxTextLength) {
          return [{ type: 'text', text: message.text, buttons: message.options.map((o) => ({ id: o.id, title: o.label })) }];
        }
      }
      if (message.kind === 'paymentLink' && message.text.length <= caps.maxTextLength) {
        return [{ type: 'text', text: message.text, link: { title: message.label, url: message.url } }];
      }
      if (message.kind === 'image') return [{ type: 'image', url: message.url, ...(message.caption ? { caption: message.caption } : {}) }];
      return cut(textOf(message), caps.maxTextLength).map((text) => ({ type: 'text', text }));
    },
    async send(to, messages) {
      if (!options.callbackUrl) return;
      const res = await post(options.callbackUrl, {
        headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customerId: to.customerId, messages }), timeoutMs: 60_000,
      });
      await res.discard();
      if (!res.ok) throw new Error(`callback answered HTTP ${res.status}`);
    },
  };
}
