/**
 * What a provider's webhook event says happened to a payment, in the engine's words.
 *
 * @example
 * ```ts
 * const outcome: PaymentUpdateOutcome = PAYMENT_UPDATE_OUTCOMES.includes(status) ? status : 'ignored';
 * ```
 */
export const PAYMENT_UPDATE_OUTCOMES = ['paid', 'failed', 'expired', 'refunded', 'ignored'] as const;

/**
 * - `paid`: the money was taken (the order becomes `paid`, or `review` when `amount` differs from the order).
 * - `failed` / `expired`: the payment failed or its page expired; the customer may ask for a new link.
 * - `refunded`: the provider gave the money back (e.g. from its own dashboard).
 * - `ignored`: nothing for the order to do (an event type the provider sends that Vitrine does not act on).
 */
export type PaymentUpdateOutcome = (typeof PAYMENT_UPDATE_OUTCOMES)[number];

/**
 * A provider's webhook event mapped to what it means for a payment: the only
 * thing the engine reads of it. The engine finds the payment by
 * `(provider id, providerRef)`, deduplicates on `(provider id, eventId)` and
 * moves the order through the order machine.
 *
 * @example
 * ```ts
 * const update: PaymentUpdate = {
 *   eventId: 'evt_1', type: 'checkout.session.completed', providerRef: 'cs_test_1',
 *   outcome: 'paid', amount: { minor: 3750, currency: 'BRL' },
 * };
 * ```
 */
export interface PaymentUpdate {
  /** The provider's id of the event: a redelivery with the same id changes nothing. */
  eventId: string;
  /** The provider's name of the event type, kept with the event id. */
  type: string;
  /** The payment it is about: the `providerRef` its `createPayment` returned. Events about no payment of ours leave it out. */
  providerRef?: string;
  /**
   * The provider's id of the money taken, when it is not `providerRef` (the
   * payment of a hosted page, when the provider gives it its own id). A `paid` update records it on
   * the payment; an update without `providerRef` (a refund made in the
   * provider's dashboard names the charge, not the page) finds the payment by it.
   */
  paidRef?: string;
  outcome: PaymentUpdateOutcome;
  /** What the provider took (`paid`): compared with the order's total and currency (case-insensitive). Not compared when absent. */
  amount?: { minor: number; currency: string };
}

/**
 * The HTTP request of a webhook delivery, as a provider's `verify` sees it.
 *
 * @example
 * ```ts
 * const verified = webhook.verify({ body: request.rawBody ?? Buffer.alloc(0), headers: request.headers });
 * ```
 */
export interface WebhookRequest {
  /** The exact bytes received, before any parsing: signatures are computed over them. */
  body: Buffer;
  /** Request headers, names in lower case. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * The answer of {@link PaymentWebhook.verify}.
 *
 * @example
 * ```ts
 * const verified: WebhookVerification<AcmeEvent> = ok ? { ok: true, event } : { ok: false, reason: 'signature does not match' };
 * ```
 */
export type WebhookVerification<E> =
  | { ok: true; event: E }
  /** The signature is missing, wrong or too old; `reason` is logged, never shown to the sender. */
  | { ok: false; reason: string };

/**
 * The receiving side of a payment provider: results arrive as signed HTTP
 * deliveries. The server mounts it at `POST /webhooks/payments/<provider id>`
 * (and at `paths`), verifies each delivery, keeps the verified event in the
 * engine's journal and answers 200 only then; a worker applies what
 * {@link PaymentWebhook.read} says in the journal's transaction.
 *
 * @example
 * ```ts
 * const webhook: PaymentWebhook<{ id: string; ref: string; status: 'paid' | 'failed' }> = {
 *   verify({ body, headers }) {
 *     const ok = safeEqual(headers['x-signature'], hmacHex(secret, body));
 *     return ok ? { ok: true, event: JSON.parse(body.toString('utf8')) } : { ok: false, reason: 'bad signature' };
 *   },
 *   read: (event) => ({ eventId: event.id, type: event.status, providerRef: event.ref, outcome: event.status }),
 * };
 * ```
 */
export interface PaymentWebhook<E = unknown> {
  /** Further paths the same webhook answers on (e.g. one shops configured at the provider before). */
  readonly paths?: readonly string[];
  /** Checks the delivery's signature over the raw body and returns the event as the provider sent it. Never throws. */
  verify(request: WebhookRequest): WebhookVerification<E>;
  /**
   * Maps a verified event to a {@link PaymentUpdate}. Pure: it runs when the
   * delivery arrives (for the event id) and again in the journal's worker,
   * on the event as kept there (JSON).
   */
  read(event: E): PaymentUpdate;
}
