/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name> [<name> …]` runs some;
 * `npm run bench -- --generate [--businesses N] [--products-each M] [--out DIR]` writes a
 * generated directory to load with `npm run setup` (see bench/generate.ts).
 * Names: full-path, webchat, engine, memory, search. Figures only mean something as ratios
 * to the baselines measured in the same run (see bench/README.md). Benchmarks print; they never assert.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { runEngine } from './engine.ts';
import { runFullPath } from './full-path.ts';
import { generateCommand } from './generate.ts';
import { runMemory } from './memory.ts';
import { runSearch } from './search.ts';
import { leftovers } from './support/cleanup.ts';
import { summaryTable, type Figure } from './support/report.ts';
import { runWebchat } from './webchat.ts';

const BENCHES: Record<string, () => Promise<Figure[]>> = {
  'full-path': runFullPath,
  webchat: runWebchat,
  engine: runEngine,
  memory: runMemory,
  search: runSearch,
};

async function main(): Promise<number> {
  if (process.argv.includes('--generate')) return generateCommand(process.argv.slice(2).filter((a) => a !== '--'));
  const asked = process.argv.slice(2).filter((a) => a !== '--');
  const unknown = asked.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
    return 2;
  }
  const names = asked.length > 0 ? asked : Object.keys(BENCHES);
  console.log(`Vitrine benchmarks: ${names.join(', ')} — node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('Figures are comparable only as ratios to the baseline measured in the same run.');
  const started = performance.now();
  const figures: Figure[] = [];
  const failed: string[] = [];
  for (const name of names) {
    const t0 = performance.now();
    try {
      figures.push(...(await BENCHES[name]!()));
    } catch (err) {
      failed.push(name);
      console.error(`\n!! ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    console.log(`  (${name} took ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  console.log(`\n== summary (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  console.log(summaryTable(figures));
  if (failed.length > 0) console.log(`\nnot measured (failed): ${failed.join(', ')}`);
  return failed.length > 0 ? 1 : 0;
}

main()
  .then((code) => {
    leftovers.disposeNow();
    process.exit(code);
  })
  .catch((err: unknown) => {
    console.error(err);
    leftovers.disposeNow();
    process.exit(1);
  });
