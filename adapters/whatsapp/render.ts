import type { ChannelCapabilities, OutboundMessage } from '../../engine/index.ts';
import { charLength, degradeChoice, splitText, textOf, type OptionIds } from '../kit/index.ts';

/** What a WhatsApp bot can show (Cloud API limits). */
export const WHATSAPP_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 3,
  maxButtonTitle: 20,
  maxListRows: 10,
  maxListRowTitle: 24,
  maxTextLength: 4096,
  numberedFallback: true,
  images: true,
  kinds: ['text', 'choice', 'product', 'paymentLink', 'image'],
};

/** Further Cloud API limits used when rendering. */
export const WHATSAPP_LIMITS = {
  /** Body text of an interactive message. */
  interactiveBody: 1024,
  /** Media caption. */
  caption: 1024,
  rowDescription: 72,
  /** Label of the button that opens a list, and of a CTA URL button. */
  buttonLabel: 20,
  /** Row ids (200) are shorter than button ids (256): one limit fits both. */
  optionIdBytes: 200,
} as const;

/** A reply button or list row of an interactive message. */
export interface WhatsAppRow {
  id: string;
  title: string;
  description?: string;
}

/** The `interactive` object of a message. */
export type WhatsAppInteractive =
  | { type: 'button'; body: { text: string }; action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] } }
  | { type: 'list'; body: { text: string }; action: { button: string; sections: { rows: WhatsAppRow[] }[] } }
  | { type: 'cta_url'; body: { text: string }; action: { name: 'cta_url'; parameters: { display_text: string; url: string } } };

/**
 * One Cloud API message without its envelope (`messaging_product`, `to`),
 * which the adapter adds when sending.
 */
export type WhatsAppOutbound =
  | { type: 'text'; text: { body: string; preview_url?: boolean } }
  | { type: 'image'; image: { link: string; caption?: string } }
  | { type: 'interactive'; interactive: WhatsAppInteractive };

const texts = (text: string, preview = false): WhatsAppOutbound[] =>
  splitText(text, WHATSAPP_CAPABILITIES.maxTextLength).map((body) => ({ type: 'text', text: { body, ...(preview ? { preview_url: true } : {}) } }));

const isWebUrl = (url: string): boolean => /^https?:\/\//i.test(url);

function image(link: string, caption: string | undefined): WhatsAppOutbound[] {
  if (caption === undefined || charLength(caption) <= WHATSAPP_LIMITS.caption) {
    return [{ type: 'image', image: { link, ...(caption ? { caption } : {}) } }];
  }
  return [{ type: 'image', image: { link } }, ...texts(caption)];
}

/**
 * Renders one outbound message as Cloud API messages within
 * {@link WHATSAPP_CAPABILITIES}: choices as reply buttons, a list or numbered
 * text (see `degradeChoice`); a payment link as a CTA URL button; a product
 * with an image as an image with a caption; carts and order statuses as text.
 *
 * @example
 * ```ts
 * renderWhatsApp({ kind: 'text', text: 'Hello' }, new OptionIds({ maxBytes: 200 }));
 * // [{ type: 'text', text: { body: 'Hello' } }]
 * ```
 */
export function renderWhatsApp(message: OutboundMessage, ids: OptionIds): WhatsAppOutbound[] {
  switch (message.kind) {
    case 'choice': {
      const fit = degradeChoice(message, WHATSAPP_CAPABILITIES, {
        maxBody: WHATSAPP_LIMITS.interactiveBody, maxRowDescription: WHATSAPP_LIMITS.rowDescription, maxListButton: WHATSAPP_LIMITS.buttonLabel,
      });
      if (fit.mode === 'buttons') {
        return [{
          type: 'interactive',
          interactive: {
            type: 'button', body: { text: fit.text },
            action: { buttons: fit.buttons.map((b, i) => ({ type: 'reply', reply: { id: ids.encode(b.id, i + 1), title: b.title } })) },
          },
        }];
      }
      if (fit.mode === 'list') {
        const rows = fit.rows.map((r, i) => ({ ...r, id: ids.encode(r.id, i + 1) }));
        return [{ type: 'interactive', interactive: { type: 'list', body: { text: fit.text }, action: { button: fit.button, sections: [{ rows }] } } }];
      }
      return texts(fit.text);
    }
    case 'paymentLink': {
      const body = `${message.text}`;
      if (isWebUrl(message.url) && charLength(body) <= WHATSAPP_LIMITS.interactiveBody && message.label.trim() !== '' && charLength(message.label) <= WHATSAPP_LIMITS.buttonLabel) {
        return [{ type: 'interactive', interactive: { type: 'cta_url', body: { text: body }, action: { name: 'cta_url', parameters: { display_text: message.label, url: message.url } } } }];
      }
      return texts(textOf(message), true);
    }
    case 'product': {
      const url = message.product.imageUrl;
      return url && isWebUrl(url) ? image(url, textOf(message)) : texts(textOf(message));
    }
    case 'image':
      return isWebUrl(message.url) ? image(message.url, message.caption) : texts(textOf(message));
    default:
      return texts(textOf(message));
  }
}
