import { currencyExponent, type OrderAmounts, type OrderStatus, type OutboundMessage } from '../../engine/index.ts';
import { charLength, shorten } from '../kit/index.ts';

/*
 * WhatsApp's own order messages (Payments API, Brazil), as Meta documents them:
 * - Orders: https://developers.facebook.com/documentation/business-messaging/whatsapp/payments/payments-br/orders
 *   `order_details` (action `review_and_pay`) creates the order in the customer's app with
 *   `reference_id`, `type`, `payment_type: "br"`, `payment_settings`, `currency`, `total_amount`
 *   and an optional `order` (`status: "pending"`, `items`, `subtotal`, `tax`, `shipping`,
 *   `discount`); `order_status` (action `review_order`) moves the order with the same `reference_id`.
 *   Orders start `pending`; `completed` means the customer expects no further update.
 * - Payment links: https://developers.facebook.com/documentation/business-messaging/whatsapp/payments/payments-br/payment-links
 *   `payment_settings: [{ type: "payment_link", payment_link: { uri } }]`; the business confirms
 *   the payment with its provider and must update the order status as soon as it is paid.
 * - Amounts are `{ value, offset }` with offset 100 for BRL (value 3750 = R$ 37,50); the currency
 *   must be BRL and `total_amount` = subtotal + tax + shipping − discount
 *   (https://developers.cm.com/messaging/docs/payments-brazil); an item name is at most 60
 *   characters and `sale_amount` is optional (https://docs.360dialog.com/docs/waba-messaging/payments-india-only/receive-whatsapp-payments-via-payments-gateway);
 *   a customer without a Brazilian number cannot receive them (cm.com, above).
 */

/** Limits of the order messages. */
export const WHATSAPP_ORDER_LIMITS = {
  /** `reference_id`: letters, digits, `_`, `-`, `.`, at most 35 characters. */
  referenceId: /^[A-Za-z0-9_.-]{1,35}$/,
  itemName: 60,
  body: 1024,
  /** The only currency of the Payments API in Brazil. */
  currency: 'BRL',
} as const;

/** The statuses an `order_status` message may set. */
export const WHATSAPP_ORDER_STATUSES = ['pending', 'processing', 'partially_shipped', 'shipped', 'completed', 'canceled'] as const;

/** A status from {@link WHATSAPP_ORDER_STATUSES}. */
export type WhatsAppOrderStatus = (typeof WHATSAPP_ORDER_STATUSES)[number];

/**
 * The WhatsApp status each change of a Vitrine order is shown as. `fulfilled`
 * (ready) stays `processing` because `shipped` may still follow, and
 * `completed` would end the order in the customer's app; a refund cancels it
 * there. Statuses without an entry (awaiting payment, expired, review) send no `order_status`.
 */
export const ORDER_STATUS_ON_WHATSAPP: Partial<Record<OrderStatus, WhatsAppOrderStatus>> = {
  paid: 'processing', fulfilled: 'processing', shipped: 'shipped', cancelled: 'canceled', refunded: 'canceled',
};

/** An amount as the Payments API writes it: `value / offset` in the currency. */
export interface WhatsAppAmount {
  value: number;
  offset: number;
}

/** One item of an order. */
export interface WhatsAppOrderItem {
  retailer_id: string;
  name: string;
  amount: WhatsAppAmount;
  quantity: number;
}

/** The `interactive` object of an `order_details` message. */
export interface WhatsAppOrderDetails {
  type: 'order_details';
  body: { text: string };
  action: {
    name: 'review_and_pay';
    parameters: {
      reference_id: string;
      type: 'physical-goods' | 'digital-goods';
      payment_type: 'br';
      /** Only `payment_link` for now; a `pix_dynamic_code` setting would sit beside it. */
      payment_settings: { type: 'payment_link'; payment_link: { uri: string } }[];
      currency: string;
      total_amount: WhatsAppAmount;
      order: {
        status: 'pending';
        items: WhatsAppOrderItem[];
        subtotal: WhatsAppAmount;
        tax: WhatsAppAmount;
        shipping?: WhatsAppAmount;
      };
    };
  };
}

/** The `interactive` object of an `order_status` message. */
export interface WhatsAppOrderStatusUpdate {
  type: 'order_status';
  body: { text: string };
  action: { name: 'review_order'; parameters: { reference_id: string; order: { status: WhatsAppOrderStatus } } };
}

type PaymentLink = Extract<OutboundMessage, { kind: 'paymentLink' }>;
type OrderStatusNotice = Extract<OutboundMessage, { kind: 'orderStatus' }>;

/** Whether the amounts can be shown as an order: BRL, a valid reference, lines, and a total that adds up. */
function showable(reference: string, order: OrderAmounts): boolean {
  const lines = order.lines.reduce((sum, l) => sum + l.unitPriceMinor * l.quantity, 0);
  return order.currency === WHATSAPP_ORDER_LIMITS.currency && WHATSAPP_ORDER_LIMITS.referenceId.test(reference)
    && order.lines.length > 0 && order.lines.every((l) => l.name.trim() !== '' && l.sku !== '' && Number.isInteger(l.quantity) && l.quantity > 0)
    && lines === order.subtotalMinor && order.subtotalMinor + (order.shippingMinor ?? 0) === order.totalMinor
    && order.text.trim() !== '' && charLength(order.text) <= WHATSAPP_ORDER_LIMITS.body;
}

/**
 * A payment link as an `order_details` message: the order number is the
 * `reference_id`, the lines are the items at their unit prices, and the link
 * is the `payment_link`. Undefined when the message carries no order or the
 * order cannot be shown (not BRL, a total that does not add up, a body too long).
 *
 * @example
 * ```ts
 * const details = orderDetails(paymentLinkMessage);
 * details?.action.parameters.total_amount; // { value: 3750, offset: 100 }
 * ```
 */
export function orderDetails(message: PaymentLink): WhatsAppOrderDetails | undefined {
  const order = message.order;
  if (!order || !/^https?:\/\//i.test(message.url) || !showable(message.orderNumber, order)) return undefined;
  const offset = 10 ** currencyExponent(order.currency);
  const amount = (value: number): WhatsAppAmount => ({ value, offset });
  return {
    type: 'order_details',
    body: { text: order.text },
    action: {
      name: 'review_and_pay',
      parameters: {
        reference_id: message.orderNumber, type: 'physical-goods', payment_type: 'br',
        payment_settings: [{ type: 'payment_link', payment_link: { uri: message.url } }],
        currency: order.currency,
        total_amount: amount(order.totalMinor),
        order: {
          status: 'pending',
          items: order.lines.map((l) => ({ retailer_id: l.sku, name: shorten(l.name, WHATSAPP_ORDER_LIMITS.itemName), amount: amount(l.unitPriceMinor), quantity: l.quantity })),
          subtotal: amount(order.subtotalMinor),
          tax: amount(0),
          ...(order.shippingMinor !== undefined ? { shipping: amount(order.shippingMinor) } : {}),
        },
      },
    },
  };
}

/**
 * A change of an order as an `order_status` message with the order number as
 * `reference_id` (see {@link ORDER_STATUS_ON_WHATSAPP}). Undefined for a
 * message that is not a change, a status WhatsApp has no counterpart for, an
 * order not in BRL, or a text too long for the body.
 *
 * @example
 * ```ts
 * orderStatusUpdate({ ...notice, status: 'shipped', change: true })?.action.parameters.order; // { status: 'shipped' }
 * ```
 */
export function orderStatusUpdate(message: OrderStatusNotice): WhatsAppOrderStatusUpdate | undefined {
  const status = ORDER_STATUS_ON_WHATSAPP[message.status];
  if (!message.change || !status || message.currency !== WHATSAPP_ORDER_LIMITS.currency) return undefined;
  if (!WHATSAPP_ORDER_LIMITS.referenceId.test(message.orderNumber) || message.text.trim() === '' || charLength(message.text) > WHATSAPP_ORDER_LIMITS.body) return undefined;
  return {
    type: 'order_status',
    body: { text: message.text },
    action: { name: 'review_order', parameters: { reference_id: message.orderNumber, order: { status } } },
  };
}
