import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineObserver, OutboxObserver } from '../engine/index.ts';
import type { ConversationStore } from '../engine/db/index.ts';

/** The server's Prometheus metrics and the observers that feed them. */
export interface Metrics {
  registry: Registry;
  /** Pass to the engine (`createRuntime({ engine: { observer } })`). */
  engine: EngineObserver;
  /** Pass to the outbox sender (`createRuntime({ engine: { outbox: { observer } } })`). */
  outbox: OutboxObserver;
  /** Counts a webhook refused for its signature or secret. */
  signatureRejected(route: string): void;
  /** Reads the journal and outbox backlog from the store at every scrape. */
  watchBacklog(store: ConversationStore): void;
}

/**
 * Creates the metrics: turns and their latency per bot and channel, events
 * admitted (and duplicates), journal and outbox backlog, dead letters and
 * failed events, replies sent, retried and dead-lettered per channel,
 * webhook signature rejections, payment provider events by outcome, and
 * Node's own process metrics.
 *
 * @example
 * ```ts
 * const metrics = createMetrics();
 * const runtime = await createRuntime({ engine: { observer: metrics.engine, outbox: { observer: metrics.outbox } } });
 * metrics.watchBacklog(runtime.engine.store);
 * mountMetrics(app, metrics);
 * ```
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vitrine_' });
  const turns = new Counter({ name: 'vitrine_turns_total', help: 'Journal events processed, by bot, channel and outcome (done, retry, failed)', labelNames: ['bot', 'channel', 'outcome'], registers: [registry] });
  const turnSeconds = new Histogram({
    name: 'vitrine_turn_duration_seconds', help: 'Time to process one journal event, by bot and channel', labelNames: ['bot', 'channel'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry],
  });
  const admitted = new Counter({ name: 'vitrine_events_admitted_total', help: 'Inbound events admitted to the journal, by channel; duplicate="true" for redeliveries', labelNames: ['channel', 'duplicate'], registers: [registry] });
  const sent = new Counter({ name: 'vitrine_outbox_sent_total', help: 'Replies delivered, by channel', labelNames: ['channel'], registers: [registry] });
  const retries = new Counter({ name: 'vitrine_outbox_retries_total', help: 'Reply deliveries that will be tried again, by channel', labelNames: ['channel'], registers: [registry] });
  const dead = new Counter({ name: 'vitrine_outbox_dead_letters_total', help: 'Replies given up on, by channel', labelNames: ['channel'], registers: [registry] });
  const rejected = new Counter({ name: 'vitrine_webhook_signature_rejections_total', help: 'Webhooks refused for a missing or wrong signature, by route', labelNames: ['route'], registers: [registry] });
  const payments = new Counter({ name: 'vitrine_payment_events_total', help: 'Payment provider events applied, by provider and outcome', labelNames: ['provider', 'outcome'], registers: [registry] });
  let store: ConversationStore | undefined;
  const backlog = new Gauge({
    name: 'vitrine_backlog', help: 'Work waiting: journal (events admitted, not finished), outbox (replies not sent), dead_letters, failed_events', labelNames: ['queue'], registers: [registry],
    async collect() {
      if (!store) return;
      const now = await store.backlog();
      this.set({ queue: 'journal' }, now.journal);
      this.set({ queue: 'outbox' }, now.outbox);
      this.set({ queue: 'dead_letters' }, now.deadLetters);
      this.set({ queue: 'failed_events' }, now.failedEvents);
    },
  });
  void backlog;
  return {
    registry,
    engine: {
      onTurn({ botId, channel, seconds, outcome }) {
        turns.inc({ bot: botId, channel, outcome });
        turnSeconds.observe({ bot: botId, channel }, seconds);
      },
      onAdmitted: (channel, duplicate) => admitted.inc({ channel, duplicate: String(duplicate) }),
      onProviderEvent: (provider, outcome) => payments.inc({ provider, outcome }),
    },
    outbox: {
      onSent: (channel) => sent.inc({ channel }),
      onRetry: (channel) => retries.inc({ channel }),
      onDeadLetter: (channel) => dead.inc({ channel }),
    },
    signatureRejected: (route) => rejected.inc({ route }),
    watchBacklog(watched) {
      store = watched;
    },
  };
}

/**
 * Mounts `GET /metrics` (Prometheus' text format) on the app, and a hook on
 * the app itself that counts webhook requests refused with 401
 * (`VT_ERR_WEBHOOK_SIGNATURE`: a wrong signature or secret) per route.
 *
 * @example
 * ```ts
 * mountMetrics(app, metrics);
 * ```
 */
export function mountMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? '';
    if (!route.startsWith('/webhooks/')) return;
    if (reply.statusCode === 401) metrics.signatureRejected(route);
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
}
