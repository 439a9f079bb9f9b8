import type { Logger } from 'pino';
import {
  isVitrineError, type Admission, type ChannelAdapter, type ChannelSender, type Db, type DeliveryOutcome, type Engine, type I18n, type InboundMessage,
} from '../../engine/index.ts';

/** What webhook routes need of a running Vitrine (the server's `Runtime` fits). */
export interface RouteRuntime {
  engine: Engine;
  db: Db;
  i18n: I18n;
  logger: Logger;
}

/**
 * Admits a channel's messages to the engine's journal and resolves once
 * they are on disk: only then may the route acknowledge the delivery (200).
 * The engine runs the turns and its outbox sends the replies, so a custom
 * adapter gets durability, ordering, deduplication and retries for free.
 * Resolves `false` (and logs why) when the journal could not be written:
 * throw `VT_ERR_JOURNAL_UNAVAILABLE` (503) so the platform delivers again.
 *
 * @example
 * ```ts
 * if (!(await admitThroughEngine(runtime, parsed.messages, log))) throw new VitrineError('VT_ERR_JOURNAL_UNAVAILABLE');
 * return reply.code(200).send({ ok: true });
 * ```
 */
export async function admitThroughEngine(runtime: RouteRuntime, messages: readonly InboundMessage[], log: Logger): Promise<boolean> {
  if (messages.length === 0) return true;
  let admissions: Admission[];
  try {
    admissions = await runtime.engine.admit(messages);
  } catch (err) {
    log.error({ err }, 'messages could not be kept: asking the platform to deliver them again');
    return false;
  }
  for (const [i, admission] of admissions.entries()) {
    if (admission.duplicate) log.info({ messageId: messages[i]?.messageId, inboundEventId: admission.id }, 'duplicate delivery: not answered again');
  }
  return true;
}

/**
 * The outbox's sender for a channel adapter: renders a reply for the
 * customer's locale and sends it with the adapter. A `VitrineError` whose
 * context says `retriable: false` is permanent (a dead letter), `away: true`
 * means the customer cannot be reached now (kept until they are back), and
 * `retryAfterMs` is how long the channel asked to wait; anything else is retried.
 *
 * @example
 * ```ts
 * runtime.engine.outbox.register(channelSender(whatsappAdapter));
 * ```
 */
export function channelSender(adapter: ChannelAdapter<unknown>): ChannelSender {
  return {
    channel: adapter.channel,
    async deliver(entry): Promise<DeliveryOutcome> {
      try {
        await adapter.send({ botId: entry.botId, customerId: entry.customerId }, adapter.render(entry.message, { locale: entry.locale, botId: entry.botId }));
        return { kind: 'sent' };
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        if (!isVitrineError(err)) return { kind: 'retry', reason };
        if (err.context['away'] === true) return { kind: 'away' };
        if (err.context['retriable'] === false) return { kind: 'failed', reason };
        const after = err.context['retryAfterMs'];
        return { kind: 'retry', reason, ...(typeof after === 'number' ? { afterMs: after } : {}) };
      }
    },
  };
}
