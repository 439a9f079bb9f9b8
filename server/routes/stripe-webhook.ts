import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { handleStripeEvent, type Db, type Deliverer, type I18n, type Notifier } from '../../engine/index.ts';
import '../raw-body.ts';

/** Options of {@link stripeWebhookPlugin}. */
export interface StripeWebhookOptions {
  /** The SDK client (its `webhooks` helper verifies signatures). */
  stripe: Stripe;
  /** The endpoint's signing secret, `whsec_…` (`STRIPE_WEBHOOK_SECRET`). */
  webhookSecret: string;
  engine: Notifier;
  delivery: Deliverer;
  db: Db;
  logger: Logger;
  /** Texts for order notices when the conversation is elsewhere. */
  i18n?: I18n;
  /** Path of the route (default `/webhooks/stripe`). */
  path?: string;
}

/**
 * `POST /webhooks/stripe`: verifies the `Stripe-Signature` header over the
 * raw body (five minutes' tolerance), then processes the event with
 * `handleStripeEvent`. A missing, wrong or old signature gets 400 and changes
 * nothing; a processed or already seen event gets 200 `{ received: true }`.
 * The app's JSON parser must keep `request.rawBody`.
 *
 * @example
 * ```ts
 * await app.register(stripeWebhookPlugin, {
 *   stripe: provider.client, webhookSecret: process.env.STRIPE_WEBHOOK_SECRET!,
 *   engine: runtime.engine, delivery, db: runtime.db, logger: runtime.logger, i18n: runtime.i18n,
 * });
 * ```
 */
export const stripeWebhookPlugin: FastifyPluginAsync<StripeWebhookOptions> = async (app, options) => {
  const { stripe, webhookSecret, engine, delivery, db, logger } = options;
  app.post(options.path ?? '/webhooks/stripe', async (request, reply) => {
    const signature = request.headers['stripe-signature'];
    const raw = request.rawBody;
    if (typeof signature !== 'string' || !raw) {
      return reply.code(400).send({ error: 'bad_signature', message: 'A Stripe-Signature header and a JSON body are required' });
    }
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(raw, signature, webhookSecret);
    } catch (err) {
      request.log.warn({ err }, 'Stripe webhook with a bad signature');
      return reply.code(400).send({ error: 'bad_signature', message: 'The Stripe signature does not match' });
    }
    const result = await handleStripeEvent({ db, logger, engine, delivery, ...(options.i18n ? { i18n: options.i18n } : {}) }, event);
    request.log.info({ eventId: event.id, type: event.type, ...result }, 'Stripe event processed');
    return reply.code(200).send({ received: true });
  });
};
