import type { ChannelCapabilities, OutboundMessage } from '../../engine/index.ts';
import { charLength, degradeChoice, splitText, textOf, type OptionIds } from '../kit/index.ts';
import { orderDetails, orderStatusUpdate, type WhatsAppOrderDetails, type WhatsAppOrderStatusUpdate } from './order-messages.ts';

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
  inbound: ['location', 'order'],
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
 * An order message (`order_details` or `order_status`) and what the customer
 * gets instead when WhatsApp will not deliver it to them (a business not
 * enabled for payments, a customer outside Brazil, an app that cannot show it).
 * `fallback` is never sent to the Graph API with the message.
 */
export interface WhatsAppOrderOutbound {
  type: 'interactive';
  interactive: WhatsAppOrderDetails | WhatsAppOrderStatusUpdate;
  fallback: WhatsAppOutbound[];
}

/**
 * One Cloud API message without its envelope (`messaging_product`, `to`),
 * which the adapter adds when sending.
 */
export type WhatsAppOutbound =
  | { type: 'text'; text: { body: string; preview_url?: boolean } }
  | { type: 'image'; image: { link: string; caption?: string } }
  | { type: 'interactive'; interactive: WhatsAppInteractive }
  | WhatsAppOrderOutbound;

/** What a bot's WhatsApp settings change in rendering. */
export interface WhatsAppRenderOptions {
  /**
   * Whether payment links and order changes are sent as WhatsApp's own order
   * messages (bot.yaml `channels.whatsapp.orderMessages`, on unless `false`);
   * only orders in BRL qualify. Default false.
   */
  orderMessages?: boolean;
}

/**
 * Whether a rendered message is an order message with a fallback.
 *
 * @example
 * ```ts
 * if (isOrderOutbound(message)) sendOrElse(message.interactive, message.fallback);
 * ```
 */
export function isOrderOutbound(message: WhatsAppOutbound): message is WhatsAppOrderOutbound {
  return 'fallback' in message;
}

const texts = (text: string, preview = false): WhatsAppOutbound[] =>
  splitText(text, WHATSAPP_CAPABILITIES.maxTextLength).map((body) => ({ type: 'text', text: { body, ...(preview ? { preview_url: true } : {}) } }));

const isWebUrl = (url: string): boolean => /^https?:\/\//i.test(url);

function image(link: string, caption: string | undefined): WhatsAppOutbound[] {
  if (caption === undefined || charLength(caption) <= WHATSAPP_LIMITS.caption) {
    return [{ type: 'image', image: { link, ...(caption ? { caption } : {}) } }];
  }
  return [{ type: 'image', image: { link } }, ...texts(caption)];
}

/** A payment link as a CTA URL button, or as text with a link preview when it does not fit one. */
function paymentButton(message: Extract<OutboundMessage, { kind: 'paymentLink' }>): WhatsAppOutbound[] {
  const body = message.text;
  if (isWebUrl(message.url) && charLength(body) <= WHATSAPP_LIMITS.interactiveBody && message.label.trim() !== '' && charLength(message.label) <= WHATSAPP_LIMITS.buttonLabel) {
    return [{ type: 'interactive', interactive: { type: 'cta_url', body: { text: body }, action: { name: 'cta_url', parameters: { display_text: message.label, url: message.url } } } }];
  }
  return texts(textOf(message), true);
}

/**
 * Renders one outbound message as Cloud API messages within
 * {@link WHATSAPP_CAPABILITIES}: choices as reply buttons, a list or numbered
 * text (see `degradeChoice`); a payment link as a CTA URL button; a product
 * with an image as an image with a caption; carts and order statuses as text.
 * With `orderMessages`, a payment link for an order in BRL is an
 * `order_details` message and a change of such an order an `order_status`
 * message (see `order-messages.ts`), each carrying the rendering above as its fallback.
 *
 * @example
 * ```ts
 * renderWhatsApp({ kind: 'text', text: 'Hello' }, new OptionIds({ maxBytes: 200 }));
 * // [{ type: 'text', text: { body: 'Hello' } }]
 * ```
 */
export function renderWhatsApp(message: OutboundMessage, ids: OptionIds, options: WhatsAppRenderOptions = {}): WhatsAppOutbound[] {
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
      const details = options.orderMessages ? orderDetails(message) : undefined;
      const pay: WhatsAppOutbound[] = details ? [{ type: 'interactive', interactive: details, fallback: paymentButton(message) }] : paymentButton(message);
      // A Pix code comes alone after the order, so that a long press copies exactly the code.
      return message.code ? [...pay, ...texts(message.code.value)] : pay;
    }
    case 'orderStatus': {
      const update = options.orderMessages ? orderStatusUpdate(message) : undefined;
      const text = texts(textOf(message));
      return update ? [{ type: 'interactive', interactive: update, fallback: text }] : text;
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
