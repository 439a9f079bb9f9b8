import type { ChannelCapabilities, OutboundMessage } from '../../engine/index.ts';
import { charLength, degradeChoice, splitText, textOf, type OptionIds } from '../kit/index.ts';

/**
 * What a Telegram bot shows: inline keyboard buttons (one per row), no lists.
 * Button texts are kept short enough to read on a phone.
 */
export const TELEGRAM_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 10,
  maxButtonTitle: 40,
  maxListRows: 0,
  maxListRowTitle: 0,
  maxTextLength: 4096,
  numberedFallback: true,
  images: true,
  kinds: ['text', 'choice', 'product', 'paymentLink', 'image'],
  inbound: ['location'],
};

/** Further Bot API limits. */
export const TELEGRAM_LIMITS = {
  /** Photo captions. */
  caption: 1024,
  /** `callback_data`, in bytes. */
  callbackDataBytes: 64,
} as const;

/** An inline keyboard button: a callback (a choice) or a link. */
export type InlineButton = { text: string; callback_data: string } | { text: string; url: string };

/** A Bot API call without `chat_id`, which the adapter adds when sending. */
export type TelegramOutbound =
  | { method: 'sendMessage'; text: string; reply_markup?: { inline_keyboard: InlineButton[][] } }
  | { method: 'sendPhoto'; photo: string; caption?: string };

const texts = (text: string): TelegramOutbound[] =>
  splitText(text, TELEGRAM_CAPABILITIES.maxTextLength).map((t) => ({ method: 'sendMessage', text: t }));

const isWebUrl = (url: string): boolean => /^https?:\/\//i.test(url);

function photo(url: string, caption: string | undefined): TelegramOutbound[] {
  if (caption === undefined || charLength(caption) <= TELEGRAM_LIMITS.caption) return [{ method: 'sendPhoto', photo: url, ...(caption ? { caption } : {}) }];
  return [{ method: 'sendPhoto', photo: url }, ...texts(caption)];
}

/**
 * Renders an outbound message as Bot API calls within {@link TELEGRAM_CAPABILITIES}:
 * choices as inline keyboards (or numbered text), payment links as URL buttons,
 * products with an image as photos. Long option ids become short tokens so
 * `callback_data` stays within 64 bytes.
 *
 * @example
 * ```ts
 * renderTelegram({ kind: 'choice', text: 'Pick', options: [{ id: 'a', label: 'Apples' }] }, new OptionIds({ maxBytes: 64 }));
 * // [{ method: 'sendMessage', text: 'Pick', reply_markup: { inline_keyboard: [[{ text: 'Apples', callback_data: 'a' }]] } }]
 * ```
 */
export function renderTelegram(message: OutboundMessage, ids: OptionIds): TelegramOutbound[] {
  switch (message.kind) {
    case 'choice': {
      const fit = degradeChoice(message, TELEGRAM_CAPABILITIES);
      if (fit.mode === 'buttons') {
        const inline_keyboard = fit.buttons.map((b, i) => [{ text: b.title, callback_data: ids.encode(b.id, i + 1) }]);
        return [{ method: 'sendMessage', text: fit.text, reply_markup: { inline_keyboard } }];
      }
      return texts(fit.mode === 'list' ? textOf(message) : fit.text);
    }
    case 'paymentLink': {
      // A Pix code comes alone after its button, so that a tap copies exactly the code.
      const code = message.code ? texts(message.code.value) : [];
      if (isWebUrl(message.url) && charLength(message.text) <= TELEGRAM_CAPABILITIES.maxTextLength && message.label.trim() !== '') {
        return [{ method: 'sendMessage', text: message.text, reply_markup: { inline_keyboard: [[{ text: message.label, url: message.url }]] } }, ...code];
      }
      return texts(textOf(message));
    }
    case 'product': {
      const url = message.product.imageUrl;
      return url && isWebUrl(url) ? photo(url, textOf(message)) : texts(textOf(message));
    }
    case 'image':
      return isWebUrl(message.url) ? photo(message.url, message.caption) : texts(textOf(message));
    default:
      return texts(textOf(message));
  }
}
