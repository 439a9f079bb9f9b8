import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { ConfigError, createEngine, createI18n, formatProblem, loadBot, seedBot, type ChannelCapabilities, type ConfigProblem, type Db, type Engine, type EngineOptions, type FlowDefinition, type I18n, type LoadedBot, type PaymentProvider, type StepRegistry, type AnyStep, systemClock, type Clock } from '../engine/index.ts';
import { openDatabase, DEFAULT_DATABASE_URL } from '../engine/db/index.ts';
import type { OnLoadProgress } from '../engine/index.ts';
import { loadStandardFlows, standardTexts } from '../flows/index.ts';
import { paymentProvidersFromEnv, paymentProvidersOff } from './payments.ts';

/** Options for {@link createRuntime}; every one has a default. */
export interface RuntimeOptions {
  /** `file:./data/vitrine.db` by default (`DATABASE_URL`). */
  databaseUrl?: string;
  /** Folder of bot folders (default `bots/`), or explicit bot folders. */
  botsDir?: string;
  botDirs?: string[];
  flowsDir?: string;
  /** Folder of locale files, one `<locale>.json` per locale (default `flows/locales/`). */
  localesDir?: string;
  extraSteps?: AnyStep[];
  /**
   * The payment providers bots may use. Default: those of `PAYMENT_PROVIDERS`
   * (server/payments.ts) the environment turns on, so every command knows the same list.
   */
  payments?: PaymentProvider[];
  /** Capabilities of the channels the server will mount, checked against each bot's flow at load. */
  channels?: ReadonlyMap<string, ChannelCapabilities>;
  logger?: Logger;
  /** Called with progress lines while migrating and seeding. */
  onProgress?: (line: string) => void;
  /** Called as bot files are parsed and catalogs written, for a progress display (see `LoadProgressDisplay`). */
  onLoadProgress?: OnLoadProgress;
  /** Settings of the engine's workers and outbox (retries, concurrency, metrics observer) and its clock. */
  engine?: Pick<EngineOptions, 'outbox' | 'observer' | 'concurrency' | 'pollMs' | 'instanceId' | 'maxAttempts' | 'workers' | 'reclaimOutboxLeases' | 'clock' | 'handoffPollMs'>;
}

/** A ready Vitrine: database migrated, bots seeded, engine running. */
export interface Runtime {
  db: Db;
  engine: Engine;
  bots: LoadedBot[];
  flows: Map<string, FlowDefinition>;
  steps: StepRegistry;
  i18n: I18n;
  logger: Logger;
  /** The payment providers bots may use (`record` among them, unless a list without it was given). */
  payments: PaymentProvider[];
  /** The engine's clock (the system's unless one was injected). */
  clock: Clock;
  /** Bot folders that did not load, with why: the others run. */
  brokenBots: BrokenBot[];
  close(): Promise<void>;
}

/** A bot folder that did not load, and its problems (each with file and line). */
export interface BrokenBot {
  /** The bot folder's name (its id, when its bot.yaml could be read that far). */
  bot: string;
  dir: string;
  problems: ConfigProblem[];
}

/** The folder of example bots. */
export const BOTS_DIR = path.resolve(import.meta.dirname, '..', 'bots');

/** Bot folders (those with a bot.yaml) inside a folder. */
export function listBotDirs(dir: string = BOTS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'bot.yaml')))
    .map((d) => path.join(dir, d.name))
    .sort();
}

/**
 * Opens (and migrates) the database, loads flows and bots, seeds the bots'
 * catalogs (idempotent) and creates the engine. A bot with problems does not
 * stop the others: it is left out, logged with its problems and listed in
 * `brokenBots`; only when no bot loads is it an error (`ConfigError`).
 *
 * @example
 * ```ts
 * const runtime = await createRuntime({ databaseUrl: 'file:./data/dev.db' });
 * await runtime.engine.handle(message);
 * await runtime.close();
 * ```
 */
export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? pino({ level: process.env['LOG_LEVEL'] ?? 'info' });
  const progress = options.onProgress ?? (() => undefined);
  const payments = options.payments ?? paymentProvidersFromEnv(process.env, { publicUrl: process.env['PUBLIC_URL'] ?? 'http://localhost:3000', logger });
  const db = await openDatabase({
    url: options.databaseUrl ?? process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL,
    onMigration: (m) => progress(`applied migration ${m.name}`),
  });
  try {
    const { steps, flows } = await loadStandardFlows({ ...(options.flowsDir ? { dir: options.flowsDir } : {}), extraSteps: options.extraSteps ?? [] });
    const i18n = await createI18n({ defaults: standardTexts(options.localesDir) });
    const dirs = options.botDirs ?? listBotDirs(options.botsDir);
    const brokenBots: BrokenBot[] = [];
    const broken = (dir: string, bot: string, err: ConfigError) => {
      brokenBots.push({ bot, dir, problems: err.problems });
      logger.error({ bot, problems: err.problems.map(formatProblem) }, `bot ${bot} has problems and is not running; the other bots are`);
    };
    const loaded: LoadedBot[] = [];
    for (const dir of dirs) {
      try {
        loaded.push(await loadBot(dir, { onProgress: options.onLoadProgress }));
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        broken(dir, path.basename(dir), err);
      }
    }
    const engine = await createEngine({
      db, bots: loaded, flows, steps, i18n, logger, payments, paymentProvidersOff: paymentProvidersOff(payments), ...(options.channels ? { channels: options.channels } : {}),
      onBrokenBot: (bot, err) => broken(bot.dir, bot.runtime.id, err),
      ...options.engine,
    });
    const bots = loaded.filter((bot) => engine.bots.has(bot.runtime.id));
    if (bots.length === 0 && brokenBots.length > 0) {
      await engine.stop();
      throw new ConfigError(brokenBots.flatMap((b) => b.problems));
    }
    for (const bot of bots) {
      const report = await seedBot(db, bot, options.onLoadProgress);
      progress(`bot ${bot.runtime.id}: ${report.updated.length} businesses loaded, ${report.unchanged.length} unchanged`);
    }
    return {
      db, engine, bots, flows, steps, i18n, logger, payments, brokenBots, clock: options.engine?.clock ?? systemClock,
      async close() {
        // What is not finished stays in the journal and the outbox for the next start.
        await engine.stop();
        await db.$disconnect();
      },
    };
  } catch (err) {
    await db.$disconnect();
    throw err;
  }
}
