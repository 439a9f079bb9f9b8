import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateDirectory } from '../scripts/directory-generator.ts';
import { progressBar } from '../server/progress-bar.ts';

/** What `npm run bench -- --generate` writes unless told otherwise. */
const DEFAULTS = { businesses: 10_000, productsEach: 10, out: 'data/generated' } as const;

/**
 * `npm run bench -- --generate [--businesses N] [--products-each M] [--out DIR]`:
 * writes a generated national directory as a bot folder (`DIR/national`:
 * `bot.yaml` and one YAML file per business), with a progress bar, and says
 * how to load it with the progress display `npm run setup` shows for big bots.
 * Returns the process's exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await generateCommand(['--businesses', '1000']);
 * ```
 */
export async function generateCommand(args: readonly string[]): Promise<number> {
  let options: { businesses: number; productsEach: number; out: string };
  try {
    const { values } = parseArgs({
      args: [...args], strict: true,
      options: { generate: { type: 'boolean' }, businesses: { type: 'string' }, 'products-each': { type: 'string' }, out: { type: 'string' } },
    });
    options = {
      businesses: count(values.businesses, '--businesses', DEFAULTS.businesses),
      productsEach: count(values['products-each'], '--products-each', DEFAULTS.productsEach),
      out: values.out ?? DEFAULTS.out,
    };
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\nUsage: npm run bench -- --generate [--businesses N] [--products-each M] [--out DIR]`);
    return 2;
  }
  const dir = path.resolve(options.out, 'national');
  const bar = progressBar('generating   [{bar}] {value}/{total} businesses', { plainLines: true });
  bar.start(options.businesses, 0);
  const generated = await generateDirectory(dir, {
    count: options.businesses, productsEach: options.productsEach, onProgress: (done) => bar.update(done),
  });
  bar.update(options.businesses);
  bar.stop();
  console.log(`wrote ${generated.businesses.toLocaleString('en-US')} businesses and ${generated.products.toLocaleString('en-US')} products to ${dir}`);
  const relative = path.relative(process.cwd(), path.dirname(dir));
  const botsDir = relative.startsWith('..') || path.isAbsolute(relative) ? path.dirname(dir) : relative;
  console.log(`load them (progress shown as they load): BOTS_DIR=${botsDir} npm run setup`);
  return 0;
}

/** A whole number of at least 1 given on the command line, or `fallback` when absent. */
function count(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} expects a whole number of at least 1, got "${value}"`);
  return n;
}
