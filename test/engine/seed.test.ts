import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBot, seedBot, type LoadedBot, type LoadedBusiness } from '../../engine/index.ts';
import type { Db } from '../../engine/db/index.ts';
import { createCatalogService } from '../../engine/catalog/catalog-service.ts';
import { createDirectoryService, DirectoryIndexCache } from '../../engine/catalog/directory-service.ts';
import { databases } from '../support/databases.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Every catalog row with its id, in a stable order: what two loads of the same files must agree on. */
async function rows(db: Db) {
  return {
    businesses: await db.business.findMany({ orderBy: { slug: 'asc' }, select: { id: true, slug: true, name: true, active: true, catalogHash: true } }),
    categories: await db.category.findMany({ orderBy: [{ businessId: 'asc' }, { slug: 'asc' }], select: { id: true, businessId: true, slug: true, name: true } }),
    products: await db.product.findMany({ orderBy: [{ businessId: 'asc' }, { sku: 'asc' }], select: { id: true, businessId: true, categoryId: true, sku: true, priceMinor: true, active: true, stock: true } }),
  };
}

const withBusiness = (bot: LoadedBot, slug: string, change: (b: LoadedBusiness) => LoadedBusiness): LoadedBot =>
  ({ ...bot, businesses: bot.businesses.map((b) => (b.slug === slug ? change(b) : b)) });

/** A single-shop bot folder whose CSV catalog has `count` products. */
function shopFolder(count: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-seed-'));
  writeFileSync(path.join(dir, 'bot.yaml'), [
    'id: big-shop', 'name: Big Shop', 'defaultLocale: en-GB', 'locales: [en-GB]', 'flow: shopping', 'payments: { provider: record }', 'channels: { console: {} }',
    'business:', '  slug: big-shop', '  name: Big Shop', '  city: Leeds', '  country: GB', '  locale: en-GB', '  currency: GBP',
    '  categories:', '    - { slug: tools, name: Tools }', '    - { slug: paint, name: Paint }', '  catalog: catalog.csv', '',
  ].join('\n'));
  const lines = Array.from({ length: count }, (_, i) => `T-${i},Item ${i},,${i % 2 === 0 ? 'tools' : 'paint'},${(1 + i / 100).toFixed(2)},${i % 7},`);
  writeFileSync(path.join(dir, 'catalog.csv'), ['sku,name,description,category,price,stock,image', ...lines, 'T-WRENCH,Adjustable wrench chrome,,tools,12.50,,', ''].join('\n'));
  return dir;
}

for (const database of databases) {
  describe.skipIf(database.skip)(`loading a bot into ${database.name}`, () => {
    it('is idempotent: a second load of the same files keeps every row and id, and writes nothing', async () => {
      const { db, cleanup } = await database.open();
      try {
        const parsed: number[] = [];
        const bot = await loadBot(path.join(root, 'bots', 'directory'), { onProgress: (p) => parsed.push(p.done) });
        expect(parsed.at(-1)).toBe(bot.businesses.length);
        await seedBot(db, bot);
        const first = await rows(db);
        expect(first.products.length).toBe(bot.businesses.reduce((n, b) => n + b.products.length, 0));
        expect(first.products.every((p) => p.active)).toBe(true);
        const again = await seedBot(db, bot);
        expect(again).toMatchObject({ updated: [], deactivated: [] });
        expect(await rows(db)).toEqual(first);
      } finally {
        await cleanup();
      }
    });

    it('updates a changed price, hides a removed product and a removed business, and keeps the ids of the rest', async () => {
      const { db, cleanup } = await database.open();
      try {
        const bot = await loadBot(path.join(root, 'bots', 'directory'));
        await seedBot(db, bot);
        const before = await rows(db);
        const bakery = before.businesses.find((b) => b.slug === 'padaria-sao-jorge')!;
        const gone = bot.businesses.find((b) => b.slug !== 'padaria-sao-jorge')!;
        const changed = withBusiness({ ...bot, businesses: bot.businesses.filter((b) => b !== gone) }, 'padaria-sao-jorge',
          (b) => ({ ...b, products: b.products.filter((p) => p.sku !== 'PAO-QUEIJO').map((p) => (p.sku === 'PAO-FRANCES' ? { ...p, price: '1.10' } : p)) }));
        const report = await seedBot(db, changed);
        expect(report).toMatchObject({ updated: ['padaria-sao-jorge'], deactivated: [gone.slug] });
        const after = await rows(db);
        const product = (sku: string) => after.products.find((p) => p.businessId === bakery.id && p.sku === sku)!;
        expect(product('PAO-FRANCES').priceMinor).toBe(110);
        expect(product('PAO-QUEIJO').active).toBe(false);
        expect(after.businesses.find((b) => b.slug === gone.slug)!.active).toBe(false);
        expect(after.products.map((p) => p.id)).toEqual(before.products.map((p) => p.id));
        expect(after.businesses.map((b) => b.id)).toEqual(before.businesses.map((b) => b.id));

        // Back in the files: the same rows are offered again.
        await seedBot(db, bot);
        expect((await rows(db)).businesses.every((b) => b.active)).toBe(true);
        expect(product('PAO-QUEIJO').id).toBe((await rows(db)).products.find((p) => p.sku === 'PAO-QUEIJO')!.id);
        expect((await rows(db)).products.every((p) => p.active)).toBe(true);
      } finally {
        await cleanup();
      }
    });

    it('makes newly loaded businesses and products findable by search', async () => {
      const { db, cleanup } = await database.open();
      try {
        const bot = await loadBot(path.join(root, 'bots', 'directory'));
        await seedBot(db, bot);
        const model = bot.businesses.find((b) => b.slug === 'padaria-sao-jorge')!;
        const added = { ...bot, businesses: [...bot.businesses, { ...model, slug: 'quitanda-zeferina', name: 'Quitanda Zeferina', city: 'Olinda',
          products: [{ sku: 'CAJU-1', name: 'Cajuína artesanal', description: '', category: model.products[0]!.category, price: '9.00' }] }] };
        await seedBot(db, added);
        const [found] = await createDirectoryService(db, new DirectoryIndexCache()).search(bot.runtime.id, 'quitanda olinda');
        expect(found?.slug).toBe('quitanda-zeferina');
        expect((await createCatalogService(db).search(found!.id, 'cajuina'))[0]?.sku).toBe('CAJU-1');
      } finally {
        await cleanup();
      }
    });

    it('loads a single shop of 3,000 products from a CSV, findable, and reloads it unchanged', async () => {
      const dir = shopFolder(3000);
      const { db, cleanup } = await database.open();
      try {
        const bot = await loadBot(dir);
        const phases = new Set<string>();
        expect((await seedBot(db, bot, (p) => phases.add(p.phase))).updated).toEqual(['big-shop']);
        expect(phases).toEqual(new Set(['products', 'businesses']));
        expect(await db.product.count({ where: { active: true } })).toBe(3001);
        const shop = await db.business.findFirstOrThrow({ where: { slug: 'big-shop' } });
        expect((await createCatalogService(db).search(shop.id, 'adjustable wrench'))[0]?.sku).toBe('T-WRENCH');
        expect((await seedBot(db, bot)).unchanged).toEqual(['big-shop']);

        // The first line removed and one price changed: every position shifts, nothing else changes.
        const [first, ...rest] = bot.businesses[0]!.products;
        const shifted = { ...bot, businesses: [{ ...bot.businesses[0]!, products: rest.map((p) => (p.sku === 'T-WRENCH' ? { ...p, price: '13.00' } : p)) }] };
        expect((await seedBot(db, shifted)).updated).toEqual(['big-shop']);
        const forSale = await db.product.findMany({ where: { active: true }, orderBy: { position: 'asc' }, select: { sku: true, priceMinor: true } });
        expect(forSale.map((p) => p.sku)).toEqual(rest.map((p) => p.sku));
        expect(forSale.at(-1)).toEqual({ sku: 'T-WRENCH', priceMinor: 1300 });
        expect(await db.product.findFirstOrThrow({ where: { sku: first!.sku } })).toMatchObject({ active: false });
        const search = createCatalogService(db);
        expect((await search.search(shop.id, 'adjustable wrench'))[0]?.sku).toBe('T-WRENCH');
        expect((await search.search(shop.id, 'item 2999'))[0]?.sku).toBe('T-2999');
      } finally {
        await cleanup();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  });
}
