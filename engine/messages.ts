/**
 * Messages are data. Adapters turn channel payloads into {@link InboundMessage}s
 * and render {@link OutboundMessage}s within their channel's capabilities.
 */

import type { OrderStatus } from './orders/order-machine.ts';

/** Who sent an inbound message, as the channel knows them. */
export interface CustomerRef {
  /** The channel's id for the customer (a phone number, a chat id, a browser id). */
  id: string;
  /** A display name, when the channel gives one. */
  name?: string;
  /** The customer's phone number in E.164 (`+5511…`), when the channel gives one (WhatsApp). */
  phone?: string;
  /** A locale hint from the channel (e.g. Telegram's `language_code`). */
  locale?: string;
}

interface InboundBase {
  /** The channel's unique id of this message: the deduplication key. */
  messageId: string;
  /** The channel's name, e.g. `console`, `webchat`, `whatsapp`. */
  channel: string;
  /** The id of the bot this message is for. */
  botId: string;
  customer: CustomerRef;
  /** When the channel says it was sent. */
  timestamp?: Date;
}

/**
 * What a customer sent.
 *
 * @example
 * ```ts
 * const msg: InboundMessage = {
 *   kind: 'text', text: 'padaria', messageId: 'm1', channel: 'console', botId: 'directory',
 *   customer: { id: 'ana' },
 * };
 * ```
 */
export type InboundMessage =
  | (InboundBase & { kind: 'text'; text: string })
  /** A tap on a button or list row: the id of an option the bot offered. */
  | (InboundBase & { kind: 'choice'; optionId: string; label?: string })
  | (InboundBase & { kind: 'location'; latitude: number; longitude: number; name?: string })
  /** A cart sent from a channel's own catalog UI (e.g. a WhatsApp order). */
  | (InboundBase & { kind: 'order'; items: { sku: string; quantity: number }[]; note?: string })
  /** Anything the channel could not map (a sticker, a voice note …). */
  | (InboundBase & { kind: 'unsupported'; what: string });

/** The kinds of {@link InboundMessage}. */
export type InboundKind = InboundMessage['kind'];

/** One option of a {@link ChoiceMessage}. */
export interface ChoiceOption {
  /** Stable id sent back as an inbound `choice`. */
  id: string;
  /** Short label (buttons and list rows). */
  label: string;
  /** Optional second line (list rows). */
  description?: string;
  /** When the option is a product: rich channels show a card, text channels the label and description. */
  product?: ProductView;
}

/** A product as the customer sees it; prices are already formatted for their locale. */
export interface ProductView {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: { minor: number; currency: string; formatted: string };
  imageUrl?: string;
  inStock: boolean;
}

/** One line of a cart or order. */
export interface LineView {
  productId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: string;
  lineTotal: string;
}

/** One line of an order in minor units, as stored with the order. */
export interface OrderLineAmount {
  sku: string;
  name: string;
  quantity: number;
  /** The unit price taken at checkout, in minor units of the order's currency. */
  unitPriceMinor: number;
}

/**
 * A charge shown below an order's lines, already worded and formatted:
 * `label` "Delivery fee (Islington)" and `amount` "£4.00", or "Delivery" and "free".
 *
 * @example
 * ```ts
 * const fee: ChargeView = { label: 'Delivery fee (Islington)', amount: '£4.00' };
 * ```
 */
export interface ChargeView {
  label: string;
  amount: string;
}

/**
 * An order's lines and amounts in integer minor units, read from the database,
 * for channels that show an order natively (WhatsApp's `order_details`).
 * `totalMinor` is `subtotalMinor + shippingMinor`.
 */
export interface OrderAmounts {
  /** ISO 4217 code. */
  currency: string;
  lines: OrderLineAmount[];
  /** The sum of the lines' totals. */
  subtotalMinor: number;
  /** Delivery and fees charged on top of the lines, when the order has any. */
  shippingMinor?: number;
  totalMinor: number;
  /** A short translated summary shown above the order ("Order VT-1 at Padaria: R$ 37,50"). */
  text: string;
}

/** A question with options. Adapters show buttons, a list or numbered text. */
export interface ChoiceMessage {
  kind: 'choice';
  text: string;
  options: ChoiceOption[];
  /** Label of the button that opens a list, when the channel uses one. */
  buttonLabel?: string;
  /**
   * Whether typing an option's number picks it (default true). False when the
   * step expects a number of its own, such as a quantity.
   */
  numbered?: boolean;
  /**
   * The question as it reads when the options are shown as numbered text,
   * where the customer answers by typing a number ("… Reply with a number:").
   * Channels that show buttons or a list show `text`, which names no numbers.
   */
  textWhenNumbered?: string;
}

/**
 * A payment code shown in the chat (Pix "copia e cola"): `value` to copy,
 * `imageUrl` its QR when there is one, `expires` when it stops working, worded
 * for the customer.
 */
export interface PaymentCodeView {
  method: string;
  value: string;
  imageUrl?: string;
  expires?: string;
}

/**
 * What the bot says. Text is already translated and money already formatted;
 * adapters only render.
 *
 * @example
 * ```ts
 * const reply: OutboundMessage = { kind: 'choice', text: 'Pick one', options: [{ id: 'a', label: 'Apples' }] };
 * ```
 */
export type OutboundMessage =
  /**
   * `from: 'staff'`: written by a person of the business in a hand-off; `text` is
   * how the customer reads it, under the business's name ("Padaria São Jorge: Temos sim!"),
   * and `said` the staff's own words, as their transcript shows them.
   */
  | { kind: 'text'; text: string; from?: 'staff'; said?: string }
  | ChoiceMessage
  | { kind: 'product'; product: ProductView; text?: string }
  | { kind: 'productList'; title: string; products: ProductView[]; footer?: string }
  | { kind: 'cart'; title: string; lines: LineView[]; total: string; totalMinor: number; currency: string; empty: boolean }
  /** `order`: the order's amounts, for channels that show the order itself with the link. */
  | { kind: 'paymentLink'; text: string; url: string; label: string; amount: string; orderNumber: string; order?: OrderAmounts; code?: PaymentCodeView }
  /**
   * `change`: the message tells the customer the order just changed (paid,
   * fulfilled, shipped, cancelled, refunded), as opposed to answering a question about it.
   * `fee`: the delivery fee, shown below the lines so that they add up to the total.
   */
  | { kind: 'orderStatus'; text: string; orderNumber: string; status: OrderStatus; statusLabel: string; total: string; lines: LineView[]; fee?: ChargeView; currency?: string; change?: boolean }
  | { kind: 'image'; url: string; caption?: string }
  | { kind: 'handoff'; text: string };

/** The kinds of {@link OutboundMessage}. */
export type OutboundKind = OutboundMessage['kind'];
