import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { TextTree } from '../i18n/create-i18n.ts';
import { ConfigError, describeIssue, parseSource, zodProblems, type ConfigProblem, type SourceFile } from './problems.ts';
import { botSpecSchema, type BotSpec } from './bot-schema.ts';
import { businessSpecSchema, checkProducts, productSpecSchema, type BusinessSpec, type ProductSpec } from './business-schema.ts';
import type { BotRuntime } from './bot-runtime.ts';
import type { OnLoadProgress } from './load-progress.ts';
import { botImageFile, isWebImage } from './product-image.ts';

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

/** Business files read at once while a directory loads. */
const READ_AHEAD = 32;

const CSV_COLUMNS = ['sku', 'name', 'description', 'category', 'price', 'stock', 'image'] as const;

/**
 * A catalog file's rows: those that passed the product schema, and every row
 * as far as it could be read (for the checks against the business: SKUs,
 * categories, prices), with the fields the schema already reported.
 */
interface CatalogRows {
  /** A CSV file's columns, in its header's order (none for JSON). */
  columns: readonly string[];
  valid: ProductSpec[];
  all: { product: ProductSpec; flagged: ReadonlySet<string> }[];
}

/** A row as far as it can be read: the checks against the business look at sku, category and price. */
const lenient = (row: unknown): ProductSpec => {
  const r = (typeof row === 'object' && row !== null ? row : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  return { sku: text(r['sku']), name: text(r['name']), description: '', category: text(r['category']), price: text(r['price']) };
};

async function readCatalogFile(file: string, problems: ConfigProblem[]): Promise<CatalogRows | undefined> {
  const text = await readText(file, problems, 'catalog file');
  if (text === undefined) return undefined;
  const csv = !file.endsWith('.json');
  let rows: unknown[];
  let columns: string[] = [];
  if (!csv) {
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
    columns = Object.keys(records[0] ?? {});
    const missing = CSV_COLUMNS.filter((c) => ['sku', 'name', 'category', 'price'].includes(c) && !columns.includes(c));
    if (records.length > 0 && missing.length > 0) {
      problems.push({ file, path: '', line: 1, message: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: expected ${CSV_COLUMNS.join(',')}` });
      return undefined;
    }
    rows = records.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '').map(([k, v]) => [k, k === 'stock' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v])));
  }
  const catalog: CatalogRows = { columns, valid: [], all: [] };
  rows.forEach((row, i) => {
    const parsed = productSpecSchema.safeParse(row, { reportInput: true });
    if (parsed.success) {
      catalog.valid.push(parsed.data);
      catalog.all.push({ product: parsed.data, flagged: new Set() });
      return;
    }
    const flagged = new Set<string>();
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      flagged.add(field);
      problems.push(catalogProblem(file, i, field, describeIssue(issue), columns));
    }
    catalog.all.push({ product: lenient(row), flagged });
  });
  return catalog;
}

/** A problem of a catalog row: on a CSV, its line and the field's column; on JSON, its index. */
function catalogProblem(file: string, index: number, field: string, message: string, columns: readonly string[]): ConfigProblem {
  if (file.endsWith('.json')) return { file, path: `[${index}]${field ? `.${field}` : ''}`, message };
  const column = columns.indexOf(field);
  return { file, path: field, line: index + 2, ...(column >= 0 ? { column: column + 1 } : {}), message };
}

/**
 * Reports each product whose `image` names a file of the bot that is not
 * there (`report` gets the product's index and what is wrong).
 */
async function checkImageFiles(products: readonly ProductSpec[], botDir: string, report: (index: number, message: string) => void): Promise<void> {
  const missing = await Promise.all(products.map(async (p) => p.image !== undefined && !isWebImage(p.image) && !(await botImageFile(botDir, p.image))));
  missing.forEach((gone, i) => {
    if (gone) report(i, `file not found: expected a JPEG or PNG file at ${path.join(botDir, products[i]?.image ?? '')} (an image is named by its path from the bot's folder)`);
  });
}

/** The catalog file of a business, checked against what of the business could be read (its currency, its categories). */
async function checkedCatalog(file: string, botDir: string, business: { currency?: unknown; categories?: unknown }, problems: ConfigProblem[]): Promise<ProductSpec[] | undefined> {
  const catalog = await readCatalogFile(file, problems);
  if (!catalog) return undefined;
  const currency = typeof business.currency === 'string' ? business.currency : '';
  const categories = Array.isArray(business.categories)
    ? new Set(business.categories.flatMap((c: unknown) => (typeof c === 'object' && c !== null && typeof (c as { slug?: unknown }).slug === 'string' ? [(c as { slug: string }).slug] : [])))
    : undefined;
  const before = problems.length;
  checkProducts(catalog.all.map((r) => r.product), currency, categories ?? new Set(), (p, message) => {
    const [index, field] = [Number(p[0]), String(p[1] ?? '')];
    // A field the schema reported is not reported again; categories are checked only when the business's could be read.
    if (catalog.all[index]?.flagged.has(field) || (field === 'category' && !categories)) return;
    problems.push(catalogProblem(file, index, field, message, catalog.columns));
  }, file.endsWith('.json') ? undefined : (i) => `line ${i + 2}`);
  await checkImageFiles(catalog.all.map((r) => r.product), botDir, (i, message) => problems.push(catalogProblem(file, i, 'image', message, catalog.columns)));
  return problems.length === before && catalog.valid.length === catalog.all.length ? catalog.valid : undefined;
}

async function loadBusiness(src: SourceFile, botDir: string, value: unknown, prefix: (string | number)[], problems: ConfigProblem[]): Promise<LoadedBusiness | undefined> {
  const parsed = businessSpecSchema.safeParse(value, { reportInput: true });
  const raw = (typeof value === 'object' && value !== null ? value : {}) as { catalog?: unknown; currency?: unknown; categories?: unknown };
  const catalog = parsed.success ? parsed.data.catalog : typeof raw.catalog === 'string' ? raw.catalog : undefined;
  if (!parsed.success) problems.push(...zodProblems(src, parsed.error, prefix));
  let products = parsed.success ? parsed.data.products : undefined;
  if (catalog !== undefined) {
    const file = path.join(path.dirname(src.file), catalog);
    if (existsSync(file) && (await stat(file)).isDirectory()) {
      problems.push(src.problem([...prefix, 'catalog'], `"${catalog}" is a folder: expected a CSV or JSON catalog file`));
      return undefined;
    }
    // Checked even when the business has problems of its own: every problem is reported in one run.
    products = await checkedCatalog(file, botDir, parsed.success ? parsed.data : raw, problems);
  } else if (products) {
    const before = problems.length;
    await checkImageFiles(products, botDir, (i, message) => problems.push(src.problem([...prefix, 'products', i, 'image'], message)));
    if (problems.length > before) return undefined;
  }
  if (!parsed.success || !products) return undefined;
  const { products: _inline, catalog: _catalog, ...business } = parsed.data;
  return { ...business, products, file: src.file };
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
  const parsed = botSpecSchema.safeParse(src.data, { reportInput: true });
  const raw = (typeof src.data === 'object' && src.data !== null ? src.data : {}) as { business?: unknown; businesses?: unknown };
  // A bot.yaml with problems still has its businesses and catalogs checked: every problem in one run.
  // Problems inside `business` are the business's own, reported once, by loadBusiness.
  if (!parsed.success) problems.push(...zodProblems(src, parsed.error).filter((p) => raw.business === undefined || !/^business\b/.test(p.path)));
  const businesses: LoadedBusiness[] = [];
  // A directory may list thousands of businesses: duplicates are found by slug, not by scanning the list.
  const bySlug = new Map<string, LoadedBusiness>();
  const businessesDir = parsed.success ? parsed.data.businesses : typeof raw.businesses === 'string' ? raw.businesses : undefined;
  if (raw.business !== undefined) {
    const b = await loadBusiness(src, dir, raw.business, ['business'], problems);
    if (b) businesses.push(b);
  } else if (businessesDir !== undefined) {
    const folder = path.join(dir, businessesDir);
    if (!existsSync(folder)) problems.push(src.problem(['businesses'], `folder not found: ${folder}`));
    else if (!(await stat(folder)).isDirectory()) problems.push(src.problem(['businesses'], `not a folder: ${folder}: expected a folder of business files`));
    else {
      const names = (await readdir(folder)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
      // Files are read several at a time (the disk works while the YAML of another is parsed);
      // their problems and businesses are taken in file order.
      for (let start = 0; start < names.length; start += READ_AHEAD) {
        options.onProgress?.({ phase: 'files parsed', done: start, total: names.length });
        const read = await Promise.all(names.slice(start, start + READ_AHEAD).map(async (name) => {
          const found: ConfigProblem[] = [];
          const bsrc = await readSource(path.join(folder, name), found);
          const business = bsrc && (await loadBusiness(bsrc, dir, bsrc.data, [], found));
          return { bsrc, business, found };
        }));
        for (const { bsrc, business: b, found } of read) {
          problems.push(...found);
          if (!b || !bsrc) continue;
          const twin = bySlug.get(b.slug);
          if (twin) problems.push(bsrc.problem(['slug'], `duplicate business slug "${b.slug}" (also in ${twin.file})`));
          else {
            businesses.push(b);
            bySlug.set(b.slug, b);
          }
        }
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
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const spec = parsed.data;
  return {
    dir, file, spec, businesses, texts,
    runtime: {
      id: spec.id, name: spec.name, description: spec.description, defaultLocale: spec.defaultLocale, locales: spec.locales,
      singleShop: spec.business !== undefined, flowId: spec.flow, paymentProvider: spec.payments.provider, orderPrefix: spec.orderPrefix, channels: spec.channels,
    },
  };
}
