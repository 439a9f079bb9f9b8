import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { TextTree } from '../i18n/create-i18n.ts';
import { ConfigError, parseSource, zodProblems, type ConfigProblem, type SourceFile } from './problems.ts';
import { botSpecSchema, type BotSpec } from './bot-schema.ts';
import { businessSpecSchema, checkProducts, productSpecSchema, type BusinessSpec, type ProductSpec } from './business-schema.ts';
import type { BotRuntime } from './bot-runtime.ts';
import type { OnLoadProgress } from './load-progress.ts';

/** A business with its products resolved (inline or from its catalog file). */
export interface LoadedBusiness extends Omit<BusinessSpec, 'products' | 'catalog'> {
  products: ProductSpec[];
  /** The file it was read from. */
  file: string;
}

/** A bot read from its folder: runtime settings, businesses and texts. */
export interface LoadedBot {
  dir: string;
  file: string;
  spec: BotSpec;
  runtime: BotRuntime;
  businesses: LoadedBusiness[];
  /** Text overrides by locale, from `texts/<locale>.yaml`. */
  texts: Partial<Record<string, TextTree>>;
}

/** The text of `file`, or a problem when it is missing, a directory or unreadable. */
async function readText(file: string, problems: ConfigProblem[], what = 'file'): Promise<string | undefined> {
  if (!existsSync(file)) {
    problems.push({ file, path: '', message: `${what} not found` });
    return undefined;
  }
  try {
    if (!(await stat(file)).isFile()) {
      problems.push({ file, path: '', message: `${what} is a directory: expected a file` });
      return undefined;
    }
    return await readFile(file, 'utf8');
  } catch (err) {
    problems.push({ file, path: '', message: `${what} not readable: ${err instanceof Error ? err.message : String(err)}` });
    return undefined;
  }
}

async function readSource(file: string, problems: ConfigProblem[]): Promise<SourceFile | undefined> {
  const text = await readText(file, problems);
  if (text === undefined) return undefined;
  const src = parseSource(file, text);
  if ('problems' in src) {
    problems.push(...src.problems);
    return undefined;
  }
  return src;
}

const CSV_COLUMNS = ['sku', 'name', 'description', 'category', 'price', 'stock', 'image'] as const;

async function readCatalogFile(file: string, problems: ConfigProblem[]): Promise<ProductSpec[] | undefined> {
  const text = await readText(file, problems, 'catalog file');
  if (text === undefined) return undefined;
  let rows: unknown[];
  if (file.endsWith('.json')) {
    const src = parseSource(file, text);
    if ('problems' in src) return void problems.push(...src.problems);
    rows = Array.isArray(src.data) ? src.data : [];
  } else {
    let records: Record<string, string>[];
    try {
      records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
    } catch (err) {
      problems.push({ file, path: '', message: `not valid CSV: ${(err as Error).message}` });
      return undefined;
    }
    const header = Object.keys(records[0] ?? {});
    const missing = CSV_COLUMNS.filter((c) => ['sku', 'name', 'category', 'price'].includes(c) && !header.includes(c));
    if (records.length > 0 && missing.length > 0) {
      problems.push({ file, path: '', line: 1, message: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: expected ${CSV_COLUMNS.join(',')}` });
      return undefined;
    }
    rows = records.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '').map(([k, v]) => [k, k === 'stock' && /^\d+$/.test(v) ? Number(v) : v])));
  }
  const products: ProductSpec[] = [];
  rows.forEach((row, i) => {
    const parsed = productSpecSchema.safeParse(row);
    if (parsed.success) products.push(parsed.data);
    else for (const issue of parsed.error.issues) {
      problems.push({ file, path: `[${i}].${issue.path.join('.')}`, ...(file.endsWith('.csv') ? { line: i + 2 } : {}), message: issue.message });
    }
  });
  return products;
}

async function loadBusiness(src: SourceFile, value: unknown, prefix: (string | number)[], problems: ConfigProblem[]): Promise<LoadedBusiness | undefined> {
  const parsed = businessSpecSchema.safeParse(value);
  if (!parsed.success) {
    problems.push(...zodProblems(src, parsed.error, prefix));
    return undefined;
  }
  const { products: inline, catalog, ...business } = parsed.data;
  let products = inline;
  if (catalog !== undefined) {
    const file = path.join(path.dirname(src.file), catalog);
    if (existsSync(file) && (await stat(file)).isDirectory()) {
      problems.push(src.problem([...prefix, 'catalog'], `"${catalog}" is a folder: expected a CSV or JSON catalog file`));
      return undefined;
    }
    products = await readCatalogFile(file, problems);
    if (products) {
      checkProducts(products, business.currency, new Set(business.categories.map((c) => c.slug)), (p, message) =>
        problems.push({ file, path: `[${p[0]}].${p.slice(1).join('.')}`, ...(file.endsWith('.csv') ? { line: Number(p[0]) + 2 } : {}), message }));
    }
  }
  return products ? { ...business, products, file: src.file } : undefined;
}

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v);

/** Problems of a text override tree: every leaf a string, every branch a mapping. */
function textProblems(src: SourceFile, value: unknown, at: (string | number)[]): ConfigProblem[] {
  if (typeof value === 'string') return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [src.problem(at, `expected a text (string) or a group of texts, got ${kindOf(value)}`)];
  }
  return Object.entries(value).flatMap(([key, child]) => textProblems(src, child, [...at, key]));
}

/** The texts of a `texts/<locale>.yaml` file, or undefined with problems when one is not a string. */
function textTreeOf(src: SourceFile, problems: ConfigProblem[]): TextTree | undefined {
  if (src.data === null || src.data === undefined) return {};
  if (typeof src.data !== 'object' || Array.isArray(src.data)) {
    problems.push(src.problem([], `expected a mapping of text keys, got ${kindOf(src.data)}`));
    return undefined;
  }
  const found = textProblems(src, src.data, []);
  problems.push(...found);
  return found.length === 0 ? (src.data as TextTree) : undefined;
}

/**
 * Reads and validates a bot folder: `bot.yaml`, its businesses and catalogs,
 * and `texts/<locale>.yaml`. Throws a {@link ConfigError} naming every problem.
 * Checking the bot against flows and translations is {@link checkBot}'s job.
 * `onProgress` hears of each business file parsed and checked (phase `files parsed`).
 *
 * @example
 * ```ts
 * const bot = await loadBot('bots/directory');
 * bot.businesses.length; // 12
 * ```
 */
export async function loadBot(dir: string, options: { onProgress?: OnLoadProgress } = {}): Promise<LoadedBot> {
  const problems: ConfigProblem[] = [];
  const file = path.join(dir, 'bot.yaml');
  const src = await readSource(file, problems);
  if (!src) throw new ConfigError(problems);
  const parsed = botSpecSchema.safeParse(src.data);
  if (!parsed.success) throw new ConfigError(zodProblems(src, parsed.error));
  const spec = parsed.data;
  const businesses: LoadedBusiness[] = [];
  if (spec.business) {
    const b = await loadBusiness(src, (src.data as { business: unknown }).business, ['business'], problems);
    if (b) businesses.push(b);
  } else if (spec.businesses) {
    const folder = path.join(dir, spec.businesses);
    if (!existsSync(folder)) problems.push(src.problem(['businesses'], `folder not found: ${folder}`));
    else if (!(await stat(folder)).isDirectory()) problems.push(src.problem(['businesses'], `not a folder: ${folder}: expected a folder of business files`));
    else {
      const names = (await readdir(folder)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
      for (const [i, name] of names.entries()) {
        options.onProgress?.({ phase: 'files parsed', done: i, total: names.length });
        const bsrc = await readSource(path.join(folder, name), problems);
        const b = bsrc && (await loadBusiness(bsrc, bsrc.data, [], problems));
        if (!b) continue;
        const twin = businesses.find((x) => x.slug === b.slug);
        if (twin) problems.push(bsrc.problem(['slug'], `duplicate business slug "${b.slug}" (also in ${twin.file})`));
        else businesses.push(b);
      }
      options.onProgress?.({ phase: 'files parsed', done: names.length, total: names.length });
    }
  }
  const texts: Partial<Record<string, TextTree>> = {};
  const textsDir = path.join(dir, 'texts');
  if (existsSync(textsDir) && (await stat(textsDir)).isDirectory()) {
    for (const name of (await readdir(textsDir)).filter((f) => /\.(ya?ml|json)$/.test(f))) {
      const tsrc = await readSource(path.join(textsDir, name), problems);
      const tree = tsrc && textTreeOf(tsrc, problems);
      if (tree) texts[name.replace(/\.(ya?ml|json)$/, '')] = tree;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    dir, file, spec, businesses, texts,
    runtime: {
      id: spec.id, name: spec.name, description: spec.description, defaultLocale: spec.defaultLocale, locales: spec.locales,
      singleShop: spec.business !== undefined, flowId: spec.flow, paymentProvider: spec.payments.provider, orderPrefix: spec.orderPrefix, channels: spec.channels,
    },
  };
}
