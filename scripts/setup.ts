/**
 * Creates and migrates the database and loads every bot in bots/ (or
 * BOTS_DIR, with FLOWS_DIR: the folders `npm start` reads), idempotently,
 * with a progress display for big bots. `npm start` and `npm run chat` do
 * this by themselves; run it to check a setup or to load a big directory ahead.
 */
import pino from 'pino';
import { ConfigError, formatProblem } from '../engine/index.ts';
import { createRuntime } from '../server/runtime.ts';
import { LoadProgressDisplay } from '../server/load-progress-display.ts';
import { projectFolders } from '../server/project-folders.ts';

const display = new LoadProgressDisplay();

createRuntime({ ...projectFolders(process.cwd(), process.env), logger: pino({ level: 'warn' }), onProgress: (line) => console.log(line), onLoadProgress: display.onProgress, engine: { workers: false } })
  .finally(() => display.stop())
  .then(async (runtime) => {
    console.log(`ready: ${runtime.bots.length} bots, database ${process.env['DATABASE_URL'] ?? 'file:./data/vitrine.db'}`);
    await runtime.close();
  })
  .catch((err: unknown) => {
    if (err instanceof ConfigError) for (const p of err.problems) console.error(formatProblem(p));
    else console.error(err);
    process.exit(1);
  });
