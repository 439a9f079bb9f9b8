import { parseFailure, type ChannelAdapter, type ChannelCapabilities, type InboundMessage, type ParseResult } from 'vitrine';
import { splitText, textOf } from 'vitrine/kit';

/** What the SMS gateway posts for each text a customer sends. */
export interface SmsWebhook {
  /** The gateway's id of the text: the deduplication key. */
  id: string;
  /** The customer's phone number, E.164. */
  from: string;
  body: string;
}

/** SMS shows text only, 160 characters a segment; choices become numbered lines. */
export const SMS_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 0,
  maxButtonTitle: 0,
  maxListRows: 0,
  maxListRowTitle: 0,
  maxTextLength: 160,
  numberedFallback: true,
  images: false,
  kinds: [],
};

/**
 * An SMS channel: parses the gateway's webhook, renders every reply as
 * segments of at most 160 characters, and sends them with the function given.
 *
 * @example
 * ```ts
 * const sms = createSmsAdapter({ send: async (to, text) => gateway.send(to, text) });
 * ```
 */
export function createSmsAdapter(options: { send(to: string, text: string): Promise<void> }): ChannelAdapter<string> {
  return {
    channel: 'sms',
    capabilities: SMS_CAPABILITIES,
    parse(raw, { botId }): ParseResult {
      const hook = raw as Partial<SmsWebhook> | null;
      if (!hook || typeof hook.id !== 'string' || typeof hook.from !== 'string' || typeof hook.body !== 'string' || !/^\+\d{8,15}$/.test(hook.from)) {
        return parseFailure('expected { id, from: "+<E.164>", body } strings');
      }
      const message: InboundMessage = { kind: 'text', text: hook.body, messageId: hook.id, channel: 'sms', botId, customer: { id: hook.from } };
      return { ok: true, messages: [message] };
    },
    render: (message) => splitText(textOf(message), SMS_CAPABILITIES.maxTextLength),
    async send(to, segments) {
      for (const text of segments) await options.send(to.customerId, text);
    },
  };
}
