import { createHmac } from 'node:crypto';
import { notifySchema, SHOP_WEBHOOK_CHANNEL, type ChannelSender, type Db, type DeliveryOutcome } from '../../engine/index.ts';
import { undiciPost, type HttpPost } from '../kit/http-post.ts';

/** The header that carries a notice's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'vitrine-signature';

/**
 * The signature of a notice: HMAC-SHA256 with the business's secret over
 * `<timestamp>.<raw body>`, as the `vitrine-signature` header carries it.
 * A receiver computes the same over the raw body it got and compares in
 * constant time (docs/notifications.md).
 *
 * @example
 * ```ts
 * const header = signNotice('whsec_padaria', 1764950400, '{"id":"ntc_order.placed_c1",…}');
 * // 't=1764950400,v1=5f1c…'
 * ```
 */
export function signNotice(secret: string, timestamp: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** Options of {@link shopWebhookSender}. */
export interface ShopWebhookSenderOptions {
  db: Db;
  /** Where the secrets named by `secretEnv` are read, at each delivery (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  post?: HttpPost;
  /** Longest wait for the business's answer (ms, default 10 000). */
  timeoutMs?: number;
  /** Unix time in seconds for the signature (default now). */
  now?: () => number;
}

/** Answers that mean "try again later"; any other non-2xx is the receiver refusing the notice. */
const RETRIABLE = new Set([408, 409, 425, 429]);

/**
 * The outbox's sender of notices to businesses (`noticeShop` queues them):
 * POSTs each one's JSON body to the business's webhook as its `notify`
 * setting says at the time of sending, signed with the secret of its
 * `secretEnv` variable. A 2xx answer delivers it; a network error, a time-out,
 * a 5xx, 408, 409, 425 or 429 is retried with the outbox's backoff; another
 * answer, a setting that no longer has a webhook, or a secret not set makes
 * it a dead letter (counted on `/ready`, logged).
 *
 * @example
 * ```ts
 * runtime.engine.outbox.register(shopWebhookSender({ db: runtime.db }));
 * ```
 */
export function shopWebhookSender(options: ShopWebhookSenderOptions): ChannelSender {
  const post = options.post ?? undiciPost();
  const env = options.env ?? process.env;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  return {
    channel: SHOP_WEBHOOK_CHANNEL,
    async deliver(entry): Promise<DeliveryOutcome> {
      if (entry.message.kind !== 'text') return { kind: 'failed', reason: `a notice is a text message, not "${entry.message.kind}"` };
      const business = await options.db.business.findUnique({ where: { id: entry.customerId }, select: { slug: true, notify: true } });
      const setting = notifySchema.safeParse(JSON.parse(business?.notify || '{}'));
      const webhook = setting.success ? setting.data.webhook : undefined;
      if (!business || !webhook) return { kind: 'failed', reason: 'the business no longer has a notify webhook' };
      const secret = env[webhook.secretEnv]?.trim();
      if (!secret) return { kind: 'failed', reason: `${webhook.secretEnv} is not set: the notice to ${business.slug} cannot be signed` };
      const body = entry.message.text;
      try {
        const answer = await post(webhook.url, {
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signNotice(secret, now(), body), 'user-agent': 'Vitrine-Notices/1' },
          body, timeoutMs: options.timeoutMs ?? 10_000,
        });
        await answer.discard();
        if (answer.ok) return { kind: 'sent' };
        const reason = `${webhook.url} answered ${answer.status}`;
        return answer.status >= 500 || RETRIABLE.has(answer.status) ? { kind: 'retry', reason } : { kind: 'failed', reason };
      } catch (err) {
        return { kind: 'retry', reason: `${webhook.url}: ${err instanceof Error ? err.message : String(err)}` };
      }
    },
  };
}
