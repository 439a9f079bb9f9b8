/**
 * Draws a flow as a statechart, from its compiled XState machine: Mermaid
 * `stateDiagram-v2` text and an SVG image, labelled in the bot's language.
 *
 *   npm run diagram                                   # the standard shopping flow, in English
 *   npm run diagram -- bots/directory                 # the flow a bot runs, in its default language
 *   npm run diagram -- flows/shopping.flow.yaml --locale pt-BR --out docs/diagrams
 *   npm run diagram -- bots/corner-bakery --json      # also the machine's JSON (machine.toJSON())
 *
 * Writes `<out>/<flow-id>.mmd` and `<out>/<flow-id>.svg` (default out:
 * `data/diagrams`) and prints the Mermaid text.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, checkFlow, createI18n, formatProblem, loadBot, type FlowDefinition } from '../engine/index.ts';
import { parseSource } from '../engine/config/problems.ts';
import { compileFlow } from '../engine/flow/compile-flow.ts';
import { flowDiagram, toMermaid } from '../engine/flow/flow-diagram.ts';
import { flowGraph } from '../engine/flow/flow-graph.ts';
import { toSvg } from '../engine/flow/flow-svg.ts';
import { loadStandardFlows, standardTexts } from '../flows/index.ts';

/** The flow a file names, checked against the standard steps. */
async function flowOfFile(file: string): Promise<FlowDefinition> {
  const { steps } = await loadStandardFlows();
  const src = parseSource(file, await readFile(file, 'utf8'));
  if ('problems' in src) throw new ConfigError(src.problems);
  const checked = checkFlow(src, steps);
  if (!checked.flow) throw new ConfigError(checked.problems);
  return checked.flow;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { locale: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const target = path.resolve(positionals[0] ?? path.join('flows', 'shopping.flow.yaml'));
  const i18n = await createI18n({ defaults: standardTexts() });
  let flow: FlowDefinition;
  let botId = '';
  let locale = values.locale ?? 'en';
  if (target.endsWith('.yaml') || target.endsWith('.json')) {
    flow = await flowOfFile(target);
  } else {
    const bot = await loadBot(target);
    const { flows } = await loadStandardFlows();
    const found = flows.get(bot.spec.flow);
    if (!found) throw new Error(`${bot.file}: flow "${bot.spec.flow}" not found in flows/: expected one of ${[...flows.keys()].join(', ')}`);
    flow = found;
    botId = bot.runtime.id;
    locale = values.locale ?? bot.runtime.defaultLocale;
    i18n.setBotTexts(botId, bot.texts);
  }
  const machine = compileFlow(flow);
  const diagram = flowDiagram(flowGraph(machine), i18n.t(botId, locale));
  const out = path.resolve(values.out ?? path.join('data', 'diagrams'));
  await mkdir(out, { recursive: true });
  const mermaid = toMermaid(diagram);
  const files = [path.join(out, `${flow.id}.mmd`), path.join(out, `${flow.id}.svg`)];
  await writeFile(files[0] ?? '', mermaid);
  await writeFile(files[1] ?? '', toSvg(diagram, `${flow.id} v${flow.version}: ${flow.description}`));
  if (values.json) {
    files.push(path.join(out, `${flow.id}.machine.json`));
    await writeFile(files[2] ?? '', `${JSON.stringify(machine.toJSON(), null, 2)}\n`);
  }
  console.log(mermaid);
  console.log(`wrote ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
  return 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  if (err instanceof ConfigError) for (const p of err.problems) console.error(formatProblem({ ...p, file: path.relative(process.cwd(), p.file) || p.file }));
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
