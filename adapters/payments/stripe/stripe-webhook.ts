import type Stripe from 'stripe';
import type { Clock, PaymentUpdate, PaymentWebhook } from '../../../engine/index.ts';

/**
 * The path Stripe webhook endpoints were configured with before providers
 * shared `/webhooks/payments/<id>`; the Stripe webhook answers on both.
 *
 * @example
 * ```ts
 * await fetch(`${base}${STRIPE_WEBHOOK_PATH}`, { method: 'POST', headers: { 'stripe-signature': signature }, body });
 * ```
 */
export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';

/** The Checkout Session an event is about. */
const sessionOf = (event: Stripe.Event): Stripe.Checkout.Session => event.data.object as Stripe.Checkout.Session;

/** The id of a PaymentIntent field (Stripe sends an id, or the object when expanded). */
const intentId = (intent: string | { id: string } | null | undefined): string | undefined => (typeof intent === 'string' ? intent : intent?.id);

function paid(event: Stripe.Event): PaymentUpdate {
  const session = sessionOf(event);
  // A session without an amount or currency can match no order: it is held for review.
  const amount = { minor: session.amount_total ?? 0, currency: session.currency ?? '' };
  const paidRef = intentId(session.payment_intent);
  return { eventId: event.id, type: event.type, providerRef: session.id, ...(paidRef ? { paidRef } : {}), outcome: 'paid', amount };
}

/** A charge refunded in full is the payment refunded; a partial refund leaves the order as it is. */
/** A Pix payment shown in the chat: its PaymentIntent is the payment we know. */
function intentPaid(event: Stripe.Event): PaymentUpdate {
  const intent = event.data.object as Stripe.PaymentIntent;
  return { eventId: event.id, type: event.type, providerRef: intent.id, paidRef: intent.id, outcome: 'paid', amount: { minor: intent.amount_received, currency: intent.currency } };
}

function refunded(event: Stripe.Event): PaymentUpdate {
  const charge = event.data.object as Stripe.Charge;
  const paidRef = intentId(charge.payment_intent);
  const full = charge.refunded && charge.amount_refunded >= charge.amount;
  return { eventId: event.id, type: event.type, ...(paidRef ? { paidRef } : {}), outcome: full && paidRef ? 'refunded' : 'ignored' };
}

/**
 * What a Stripe event means for a payment: `checkout.session.completed`
 * with `payment_status: paid` and `…async_payment_succeeded` are `paid`
 * (with the session's total), a completed session still unpaid (a bank
 * transfer on its way) is `ignored`, `…async_payment_failed` is `failed`,
 * `…expired` is `expired`; `charge.refunded` for a charge refunded in full
 * (a refund made in Stripe's dashboard, or one Vitrine asked for) is
 * `refunded`, a partial refund `ignored`; any other type is `ignored`. The
 * payment reference is the Checkout Session id; a paid session's PaymentIntent
 * id is its `paidRef`, by which a charge's events find it.
 *
 * @example
 * ```ts
 * readStripeEvent(event); // { eventId: 'evt_…', type: 'checkout.session.expired', providerRef: 'cs_test_…', outcome: 'expired' }
 * ```
 */
export function readStripeEvent(event: Stripe.Event): PaymentUpdate {
  const base = { eventId: event.id, type: event.type };
  switch (event.type) {
    case 'checkout.session.completed':
      return sessionOf(event).payment_status === 'paid' ? paid(event) : { ...base, providerRef: sessionOf(event).id, outcome: 'ignored' };
    case 'checkout.session.async_payment_succeeded':
      return paid(event);
    case 'checkout.session.async_payment_failed':
      return { ...base, providerRef: sessionOf(event).id, outcome: 'failed' };
    case 'checkout.session.expired':
      return { ...base, providerRef: sessionOf(event).id, outcome: 'expired' };
    case 'charge.refunded':
      return refunded(event);
    case 'payment_intent.succeeded':
      return intentPaid(event);
    case 'payment_intent.payment_failed':
      // A Pix code that expired unpaid: the customer may ask for a new one.
      return { ...base, providerRef: (event.data.object as Stripe.PaymentIntent).id, outcome: 'expired' };
    case 'payment_intent.canceled':
      return { ...base, providerRef: (event.data.object as Stripe.PaymentIntent).id, outcome: 'expired' };
    default: {
      // Events about one object still keep their order in the journal.
      const id = (event.data.object as { id?: unknown }).id;
      return { ...base, ...(typeof id === 'string' ? { providerRef: id } : {}), outcome: 'ignored' };
    }
  }
}

/** Options of {@link stripeWebhook}. */
export interface StripeWebhookOptions {
  /** How far, in seconds, a signature's timestamp may be from now, either way (default 300, Stripe's own). */
  toleranceSeconds?: number;
  /** The time source (default the system clock). */
  clock?: Clock;
}

/** The signed timestamp (`t=`, in seconds) of a `Stripe-Signature` header; the last one wins, as in the SDK. */
function signedAt(header: string): number | undefined {
  let t: number | undefined;
  for (const part of header.split(',')) {
    const [key, value] = part.split('=');
    if (key?.trim() === 't' && value !== undefined && /^\d+$/.test(value.trim())) t = Number(value.trim());
  }
  return t;
}

/**
 * Stripe's webhook: checks the `Stripe-Signature` header over the raw body
 * with the endpoint's signing secret through the SDK, refuses a signature
 * whose timestamp is more than the tolerance (five minutes) from now in
 * either direction (the SDK alone only refuses old ones), and reads events
 * with {@link readStripeEvent}. Answers on `/webhooks/payments/stripe` and
 * on `/webhooks/stripe`.
 *
 * @example
 * ```ts
 * const webhook = stripeWebhook(client, process.env.STRIPE_WEBHOOK_SECRET!, { clock: systemClock });
 * webhook.verify({ body, headers }); // { ok: true, event } or { ok: false, reason }
 * ```
 */
export function stripeWebhook(client: Stripe, webhookSecret: string, options: StripeWebhookOptions = {}): PaymentWebhook<Stripe.Event> {
  const tolerance = options.toleranceSeconds ?? 300;
  return {
    paths: [STRIPE_WEBHOOK_PATH],
    verify({ body, headers }) {
      const signature = headers['stripe-signature'];
      if (typeof signature !== 'string' || body.length === 0) return { ok: false, reason: 'A Stripe-Signature header and a JSON body are required' };
      const now = (options.clock?.now() ?? new Date()).getTime();
      try {
        const event = client.webhooks.constructEvent(body, signature, webhookSecret, tolerance, undefined, now);
        const t = signedAt(signature);
        if (t === undefined || Math.abs(Math.floor(now / 1000) - t) > tolerance) return { ok: false, reason: 'Timestamp outside the tolerance zone' };
        return { ok: true, event };
      } catch (err) {
        return { ok: false, reason: err instanceof Error ? err.message : String(err) };
      }
    },
    read: readStripeEvent,
  };
}
