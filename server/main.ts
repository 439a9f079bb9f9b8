/**
 * Starts Vitrine: `npm start`. Settings come from the environment (see
 * `server/config.ts`): PORT, HOST, DATABASE_URL, LOG_LEVEL, PUBLIC_URL, ADMIN_TOKEN,
 * OUTBOX_RETRY_MS, OUTBOX_MAX_ATTEMPTS, TRUST_PROXY, API_RATE_LIMIT_PER_KEY,
 * API_RATE_LIMIT_PER_ADDRESS, API_RATE_LIMIT_WINDOW_MS, HTTP_CONNECTION_TIMEOUT_MS,
 * HTTP_REQUEST_TIMEOUT_MS, BOTS_DIR, FLOWS_DIR (default: the `bots/` and `flows/` of
 * the folder it is started in). `GET /metrics` serves Prometheus metrics.
 * `--watch` (the default unless NODE_ENV=production; `--no-watch` turns it off)
 * reloads a bot or flow whose files change, once they are checked.
 * SIGTERM stops taking requests and claiming work, finishes the turns and
 * sends in progress, and leaves the rest in the journal and the outbox for
 * the next start.
 */
import pino from 'pino';
import { ConfigError, formatProblem, isVitrineError, VitrineError } from '../engine/index.ts';
import { buildApp } from './app.ts';
import { loadServerConfig } from './config.ts';
import { createRuntime } from './runtime.ts';
import { createMetrics } from './metrics.ts';
import { channelCapabilities } from '../adapters/channels.ts';
import { paymentProvidersFromEnv } from './payments.ts';
import { FileWatcher } from './file-watcher.ts';
import { projectFolders } from './project-folders.ts';
import { LoadProgressDisplay } from './load-progress-display.ts';

async function main(): Promise<void> {
  const config = loadServerConfig(process.env);
  const logger = pino({ level: config.logLevel });
  // Bots may use `payments: { provider: cash }`, `sandbox` (test payments, off in production),
  // or `stripe` when STRIPE_SECRET_KEY is set (docs/payments.md).
  const payments = paymentProvidersFromEnv(process.env, { publicUrl: config.publicUrl, logger });
  const metrics = createMetrics();
  // The project's own bots/ and flows/ (or BOTS_DIR, FLOWS_DIR): what is edited is what runs and is watched.
  const folders = projectFolders(process.cwd(), process.env);
  const display = new LoadProgressDisplay();
  const runtime = await createRuntime({
    ...folders, databaseUrl: config.databaseUrl, logger, onProgress: (line) => logger.info(line), onLoadProgress: display.onProgress, payments, channels: channelCapabilities(),
    engine: {
      reclaimOutboxLeases: true,
      observer: metrics.engine,
      outbox: { observer: metrics.outbox, baseDelayMs: config.outboxRetryMs, maxAttempts: config.outboxMaxAttempts },
    },
  });
  display.stop();
  const app = await buildApp({ runtime, config, metrics });
  // Changed bot and flow files go live without a restart: with --watch, and by default outside production.
  const watching = process.argv.includes('--watch') || (process.env['NODE_ENV'] !== 'production' && !process.argv.includes('--no-watch'));
  const watcher = watching ? new FileWatcher({ runtime, flowsDir: folders.flowsDir }) : undefined;
  watcher?.start();
  await listen(app, config.host, config.port);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const local = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
  console.log(`\nVitrine is running: open ${local}\n(public URL: ${config.publicUrl}; stop with Ctrl+C)\n`);
  sayTestPayments(runtime, logger);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      // Connections kept alive by a client (Meta keeps its webhook connections open) close once their request is answered.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
      await app.close();
      clearInterval(sweep);
      await watcher?.close();
      await runtime.engine.stop();
      // Nothing is lost: what was not finished waits in the journal and the outbox for the next start.
      logger.info({ backlog: await runtime.engine.store.backlog() }, 'stopped; unfinished work stays on disk');
      await runtime.close();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/** Says which bots take test payments (a provider where no money moves), on the console and in the log. */
function sayTestPayments(runtime: Awaited<ReturnType<typeof createRuntime>>, logger: pino.Logger): void {
  const testing = runtime.bots.filter((bot) => runtime.payments.find((p) => p.id === bot.runtime.paymentProvider)?.test);
  if (testing.length === 0) return;
  const providers = [...new Set(testing.map((bot) => bot.runtime.paymentProvider))].join(', ');
  const bots = testing.map((bot) => bot.runtime.id);
  logger.warn({ bots, providers }, 'payments are in TEST MODE: no money moves');
  console.log(`Payments are in TEST MODE for ${bots.join(', ')}: no money moves (provider ${providers}).\n`);
}

/** Listens on `host:port`, or says in one line why it cannot (a busy or privileged port is not a crash). */
async function listen(app: Awaited<ReturnType<typeof buildApp>>, host: string, port: number): Promise<void> {
  try {
    await app.listen({ port, host });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'another program is using it: stop that program, or start Vitrine with PORT set to a free port'
      : code === 'EACCES' ? 'this user may not open it: choose a port above 1023 with PORT'
        : code === 'EADDRNOTAVAIL' ? `${host} is not an address of this machine: set HOST to one of its addresses, or 0.0.0.0`
          : undefined;
    if (!why) throw err;
    throw new VitrineError('VT_ERR_PORT_UNAVAILABLE', `Cannot listen on ${host}:${port}: ${why}.`, { cause: err, context: { host, port, code } });
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) for (const p of err.problems) console.error(formatProblem(p));
  else if (isVitrineError(err)) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
