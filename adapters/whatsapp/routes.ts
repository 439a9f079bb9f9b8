import { createHmac } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { VitrineError } from '../../engine/index.ts';
import { admitThroughEngine, jsonBodyParser, MAX_WEBHOOK_BODY, PendingWork, rawBodyOf, safeEqual, type RouteRuntime } from '../kit/index.ts';
import type { ParsedWhatsAppWebhook } from './parse-webhook.ts';
import type { WhatsAppAdapter } from './whatsapp-adapter.ts';

/** Options of {@link whatsappRoutes}. */
export interface WhatsAppRoutesOptions {
  runtime: RouteRuntime;
  adapter: WhatsAppAdapter;
  /** The token typed in the app dashboard for the webhook handshake. */
  verifyToken: string;
  /** The app secret that signs webhook bodies (`X-Hub-Signature-256`). */
  appSecret: string;
  /** The bot of messages whose phone number the adapter does not route (default: none, ignored). */
  defaultBotId?: string;
  /** Tracks the delivery statuses recorded after answering; pass one to wait for them in tests. */
  work?: PendingWork;
}

/**
 * Whether `header` is `sha256=` + the hex HMAC-SHA256 of `raw` with `appSecret`.
 *
 * @example
 * ```ts
 * isValidSignature(rawBody, request.headers['x-hub-signature-256'], appSecret);
 * ```
 */
export function isValidSignature(raw: Buffer, header: unknown, appSecret: string): boolean {
  const expected = `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
  return safeEqual(header, expected);
}

/**
 * WhatsApp Cloud API webhooks: `GET /webhooks/whatsapp` answers the subscription
 * handshake; `POST /webhooks/whatsapp` checks the signature, admits the
 * messages to the engine's journal and answers 200 once they are on disk
 * (503 when they could not be kept, so Meta delivers again); the engine
 * answers them through the outbox. Delivery statuses are recorded (as
 * `whatsapp.status` analytics events), never answered. A message of the batch
 * whose shape is not understood is skipped, logged at warn and recorded as a
 * `whatsapp.rejected` analytics event (wamid and reason); the rest of the batch
 * is processed and the answer is still 200. A message delivered
 * twice is answered once (the journal dedupes on its wamid).
 *
 * @example
 * ```ts
 * await app.register(whatsappRoutes, { runtime, adapter, verifyToken, appSecret });
 * ```
 */
export const whatsappRoutes: FastifyPluginAsync<WhatsAppRoutesOptions> = async (app, options) => {
  const { runtime, adapter } = options;
  const log = runtime.logger.child({ channel: 'whatsapp' });
  const work = options.work ?? new PendingWork();
  jsonBodyParser(app);
  app.addHook('onClose', async () => work.idle());

  app.get('/webhooks/whatsapp', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const challenge = query['hub.challenge'];
    if (query['hub.mode'] === 'subscribe' && safeEqual(query['hub.verify_token'], options.verifyToken) && typeof challenge === 'string') {
      return reply.code(200).type('text/plain').send(challenge);
    }
    log.warn('WhatsApp webhook handshake refused: wrong verify token or mode');
    throw new VitrineError('VT_ERR_WEBHOOK_HANDSHAKE');
  });

  async function recordStatuses(parsed: ParsedWhatsAppWebhook): Promise<void> {
    for (const status of parsed.statuses) {
      log.debug({ status }, 'WhatsApp delivery status');
      if (status.status === 'failed') log.warn({ status }, 'WhatsApp reports a message as failed');
      try {
        await runtime.db.$transaction((tx) => tx.analyticsEvent.create({ data: { botId: status.botId ?? '', type: 'whatsapp.status', data: JSON.stringify(status) } }));
      } catch (err) {
        log.warn({ err, messageId: status.messageId }, 'WhatsApp status not recorded');
      }
    }
  }

  async function recordRejected(parsed: ParsedWhatsAppWebhook): Promise<void> {
    for (const item of parsed.rejected) {
      log.warn({ messageId: item.messageId, reason: item.reason }, 'WhatsApp message not understood, skipped');
      try {
        await runtime.db.$transaction((tx) => tx.analyticsEvent.create({ data: { botId: item.botId ?? '', type: 'whatsapp.rejected', data: JSON.stringify(item) } }));
      } catch (err) {
        log.warn({ err, messageId: item.messageId }, 'skipped WhatsApp message not recorded');
      }
    }
  }

  app.post('/webhooks/whatsapp', { bodyLimit: MAX_WEBHOOK_BODY }, async (request, reply) => {
    const raw = rawBodyOf(request);
    if (!raw || !isValidSignature(raw, request.headers['x-hub-signature-256'], options.appSecret)) {
      log.warn({ ip: request.ip }, 'WhatsApp webhook with a missing or wrong signature refused');
      throw new VitrineError('VT_ERR_WEBHOOK_SIGNATURE');
    }
    const parsed = adapter.parseWebhook(request.body, { botId: options.defaultBotId ?? '' });
    if (!parsed.ok) {
      log.warn({ error: parsed.error.message }, 'malformed WhatsApp webhook');
      throw parsed.error;
    }
    if (parsed.value.ignored > 0) log.warn({ ignored: parsed.value.ignored }, 'WhatsApp messages for a phone number no bot answers on');
    if (!(await admitThroughEngine(runtime, parsed.value.messages, log))) throw new VitrineError('VT_ERR_JOURNAL_UNAVAILABLE');
    work.track(recordStatuses(parsed.value));
    if (parsed.value.rejected.length > 0) work.track(recordRejected(parsed.value));
    return reply.code(200).send({ ok: true });
  });
};
