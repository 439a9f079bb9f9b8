import { loadBot, seedBot, VitrineError, type Db, type Engine, type SeedReport } from '../engine/index.ts';

/**
 * Reads a loaded bot's folder again and puts it live: the files are read and
 * checked first (a problem is a `ConfigError` naming file, line and what was
 * expected, and the running version stays, texts included), then the engine
 * takes the new bot and the database its catalogs (products removed from the
 * files stop being for sale). Conversations continue; their next reply uses
 * the new texts and prices. The business API's reload and the file watcher
 * both come here.
 *
 * @example
 * ```ts
 * const report = await reloadBotFiles(runtime, 'corner-bakery');
 * report.updated; // ['corner-bakery'] when its catalog changed
 * ```
 */
export async function reloadBotFiles(runtime: { engine: Engine; db: Db }, botId: string): Promise<SeedReport> {
  const current = runtime.engine.bots.get(botId);
  if (!current) throw new VitrineError('VT_ERR_BOT_UNKNOWN', `No bot ${botId}`);
  const bot = await loadBot(current.dir);
  if (bot.runtime.id !== botId) throw new VitrineError('VT_ERR_CONFIG_INVALID', `${bot.file}: id changed from ${botId} to ${bot.runtime.id}; restart the server instead`);
  runtime.engine.reloadBot(bot);
  return seedBot(runtime.db, bot);
}
