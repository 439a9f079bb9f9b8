import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { isMap, isSeq, parseDocument } from 'yaml';
import type { ProductSpec } from '../config/business-schema.ts';
import { loadBot, type LoadedBot } from '../config/load-bot.ts';

/** The columns of a business's catalog file. */
export const CATALOG_COLUMNS = ['sku', 'name', 'description', 'category', 'price', 'stock', 'image'] as const;

/** Where a business is written: its YAML file, the key path of the business in it, and its catalog file. */
export interface BusinessFiles {
  yaml: string;
  at: string[];
  catalog: string;
}

/**
 * The files of a business of a bot: its own `businesses/<slug>.yaml` (or
 * `bot.yaml`'s `business:` for a single-shop bot), and its CSV catalog file,
 * the one its `catalog:` names or, for a business with inline products,
 * `<slug>.csv` beside its YAML (`catalog.csv` for a single-shop bot).
 */
export async function businessFiles(bot: LoadedBot, slug: string): Promise<BusinessFiles> {
  const business = bot.businesses.find((b) => b.slug === slug);
  if (!business) throw new Error(`bot ${bot.runtime.id} has no business "${slug}": expected one of ${bot.businesses.map((b) => b.slug).join(', ')}`);
  const at = business.file === bot.file ? ['business'] : [];
  const doc = parseDocument(await readFile(business.file, 'utf8'));
  const named = doc.getIn([...at, 'catalog']);
  const catalog = typeof named === 'string' && named.endsWith('.csv')
    ? named
    : at.length > 0 ? 'catalog.csv' : `${slug}.csv`;
  return { yaml: business.file, at, catalog: path.join(path.dirname(business.file), catalog) };
}

/** The catalog file's text: a header, then one row per product (empty cells: not set). */
export function catalogCsv(products: readonly ProductSpec[]): string {
  return stringify(products.map((p) => [p.sku, p.name, p.description, p.category, String(p.price), p.stock ?? '', p.image ?? '']), {
    header: true, columns: [...CATALOG_COLUMNS],
  });
}

/**
 * The business YAML with the catalog file named, inline products removed and
 * the categories the catalog needs added (existing ones, their order and the
 * file's comments stay as they were).
 */
function businessYaml(text: string, files: BusinessFiles, categories: readonly { slug: string; name: string }[]): string {
  const doc = parseDocument(text);
  const { at } = files;
  doc.setIn([...at, 'catalog'], path.relative(path.dirname(files.yaml), files.catalog));
  doc.deleteIn([...at, 'products']);
  const list = doc.getIn([...at, 'categories'], true);
  const have = new Set(isSeq(list) ? list.items.map((item) => (isMap(item) ? String(item.get('slug')) : '')) : []);
  for (const c of categories) {
    if (have.has(c.slug)) continue;
    if (isSeq(list)) list.add(doc.createNode({ slug: c.slug, name: c.name }));
    else doc.setIn([...at, 'categories'], categories.map((x) => ({ ...x })));
  }
  return doc.toString({ flowCollectionPadding: false });
}

/** What {@link writeBusinessCatalog} changed. */
export interface WrittenCatalog {
  /** Files whose content changed (none when the catalog was already this one). */
  changed: string[];
  /** The bot read back from its files. */
  bot: LoadedBot;
}

/**
 * Writes a catalog into a business's files (its CSV catalog and its YAML) and
 * reads the bot back to check it: on a problem the files are put back as
 * they were and the {@link ConfigError} of the check is thrown. Files whose
 * content would not change are not touched, so writing the same catalog
 * twice changes nothing.
 *
 * @example
 * ```ts
 * const { changed } = await writeBusinessCatalog(bot, 'padaria-sao-jorge', catalog.products, catalog.categories);
 * ```
 */
export async function writeBusinessCatalog(bot: LoadedBot, slug: string, products: readonly ProductSpec[], categories: readonly { slug: string; name: string }[]): Promise<WrittenCatalog> {
  const files = await businessFiles(bot, slug);
  const before = new Map<string, string | undefined>();
  for (const file of [files.yaml, files.catalog]) before.set(file, existsSync(file) ? await readFile(file, 'utf8') : undefined);
  const after = new Map([[files.catalog, catalogCsv(products)], [files.yaml, businessYaml(before.get(files.yaml) ?? '', files, categories)]]);
  const changed = [...after].filter(([file, text]) => before.get(file) !== text).map(([file]) => file);
  for (const file of changed) await writeFile(file, after.get(file) ?? '');
  try {
    return { changed, bot: await loadBot(bot.dir) };
  } catch (err) {
    for (const file of changed) {
      const old = before.get(file);
      if (old === undefined) await rm(file, { force: true });
      else await writeFile(file, old);
    }
    throw err;
  }
}
