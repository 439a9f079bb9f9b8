import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedImporter, type FeedCatalog } from '../../engine/feeds/feed-catalog.ts';
import { readFeed } from '../../engine/feeds/read-feed.ts';
import { openDatabase, type Db } from '../../engine/db/index.ts';
import { seedBot } from '../../engine/catalog/seed.ts';
import { loadBot } from '../../engine/index.ts';
import { bakeryFeed, feedCsv, feedTsv, feedXml, type FeedItem } from '../support/feeds.ts';
import { createTestRuntime } from '../support/test-runtime.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const COUNT = 3000;
const CATEGORIES = [{ slug: 'paes', name: 'Pães' }, { slug: 'salgados', name: 'Salgados' }, { slug: 'doces', name: 'Doces e bolos' }, { slug: 'bebidas', name: 'Bebidas' }];

let dir = '';
let items: FeedItem[] = [];
let bad: ReturnType<typeof bakeryFeed>['bad'] = [];
let csvLines: number[] = [];
let xmlLines: number[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vitrine-feed-'));
  ({ items, bad } = bakeryFeed(COUNT));
  const csv = feedCsv(items);
  const xml = feedXml(items);
  csvLines = csv.lines;
  xmlLines = xml.lines;
  writeFileSync(path.join(dir, 'feed.csv'), csv.text);
  writeFileSync(path.join(dir, 'feed.tsv'), feedTsv(items));
  writeFileSync(path.join(dir, 'feed.xml'), xml.text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function importFile(file: string): Promise<FeedCatalog> {
  const importer = new FeedImporter(file, { currency: 'BRL', categories: CATEGORIES }, 'Outros');
  for await (const row of readFeed(file)) importer.add(row);
  return importer.result();
}

const discontinued = Math.floor(COUNT / 97);

describe('a product feed read into a catalog', () => {
  it('reads a Meta CSV of a few thousand rows: SKU = id, prices in the business currency, stock, categories, and each bad row by line and why', async () => {
    const file = path.join(dir, 'feed.csv');
    const catalog = await importFile(file);
    expect(catalog.rows).toBe(COUNT + bad.length);
    expect(catalog.discontinued).toBe(discontinued);
    expect(catalog.products).toHaveLength(COUNT - discontinued);
    expect(catalog.problems.map((p) => ({ line: p.line, path: p.path }))).toEqual(bad.map((b) => ({ line: csvLines[b.index], path: b.column })));
    for (const [i, b] of bad.entries()) expect(catalog.problems[i]?.message, b.column).toContain(b.reason);
    const sku = (id: string) => catalog.products.find((p) => p.sku === id);
    expect(sku('SJ-00001')).toEqual({ sku: 'SJ-00001', name: 'Produto 1 da padaria', description: 'Feito na Mooca, lote 1', category: 'salgados', price: '1.87', image: 'https://images.example.com/sj/1.jpg' });
    expect(sku('SJ-00005')?.stock).toBe(5); // quantity_to_sell_on_facebook
    expect(sku('SJ-00011')?.stock).toBe(0); // out of stock
    expect(sku('SJ-00013')?.price).toBe('5.81'); // the lower sale_price (6.31 BRL regular)
    expect(sku('SJ-00007')?.description).toBe('Receita da casa, "especial", com fermentação natural,\nassado no dia 8');
    expect(sku('SJ-00097')).toBeUndefined(); // discontinued
    expect(sku('SJ-00004')?.category).toBe('congelados');
    expect(catalog.added).toEqual(['Congelados']);
    expect(catalog.categories.map((c) => c.slug)).toEqual(['paes', 'salgados', 'doces', 'bebidas', 'congelados']);
  });

  it('reads the same feed as TSV and as Google Merchant Center XML, with the lines of their bad rows', async () => {
    const csv = await importFile(path.join(dir, 'feed.csv'));
    const shape = (c: FeedCatalog) => c.products.map((p) => [p.sku, p.price, p.stock, p.category, p.image]);
    const tsv = await importFile(path.join(dir, 'feed.tsv'));
    expect(shape(tsv)).toEqual(shape(csv));
    expect(tsv.problems.map((p) => p.line)).toEqual(bad.map((b) => b.index + 2));
    const xml = await importFile(path.join(dir, 'feed.xml'));
    expect(shape(xml)).toEqual(shape(csv));
    expect(xml.problems.map((p) => [p.line, p.path])).toEqual(bad.map((b) => [xmlLines[b.index], b.column]));
  });

  it('names the line of a file that is not valid CSV or XML', async () => {
    writeFileSync(path.join(dir, 'broken.csv'), 'id,title,price\nA,"unclosed,1.00 BRL\nB,ok,2.00 BRL\n');
    await expect(importFile(path.join(dir, 'broken.csv'))).rejects.toMatchObject({ problems: [{ line: 2, message: expect.stringContaining('not valid CSV') }] });
    writeFileSync(path.join(dir, 'broken.xml'), '<rss><channel>\n<item><g:id>A</g:id>\n</channel></rss>\n');
    await expect(importFile(path.join(dir, 'broken.xml'))).rejects.toMatchObject({ problems: [{ line: 3, message: expect.stringContaining('not valid XML') }] });
  });
});

// Each case runs the command (tsx, a cold start each time) two or three times over a few thousand rows:
// slow while the rest of the suite runs beside it.
describe('npm run import-catalog', { timeout: 120_000 }, () => {
  let work = '';
  let bots = '';
  let databaseUrl = '';
  let db: Db;
  const tool = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'scripts/import-catalog.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, maxBuffer: 16 * 1024 * 1024 });
  const failing = (args: string[]) => tool(args).then(() => undefined, (err: { code: number; stdout: string; stderr: string }) => err);
  const padaria = () => path.join(bots, 'directory', 'businesses');

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'vitrine-import-'));
    bots = path.join(work, 'bots');
    cpSync(path.join(ROOT, 'bots', 'directory'), path.join(bots, 'directory'), { recursive: true });
    databaseUrl = `file:${path.join(work, 'test.db')}`;
    db = await openDatabase({ url: databaseUrl });
    // The directory as it was before the import, with the padaria's own products.
    await seedBot(db, await loadBot(path.join(bots, 'directory')));
  });
  afterAll(async () => {
    await db?.$disconnect();
    rmSync(work, { recursive: true, force: true });
  });

  const productsOf = async () => {
    const business = await db.business.findUniqueOrThrow({ where: { botId_slug: { botId: 'directory', slug: 'padaria-sao-jorge' } } });
    return db.product.findMany({ where: { businessId: business.id }, select: { id: true, sku: true, priceMinor: true, stock: true, active: true } });
  };

  it('imports a feed into a business of a directory: files, database, a progress bar, and every unusable row by line', async () => {
    const { stdout, stderr } = await tool([path.join(dir, 'feed.csv'), '--bot', path.join(bots, 'directory'), '--business', 'padaria-sao-jorge', '--progress']);
    for (const b of bad) expect(stdout).toMatch(new RegExp(`feed\\.csv:${csvLines[b.index]}:1 ${b.column}: .*${b.reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(stdout).toContain(`${COUNT - discontinued} products from`);
    expect(stdout).toContain('1 new category (Congelados); 12 rows not used (listed above); 30 discontinued left out');
    expect(stderr).toContain(`100% | ${COUNT + bad.length} rows`);
    const yaml = readFileSync(path.join(padaria(), 'padaria-sao-jorge.yaml'), 'utf8');
    expect(yaml).toContain('catalog: padaria-sao-jorge.csv');
    expect(yaml).toContain('  - slug: congelados\n    name: Congelados');
    expect(yaml).not.toContain('products:');
    const rows = parseCsv(readFileSync(path.join(padaria(), 'padaria-sao-jorge.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(COUNT - discontinued);
    const products = await productsOf();
    const forSale = products.filter((p) => p.active);
    expect(forSale).toHaveLength(COUNT - discontinued);
    expect(forSale.find((p) => p.sku === 'SJ-00013')).toMatchObject({ priceMinor: 581, stock: null });
    expect(forSale.find((p) => p.sku === 'SJ-00011')).toMatchObject({ stock: 0 });
    // The products the business had before are no longer for sale.
    expect(products.find((p) => p.sku === 'PAO-FRANCES')?.active).toBe(false);
  });

  it('changes nothing when run again with the same feed, and updates in place when the feed changes', async () => {
    const files = ['padaria-sao-jorge.yaml', 'padaria-sao-jorge.csv'].map((f) => path.join(padaria(), f));
    const before = files.map((f) => readFileSync(f, 'utf8'));
    const ids = new Map((await productsOf()).map((p) => [p.sku, p.id]));
    const again = await tool([path.join(dir, 'feed.csv'), '--bot', path.join(bots, 'directory'), '--business', 'padaria-sao-jorge']);
    expect(again.stdout).toContain('the files already hold this catalog: nothing to write');
    expect(again.stdout).toContain('database already up to date');
    expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(before);

    const changed = items.filter((item) => item['id'] !== 'SJ-00003').map((item) => (item['id'] === 'SJ-00002' ? { ...item, price: '3.10 BRL' } : item));
    writeFileSync(path.join(dir, 'changed.csv'), feedCsv(changed).text);
    await tool([path.join(dir, 'changed.csv'), '--bot', path.join(bots, 'directory'), '--business', 'padaria-sao-jorge']);
    const after = await productsOf();
    expect(after.find((p) => p.sku === 'SJ-00002')).toMatchObject({ id: ids.get('SJ-00002'), priceMinor: 310, active: true });
    expect(after.find((p) => p.sku === 'SJ-00003')).toMatchObject({ id: ids.get('SJ-00003'), active: false });
    expect(after.filter((p) => p.active)).toHaveLength(COUNT - discontinued - 1);
    await tool([path.join(dir, 'feed.csv'), '--bot', path.join(bots, 'directory'), '--business', 'padaria-sao-jorge']);
  });

  it('changes nothing when no row is usable, such as a feed in another currency', async () => {
    const before = readFileSync(path.join(padaria(), 'padaria-sao-jorge.csv'), 'utf8');
    writeFileSync(path.join(dir, 'usd.csv'), feedCsv(items.slice(0, 50).map((item) => ({ ...item, price: (item['price'] ?? '').replace('BRL', 'USD'), sale_price: '' }))).text);
    const failed = await failing([path.join(dir, 'usd.csv'), '--bot', path.join(bots, 'directory'), '--business', 'padaria-sao-jorge']);
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain('usd.csv:2:1 price: price "1.87 USD" is in USD, but the business sells in BRL');
    expect(failed?.stdout).toContain('no usable product in');
    expect(readFileSync(path.join(padaria(), 'padaria-sao-jorge.csv'), 'utf8')).toBe(before);
  });

  it('asks which business of a directory, and names the ones there are', async () => {
    const failed = await failing([path.join(dir, 'feed.csv'), '--bot', path.join(bots, 'directory')]);
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/bot directory has 15 businesses: name one with --business \(acai-do-leme, areperia-dona-rosa, /);
  });

  it('exports the catalog as a Meta feed that imports back to the same catalog', async () => {
    const out = path.join(dir, 'meta.csv');
    await tool(['--export', 'meta', '--bot', path.join(bots, 'directory'), '--business', 'padaria-sao-jorge', '--out', out, '--public-url', 'https://shop.example.com']);
    const rows = parseCsv(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(COUNT - discontinued);
    expect(rows.find((r) => r['id'] === 'SJ-00011')).toMatchObject({ availability: 'out of stock', quantity_to_sell_on_facebook: '0', condition: 'new' });
    expect(rows.find((r) => r['id'] === 'SJ-00013')).toMatchObject({
      title: 'Produto 13 da padaria', price: '5.81 BRL', availability: 'in stock', link: 'https://shop.example.com/b/padaria-sao-jorge',
      brand: 'Padaria São Jorge', product_type: 'Bebidas', image_link: 'https://images.example.com/sj/13.jpg', quantity_to_sell_on_facebook: '',
    });
    const back = await tool([out, '--bot', path.join(bots, 'directory'), '--business', 'padaria-sao-jorge']);
    expect(back.stdout).toContain('the files already hold this catalog: nothing to write');
  });

  it('exports a bot\'s image files as addresses on the public URL, where Meta fetches them', async () => {
    const out = path.join(dir, 'hackney.csv');
    await tool(['--export', 'meta', '--bot', path.join(bots, 'directory'), '--business', 'hackney-bread-co', '--out', out, '--public-url', 'https://shop.example.com/']);
    const rows = parseCsv(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r['id'] === 'SOURDOUGH-WHITE')?.['image_link']).toBe('https://shop.example.com/media/directory/images/hackney-bread-co/sourdough-white.jpg');
  });

  it('lets a WhatsApp order name the imported products by their feed id (product_retailer_id)', async () => {
    const rt = await createTestRuntime({ botsDir: bots });
    try {
      const customer = { id: '5511988887777' };
      const base = { channel: 'whatsapp', botId: 'directory', customer } as const;
      await rt.engine.handle({ ...base, kind: 'text', text: 'Olá! Quero comprar na loja Padaria São Jorge. #padaria-sao-jorge', messageId: 'wamid.link' });
      const replies = await rt.engine.handle({ ...base, kind: 'order', items: [{ sku: 'SJ-00013', quantity: 2 }, { sku: 'SJ-00097', quantity: 1 }], messageId: 'wamid.order' });
      const text = JSON.stringify(replies);
      expect(text).toContain('SJ-00097'); // discontinued: not for sale
      const cart = replies.find((r) => r.kind === 'cart');
      expect(cart?.kind === 'cart' ? cart.lines.map((l) => [l.sku, l.quantity]) : []).toEqual([['SJ-00013', 2]]);
    } finally {
      await rt.dispose();
    }
  });
});
