/**
 * Chat with a bot in the terminal.
 *
 *   npm run chat                              # the directory bot, customer "console-user"
 *   npm run chat -- --bot corner-bakery --customer ana --locale pt-BR
 *
 * Quit with Ctrl+D or "/quit"; run it again with the same --customer to continue.
 * It reads the bots and flows `npm start` runs: the project's bots/ and flows/,
 * or BOTS_DIR and FLOWS_DIR.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createConsoleAdapter } from '../adapters/console/index.ts';
import { ConfigError, formatProblem } from '../engine/index.ts';
import { projectFolders } from '../server/project-folders.ts';
import { createRuntime } from '../server/runtime.ts';

const { values } = parseArgs({
  options: {
    bot: { type: 'string', default: 'directory' },
    customer: { type: 'string', default: 'console-user' },
    locale: { type: 'string' },
    database: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const runtime = await createRuntime({
    ...projectFolders(process.cwd(), process.env),
    ...(values.database ? { databaseUrl: values.database } : {}),
    logger: pino({ level: process.env['LOG_LEVEL'] ?? 'warn' }, pino.destination(2)),
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  const botId = values.bot;
  if (!runtime.engine.bots.has(botId)) {
    console.error(`No bot "${botId}". Bots: ${[...runtime.engine.bots.keys()].join(', ')}`);
    await runtime.close();
    process.exit(2);
  }
  const adapter = createConsoleAdapter();
  const customerId = values.customer;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  console.error(`Chatting with ${botId} as "${customerId}". Type "help" for help, "/quit" to leave.`);
  let seq = 0;
  const say = async (text: string): Promise<void> => {
    const parsed = adapter.parse({ customerId, text, messageId: `${customerId}-${Date.now()}-${seq++}`, ...(values.locale ? { locale: values.locale } : {}) }, { botId });
    if (!parsed.ok) return;
    for (const message of parsed.messages) {
      const replies = await runtime.engine.handle(message);
      await adapter.send({ botId, customerId }, replies.flatMap((r) => adapter.render(r, { locale: runtime.i18n.textLocale(values.locale ?? 'en') })));
    }
  };
  if (process.stdin.isTTY) rl.setPrompt('you> ');
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === '/quit' || text === '/exit') break;
    if (text) await say(text);
    rl.prompt();
  }
  rl.close();
  await runtime.close();
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    for (const p of err.problems) console.error(formatProblem(p));
  } else console.error(err);
  process.exit(1);
});
