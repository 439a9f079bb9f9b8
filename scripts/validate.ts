/**
 * Checks bot folders (bot.yaml, businesses, catalogs, texts) and flows.
 *
 *   npm run validate                                  # every bot in bots/ (or BOTS_DIR), flows/ (or FLOWS_DIR)
 *   npm run validate -- bots/my-shop                  # one bot
 *   npm run validate -- other/bots                    # every bot in a folder of bots
 *   npm run validate -- --locales my-locales bots/x   # with the locale files of another folder
 *
 * Prints "ok" or one line per problem: file:line:column path: what was expected.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkBot, createI18n, formatProblem, isVitrineError, loadBot, ConfigError,
  type ConfigProblem, type FlowDefinition, type StepRegistry,
} from '../engine/index.ts';
import { loadStandardFlows, standardTexts } from '../flows/index.ts';
import { PAYMENT_PROVIDERS } from '../server/payments.ts';
import { projectFolders } from '../server/project-folders.ts';
import { listBotDirs } from '../server/runtime.ts';

/** A bot folder (it has a bot.yaml) as itself; a folder of bot folders as those. */
const botDirsOf = (dir: string): string[] => (existsSync(path.join(dir, 'bot.yaml')) ? [dir] : listBotDirs(dir).length > 0 ? listBotDirs(dir) : [dir]);

async function main(): Promise<number> {
  // The folders npm start runs: the project's own bots/ and flows/, or BOTS_DIR and FLOWS_DIR.
  const folders = projectFolders(process.cwd(), process.env);
  const problems: ConfigProblem[] = [];
  let flows: Map<string, FlowDefinition> | undefined;
  let steps: StepRegistry | undefined;
  try {
    ({ flows, steps } = await loadStandardFlows({ dir: folders.flowsDir }));
  } catch (err) {
    if (err instanceof ConfigError) problems.push(...err.problems);
    else throw err;
  }
  const { values, positionals } = parseArgs({ options: { locales: { type: 'string' } }, allowPositionals: true });
  const dirs = positionals.length > 0 ? positionals.flatMap((d) => botDirsOf(path.resolve(d))) : listBotDirs(folders.botsDir);
  const i18n = await createI18n({ defaults: standardTexts(values.locales ? path.resolve(values.locales) : folders.localesDir) });
  for (const dir of dirs) {
    try {
      const bot = await loadBot(dir);
      i18n.setBotTexts(bot.runtime.id, bot.texts);
      if (flows && steps) problems.push(...checkBot(bot, { flows, steps, i18n, paymentProviders: PAYMENT_PROVIDERS.map((p) => p.id), paymentMethods: Object.fromEntries(PAYMENT_PROVIDERS.map((p) => [p.id, p.methods])), paymentInChat: Object.fromEntries(PAYMENT_PROVIDERS.map((p) => [p.id, p.inChat])) }));
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else if (isVitrineError(err)) problems.push({ file: dir, path: '', message: err.message });
      else throw err;
    }
  }
  const cwd = process.cwd();
  // In file order: by file, then line and column.
  const inOrder = [...problems].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  for (const p of inOrder) console.log(formatProblem({ ...p, file: path.relative(cwd, p.file) || p.file }));
  if (problems.length === 0) {
    console.log(`ok (${dirs.length} bot${dirs.length === 1 ? '' : 's'} checked)`);
    return 0;
  }
  console.log(`${problems.length} problem${problems.length === 1 ? '' : 's'} found`);
  return 1;
}

main().then((code) => process.exit(code), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
