import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { VitrineError, type Engine, type PaymentProvider, type PaymentWebhook } from '../../engine/index.ts';
import { jsonBodyParser, rawBodyOf } from '../../adapters/kit/index.ts';

/** Options of {@link paymentWebhookRoutes}. */
export interface PaymentWebhookOptions {
  /** The providers the engine was created with; those with a `webhook` get a route. */
  providers: readonly PaymentProvider[];
  /** The engine whose journal keeps the events (it applies them with each provider's webhook). */
  engine: Engine;
}

/**
 * The route of a provider's webhook: `/webhooks/payments/<id>`.
 *
 * @example
 * ```ts
 * paymentWebhookPath('stripe'); // '/webhooks/payments/stripe'
 * ```
 */
export const paymentWebhookPath = (providerId: string): string => `/webhooks/payments/${encodeURIComponent(providerId)}`;

function receiver(provider: PaymentProvider, webhook: PaymentWebhook, engine: Engine) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const verified = webhook.verify({ body: rawBodyOf(request) ?? Buffer.alloc(0), headers: request.headers });
    if (!verified.ok) {
      request.log.warn({ provider: provider.id, reason: verified.reason }, 'payment webhook with a bad signature');
      throw new VitrineError('VT_ERR_WEBHOOK_SIGNATURE', 'The signature is missing or does not match');
    }
    const update = webhook.read(verified.event);
    try {
      // Events about one payment are applied in the order they arrived.
      const admission = await engine.admitProviderEvent(provider.id, update.eventId, update.providerRef ?? update.paidRef ?? update.eventId, verified.event);
      request.log.info({ provider: provider.id, eventId: update.eventId, type: update.type, inboundEventId: admission.id, duplicate: admission.duplicate }, 'payment event kept');
    } catch (err) {
      request.log.error({ err, provider: provider.id, eventId: update.eventId }, 'payment event could not be kept: asking the provider to send it again');
      throw new VitrineError('VT_ERR_JOURNAL_UNAVAILABLE');
    }
    return reply.code(200).send({ received: true });
  };
}

/**
 * Mounts every provider's webhook at `POST /webhooks/payments/<id>` (and
 * at the further `paths` its webhook names, e.g. `/webhooks/stripe`): the
 * provider verifies the signature over the raw body, the event is admitted
 * to the engine's journal and the answer is 200 `{ received: true }` once it
 * is on disk (503 when it could not be kept, so the provider sends it
 * again). A missing, wrong or old signature gets 401 (`VT_ERR_WEBHOOK_SIGNATURE`)
 * and admits nothing; an
 * event seen before gets 200 and changes nothing. The journal's worker
 * applies it through the order machine and tells the customer. JSON bodies
 * are read with the kit's `jsonBodyParser` (raw bytes kept for the signature).
 *
 * @example
 * ```ts
 * await app.register(paymentWebhookRoutes, { providers: runtime.payments, engine: runtime.engine });
 * ```
 */
export const paymentWebhookRoutes: FastifyPluginAsync<PaymentWebhookOptions> = async (app, options) => {
  jsonBodyParser(app);
  for (const provider of options.providers) {
    const { webhook } = provider;
    if (!webhook) continue;
    const handler = receiver(provider, webhook, options.engine);
    for (const url of [paymentWebhookPath(provider.id), ...(webhook.paths ?? [])]) {
      app.post(url, handler);
    }
  }
};
