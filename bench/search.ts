import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Fuse from 'fuse.js';
import { createCatalogService } from '../engine/catalog/catalog-service.ts';
import { createDirectoryService, DirectoryIndexCache } from '../engine/catalog/directory-service.ts';
import { openDatabase } from '../engine/db/index.ts';
import { sqliteConnection } from '../engine/db/sqlite-connection.ts';
import { loadBot, seedBot } from '../engine/index.ts';
import { generateDirectory } from '../scripts/directory-generator.ts';
import { leftovers } from './support/cleanup.ts';
import { LoadProgressDisplay } from '../server/load-progress-display.ts';
import { progressBar } from '../server/progress-bar.ts';
import { plainImport } from './support/plain-import.ts';
import { figure, type Figure } from './support/report.ts';
import { distribution, fmtMs } from './support/stats.ts';

/** The size of the generated directory (about `PRODUCTS_EACH` products per business). */
const BUSINESSES = Number(process.env['BENCH_SEARCH_BUSINESSES'] ?? 10_000);
const PRODUCTS_EACH = 10;
const QUERIES = 400;

/** Customer-like queries: kind and city, a name, one with a typo, words swapped. */
function queries(rows: { name: string; city: string }[]): string[] {
  const typo = (w: string) => (w.length > 4 ? `${w.slice(0, 2)}${w[3]}${w[2]}${w.slice(4)}` : w);
  return Array.from({ length: QUERIES }, (_, i) => {
    const b = rows[(i * 7919) % rows.length]!;
    const [kind = '', ...rest] = b.name.split(' ');
    switch (i % 4) {
      case 0: return `${kind} ${b.city}`;
      case 1: return b.name;
      case 2: return `${typo(kind.toLowerCase())} ${b.city.toLowerCase()}`;
      default: return `${b.city} ${rest.join(' ')}`;
    }
  });
}

/** Runs `search` over every query, returning the per-search times and the longest event-loop stall. */
async function time(list: readonly string[], search: (q: string, i: number) => Promise<unknown> | unknown): Promise<{ ms: number[]; stall: number }> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const ms: number[] = [];
  for (const [i, q] of list.entries()) {
    const t0 = performance.now();
    await search(q, i);
    ms.push(performance.now() - t0);
    await new Promise((resolve) => setImmediate(resolve));
  }
  loop.disable();
  return { ms, stall: loop.max / 1e6 };
}

function latencyFigures(name: string, engine: number[], fuse: number[]): Figure[] {
  const e = distribution(engine);
  const f = distribution(fuse);
  const p95 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.ceil(samples.length * 0.95) - 1] ?? Number.NaN;
  console.log(`  ${name}: engine p50 ${fmtMs(e.p50)}, p95 ${fmtMs(p95(engine))}, p99 ${fmtMs(e.p99)} — plain Fuse.js p50 ${fmtMs(f.p50)}, p95 ${fmtMs(p95(fuse))}, p99 ${fmtMs(f.p99)}`);
  const base = (v: number, what: string) => ({ name: `plain Fuse.js ${what}`, value: v, unit: 'ms' });
  return [
    figure('search', `${name} p50`, e.p50, 'ms', base(f.p50, 'p50')),
    figure('search', `${name} p95`, p95(engine), 'ms', base(p95(fuse), 'p95')),
    figure('search', `${name} p99`, e.p99, 'ms', base(f.p99, 'p99')),
  ];
}

/**
 * Search at the scale of a national directory: a generated bot of `BUSINESSES`
 * businesses loaded like the examples, then directory and product searches
 * through the engine's services beside plain Fuse.js over the same rows.
 */
export async function runSearch(): Promise<Figure[]> {
  console.log(`\n== search — ${BUSINESSES.toLocaleString('en-US')} generated businesses, ~${PRODUCTS_EACH} products each`);
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-search-'));
  leftovers.removeDir(dir);
  const bar = progressBar('generating   [{bar}] {value}/{total} businesses', { plainLines: true });
  bar.start(BUSINESSES, 0);
  const generated = await generateDirectory(path.join(dir, 'bot'), { count: BUSINESSES, productsEach: PRODUCTS_EACH, onProgress: (n) => bar.update(n) });
  bar.stop();
  const db = await openDatabase({ url: `file:${path.join(dir, 'search.db')}` });
  // The display `npm run setup` shows for big bots.
  const display = new LoadProgressDisplay();
  try {
    let t0 = performance.now();
    const bot = await loadBot(generated.dir, { onProgress: display.onProgress });
    const parseMs = performance.now() - t0;
    t0 = performance.now();
    await seedBot(db, bot, display.onProgress);
    const seedMs = performance.now() - t0;
    display.stop();
    console.log(`  ${generated.products.toLocaleString('en-US')} products; files read in ${fmtMs(parseMs)}, loaded in ${fmtMs(seedMs)}`);
    t0 = performance.now();
    await seedBot(db, bot);
    const reseedMs = performance.now() - t0;
    const plainMs = plainImport(path.join(dir, 'plain.db'), bot);
    console.log(`  load ${fmtMs(seedMs)} vs plain better-sqlite3 import of the same rows ${fmtMs(plainMs)}: ${(seedMs / plainMs).toFixed(2)}×; unchanged re-load ${fmtMs(reseedMs)}`);

    const rows = bot.businesses.map((b) => ({ id: b.slug, name: b.name, tags: b.tags, category: b.category, city: b.city, description: b.description }));
    t0 = performance.now();
    const fuse = new Fuse(rows, { keys: [{ name: 'name', weight: 3 }, { name: 'tags', weight: 2 }, { name: 'category', weight: 2 }, { name: 'city', weight: 2 }, { name: 'description', weight: 0.5 }], threshold: 0.34, ignoreDiacritics: true, ignoreLocation: true });
    const fuseBuildMs = performance.now() - t0;
    const list = queries(bot.businesses);
    const cache = new DirectoryIndexCache();
    const directory = () => createDirectoryService(db, cache);
    await directory().search(bot.runtime.id, 'warm up');
    const engine = await time(list, (q) => directory().search(bot.runtime.id, q, 5));
    const plain = await time(list, (q) => fuse.search(q, { limit: 5 }));

    // Products: the shops of the queries above, each searched for one of its own products (with a typo every other time).
    const ids = new Map((await directory().list(bot.runtime.id)).map((b) => [b.slug, b.id]));
    const shops = list.map((_, i) => bot.businesses[(i * 104729) % bot.businesses.length]!);
    const productQuery = (i: number) => {
      const name = shops[i]!.products[i % shops[i]!.products.length]!.name.toLowerCase();
      return i % 2 === 0 ? name : name.replace(/([aeiou])/, '$1$1');
    };
    const shopFuse = new Map(shops.map((s) => [s.slug, new Fuse(s.products, { keys: [{ name: 'name', weight: 3 }, { name: 'sku', weight: 1 }, { name: 'description', weight: 1 }], threshold: 0.35, ignoreDiacritics: true, ignoreLocation: true })]));
    const allProducts = bot.businesses.flatMap((b) => b.products);
    const allFuse = new Fuse(allProducts, { keys: ['name', 'sku', 'description'], threshold: 0.35, ignoreDiacritics: true, ignoreLocation: true });
    const catalog = createCatalogService(db);
    const products = await time(list, (_, i) => catalog.search(ids.get(shops[i]!.slug)!, productQuery(i), 5));
    const productsFuse = await time(list, (_, i) => shopFuse.get(shops[i]!.slug)!.search(productQuery(i), { limit: 5 }));
    const productsFuseAll = await time(list.slice(0, 40), (_, i) => allFuse.search(productQuery(i), { limit: 5 }));

    // Index build (what the migration does for existing rows) and one incremental change.
    const native = sqliteConnection(db)!;
    t0 = performance.now();
    native.client.exec(`DELETE FROM "ProductSearch";
      INSERT INTO "ProductSearch" ("rowid", "shop", "name", "body") SELECT p."rowid", p."businessId", p."name", p."sku" || ' ' || coalesce(c."name", '') || ' ' || p."description"
      FROM "Product" p LEFT JOIN "Category" c ON c."id" = p."categoryId" WHERE p."active"`);
    const buildMs = performance.now() - t0;
    t0 = performance.now();
    const allProductsFuseBuild = new Fuse(allProducts, { keys: ['name', 'sku', 'description'] });
    const fuseProductsBuildMs = performance.now() - t0;
    void allProductsFuseBuild;
    const rename = native.prepare('UPDATE "Product" SET "name" = ? WHERE "id" = (SELECT "id" FROM "Product" WHERE "businessId" = ? LIMIT 1)');
    const updates: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      rename.run(`Bolo de rolo ${i}`, ids.get(shops[i]!.slug));
      updates.push(performance.now() - t);
    }
    const update = distribution(updates);

    console.log(`  longest event-loop stall: directory ${fmtMs(engine.stall)}, products ${fmtMs(products.stall)} (plain Fuse.js: ${fmtMs(plain.stall)}, ${fmtMs(productsFuseAll.stall)} over all products)`);
    console.log(`  index: products FTS5 rebuilt in ${fmtMs(buildMs)} (plain Fuse.js index over all products: ${fmtMs(fuseProductsBuildMs)}; over all businesses: ${fmtMs(fuseBuildMs)}); one product renamed, index included: p50 ${fmtMs(update.p50)}, p99 ${fmtMs(update.p99)}`);
    console.log(`  re-loading the unchanged files: ${fmtMs(reseedMs)} (first load ${fmtMs(seedMs)})`);
    return [
      ...latencyFigures('directory search', engine.ms, plain.ms),
      ...latencyFigures('product search (one shop)', products.ms, productsFuse.ms),
      figure('search', 'longest event-loop stall, directory searches', engine.stall, 'ms', { name: 'plain Fuse.js over all businesses', value: plain.stall, unit: 'ms' }),
      figure('search', 'longest event-loop stall, product searches', products.stall, 'ms', { name: 'plain Fuse.js over all products', value: productsFuseAll.stall, unit: 'ms' }),
      figure('search', 'product index build (FTS5)', buildMs, 'ms', { name: 'plain Fuse.js index of all products', value: fuseProductsBuildMs, unit: 'ms' }),
      figure('search', 'one product renamed, index included (p99)', update.p99, 'ms'),
      figure('search', 'load of the generated bot', seedMs, 'ms', { name: 'plain better-sqlite3 import of the same rows', value: plainMs, unit: 'ms' }),
      figure('search', 're-load of the unchanged files', reseedMs, 'ms', { name: 'first load', value: seedMs, unit: 'ms' }),
    ];
  } finally {
    await db.$disconnect();
  }
}
