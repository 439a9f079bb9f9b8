/**
 * Imports a product feed (Meta Commerce Manager or Google Merchant Center) into
 * a business's catalog, or exports a business's catalog as a Meta feed.
 *
 *   npm run import-catalog -- feed.csv --bot corner-bakery
 *   npm run import-catalog -- feed.tsv --bot directory --business padaria-sao-jorge
 *   npm run import-catalog -- feed.xml --bot directory --business warung-bu-sri --progress
 *   npm run import-catalog -- --export meta --bot directory --business padaria-sao-jorge --out meta-feed.csv
 *
 * Importing writes the business's CSV catalog and YAML (new categories, `catalog:`),
 * checks the bot, then updates the database (`DATABASE_URL`; `--files-only` skips it).
 * Every row it cannot use is printed as `file:line column: why`. Running it
 * again with the same feed changes nothing.
 */
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, createI18n, formatProblem, loadBot, productImageUrl, type LoadedBot, type LoadedBusiness } from '../engine/index.ts';
import { openDatabase } from '../engine/db/index.ts';
import { seedBot } from '../engine/catalog/seed.ts';
import { FeedImporter, type FeedCatalog } from '../engine/feeds/feed-catalog.ts';
import { metaFeedCsv } from '../engine/feeds/meta-feed.ts';
import { writeBusinessCatalog } from '../engine/feeds/catalog-files.ts';
import { readFeed } from '../engine/feeds/read-feed.ts';
import { businessLinkPath } from '../adapters/webchat/index.ts';
import { standardTexts } from '../flows/index.ts';
import { BOTS_DIR } from '../server/runtime.ts';
import { progressBar } from '../server/progress-bar.ts';

/** Feeds this large (bytes) get a progress bar on a terminal. */
const LARGE_FEED = 256 * 1024;
const rel = (file: string) => path.relative(process.cwd(), file) || file;

function pickBusiness(bot: LoadedBot, slug: string | undefined): LoadedBusiness {
  const found = slug ? bot.businesses.find((b) => b.slug === slug) : bot.businesses.length === 1 ? bot.businesses[0] : undefined;
  if (found) return found;
  const list = bot.businesses.map((b) => b.slug).join(', ');
  throw new Error(slug ? `bot ${bot.runtime.id} has no business "${slug}": expected one of ${list}` : `bot ${bot.runtime.id} has ${bot.businesses.length} businesses: name one with --business (${list})`);
}

/** Reads the feed through the importer, with a progress bar on stderr for a large feed (or with `--progress`). */
async function readThrough(file: string, importer: FeedImporter, forced: boolean): Promise<FeedCatalog> {
  const size = statSync(file).size;
  const shown = forced || (process.stderr.isTTY && size >= LARGE_FEED);
  const bar = progressBar(`reading ${path.basename(file)} [{bar}] {percentage}% | {rows} rows`, { plainLines: forced, schedule: 250 });
  if (shown) bar.start(size, 0, { rows: 0 });
  let read = 0;
  for await (const row of readFeed(file, (n) => { read += n; })) {
    importer.add(row);
    if (shown) bar.update(Math.min(read, size), { rows: importer.result().rows });
  }
  if (shown) {
    bar.update(size, { rows: importer.result().rows });
    bar.stop();
  }
  return importer.result();
}

async function importFeed(file: string, bot: LoadedBot, business: LoadedBusiness, options: { progress: boolean; filesOnly: boolean }): Promise<number> {
  const i18n = await createI18n({ defaults: standardTexts() });
  i18n.setBotTexts(bot.runtime.id, bot.texts);
  const importer = new FeedImporter(file, business, i18n.t(bot.runtime.id, business.locale)('feeds.otherCategory'));
  const catalog = await readThrough(file, importer, options.progress);
  for (const p of catalog.problems) console.log(formatProblem({ ...p, file: rel(p.file) }));
  const where = `${bot.runtime.id}/${business.slug}`;
  if (catalog.products.length === 0) {
    console.log(`no usable product in ${rel(file)} (${catalog.rows} rows): nothing was changed`);
    return 1;
  }
  const { changed, bot: written } = await writeBusinessCatalog(bot, business.slug, catalog.products, catalog.categories);
  console.log([
    `${catalog.products.length} products from ${rel(file)} into ${where}`,
    catalog.added.length > 0 ? `, ${catalog.added.length} new ${catalog.added.length === 1 ? 'category' : 'categories'} (${catalog.added.join(', ')})` : '',
    catalog.problems.length > 0 ? `; ${catalog.problems.length} rows not used (listed above)` : '',
    catalog.discontinued > 0 ? `; ${catalog.discontinued} discontinued left out` : '',
  ].join(''));
  console.log(changed.length > 0 ? `wrote ${changed.map(rel).join(', ')}` : 'the files already hold this catalog: nothing to write');
  if (options.filesOnly) return 0;
  const db = await openDatabase({ url: process.env['DATABASE_URL'] });
  try {
    const report = await seedBot(db, written);
    const live = report.updated.includes(business.slug) ? 'updated' : 'already up to date';
    console.log(`database ${live}: ${catalog.products.length} products for sale in ${where} (a running server: reload the bot with POST /api/v1/bots/${bot.runtime.id}/reload, or restart it)`);
  } finally {
    await db.$disconnect();
  }
  return 0;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      bot: { type: 'string' }, business: { type: 'string' }, export: { type: 'string' }, out: { type: 'string' },
      'public-url': { type: 'string' }, progress: { type: 'boolean', default: false }, 'files-only': { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (!values.bot) throw new Error('name the bot: --bot <id> (a folder of bots/)');
  const bot = await loadBot(values.bot.includes('/') ? path.resolve(values.bot) : path.join(BOTS_DIR, values.bot));
  const business = pickBusiness(bot, values.business);
  if (values.export !== undefined) {
    if (values.export !== 'meta') throw new Error(`--export ${values.export}: expected --export meta`);
    const publicUrl = (values['public-url'] ?? process.env['PUBLIC_URL'] ?? `http://localhost:${process.env['PORT'] ?? '3000'}`).replace(/\/+$/, '');
    // A bot's image files are served at PUBLIC_URL, where Meta fetches them.
    const csv = metaFeedCsv(business, publicUrl + businessLinkPath(business.slug), (image) => {
      const url = productImageUrl(bot.runtime.id, image);
      return url.startsWith('/') ? publicUrl + url : url;
    });
    if (!values.out) process.stdout.write(csv);
    else {
      await writeFile(values.out, csv);
      console.log(`wrote ${business.products.length} products of ${bot.runtime.id}/${business.slug} to ${rel(path.resolve(values.out))} (Meta Commerce Manager data feed)`);
    }
    return 0;
  }
  const feed = positionals[0];
  if (!feed) throw new Error('name the feed file: npm run import-catalog -- <feed.csv|feed.tsv|feed.xml> --bot <id> [--business <slug>]');
  return importFeed(path.resolve(feed), bot, business, { progress: values.progress, filesOnly: values['files-only'] });
}

main().then((code) => process.exit(code), (err: unknown) => {
  if (err instanceof ConfigError) for (const p of err.problems) console.error(formatProblem({ ...p, file: rel(p.file) }));
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
