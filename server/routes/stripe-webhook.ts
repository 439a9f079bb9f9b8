import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { createStripeClient, stripeEventHandler, type Engine, type I18n } from '../../engine/index.ts';
import type { Runtime } from '../runtime.ts';
import '../raw-body.ts';

/** Options of {@link stripeWebhookPlugin}. */
export interface StripeWebhookOptions {
  /** The SDK client (its `webhooks` helper verifies signatures). */
  stripe: Stripe;
  /** The endpoint's signing secret, `whsec_…` (`STRIPE_WEBHOOK_SECRET`). */
  webhookSecret: string;
  /** The engine whose journal keeps the events (its Stripe handler is registered here). */
  engine: Engine;
  logger: Logger;
  /** Path of the route (default `/webhooks/stripe`). */
  path?: string;
}

/**
 * `POST /webhooks/stripe`: verifies the `Stripe-Signature` header over the
 * raw body (five minutes' tolerance), then admits the event to the
 * engine's journal and answers 200 `{ received: true }` once it is on disk
 * (503 when it could not be kept, so Stripe sends it again). The journal's
 * worker applies it through the order machine (`stripeEventHandler`) and
 * tells the customer. A missing, wrong or old signature gets 400 and changes
 * nothing; an event seen before gets 200 and changes nothing. The app's JSON
 * parser must keep `request.rawBody`.
 *
 * @example
 * ```ts
 * await app.register(stripeWebhookPlugin, {
 *   stripe: provider.client, webhookSecret: process.env.STRIPE_WEBHOOK_SECRET!, engine: runtime.engine, logger: runtime.logger,
 * });
 * ```
 */
export const stripeWebhookPlugin: FastifyPluginAsync<StripeWebhookOptions> = async (app, options) => {
  const { stripe, webhookSecret, engine, logger } = options;
  engine.onProviderEvent('stripe', stripeEventHandler);
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
    // Events about one payment page are applied in the order they arrived.
    const object = event.data.object as { id?: unknown };
    const pageKey = typeof object.id === 'string' ? object.id : event.id;
    try {
      const admission = await engine.admitProviderEvent('stripe', event.id, pageKey, event);
      request.log.info({ eventId: event.id, type: event.type, inboundEventId: admission.id, duplicate: admission.duplicate }, 'Stripe event kept');
    } catch (err) {
      logger.error({ err, eventId: event.id }, 'Stripe event could not be kept: asking Stripe to send it again');
      return reply.code(503).send({ error: 'unavailable', message: 'Try again later' });
    }
    return reply.code(200).send({ received: true });
  });
};

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A return page in the customer's language (`?locale=`, else the browser's first language). */
function returnPage(i18n: I18n, request: FastifyRequest, which: 'paid' | 'cancelled'): string {
  const query = request.query as Record<string, unknown>;
  const asked = typeof query['locale'] === 'string' ? query['locale'] : String(request.headers['accept-language'] ?? 'en').split(/[,;]/)[0] ?? 'en';
  const locale = i18n.textLocale(asked.trim() || 'en');
  const t = i18n.instance.getFixedT(locale);
  const title = escapeHtml(t(`paymentPage.${which}Title`));
  const text = escapeHtml(t(`paymentPage.${which}Text`));
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>` +
    `<body style="font-family:system-ui;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p></body></html>`;
}

/**
 * Mounts Stripe when `STRIPE_SECRET_KEY` and `STRIPE_WEBHOOK_SECRET` are
 * set: the webhook route and the two pages Checkout sends customers back to
 * (`/paid`, `/payment-cancelled`). Returns whether it did. The runtime must
 * have been created with the Stripe provider (`stripeProviderFromEnv`).
 *
 * @example
 * ```ts
 * await registerStripe(app, { runtime, env: process.env });
 * ```
 */
export async function registerStripe(app: FastifyInstance, options: { runtime: Runtime; env: Record<string, string | undefined> }): Promise<boolean> {
  const { runtime, env } = options;
  const secretKey = env['STRIPE_SECRET_KEY']?.trim();
  const webhookSecret = env['STRIPE_WEBHOOK_SECRET']?.trim();
  if (!secretKey || !webhookSecret) {
    if (secretKey) runtime.logger.warn('STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: payment results cannot be received');
    return false;
  }
  const stripe = createStripeClient(secretKey, env['STRIPE_API_URL']?.trim() || undefined);
  await app.register(stripeWebhookPlugin, {
    stripe, webhookSecret, engine: runtime.engine, logger: runtime.logger,
  });
  app.get('/paid', async (request, reply) => reply.type('text/html').send(returnPage(runtime.i18n, request, 'paid')));
  app.get('/payment-cancelled', async (request, reply) => reply.type('text/html').send(returnPage(runtime.i18n, request, 'cancelled')));
  return true;
}
