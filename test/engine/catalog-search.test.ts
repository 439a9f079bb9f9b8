import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadBot, seedBot } from '../../engine/index.ts';
import { openDatabase } from '../../engine/db/index.ts';
import { createCatalogService, ProductIndexCache } from '../../engine/catalog/catalog-service.ts';
import Fuse from 'fuse.js';
import { createDirectoryService, DirectoryIndexCache, SEARCH_BOUNDS } from '../../engine/catalog/directory-service.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-search-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = path.resolve(import.meta.dirname, '..', '..');

describe('catalog and directory search', () => {
  it('finds products with typos, and sees catalog changes without a restart', async () => {
    const db = await openDatabase({ url: `file:${path.join(dir, 'search.db')}` });
    try {
      const bot = await loadBot(path.join(root, 'bots', 'directory'));
      await seedBot(db, bot);
      const products = new ProductIndexCache();
      const businesses = new DirectoryIndexCache();
      const catalog = createCatalogService(db, products);
      const directory = createDirectoryService(db, businesses);
      const [bakery] = await directory.search('directory', 'padaria sao paulo');
      expect(bakery?.slug).toBe('padaria-sao-jorge');
      expect((await catalog.search(bakery!.id, 'pao de qeijo'))[0]?.sku).toBe('PAO-QUEIJO');
      expect(await catalog.search(bakery!.id, 'brigadeiro gourmet xyz')).not.toContainEqual(expect.objectContaining({ sku: 'PAO-QUEIJO' }));

      const renamed = { ...bot, businesses: bot.businesses.map((b) => b.slug === 'padaria-sao-jorge'
        ? { ...b, products: [...b.products, { sku: 'BOLO-FUBA', name: 'Bolo de fubá cremoso', description: '', category: b.products[0]!.category, price: '18.00' }] }
        : b) };
      await seedBot(db, renamed);
      expect((await catalog.search(bakery!.id, 'bolo fuba'))[0]?.sku).toBe('BOLO-FUBA');
    } finally {
      await db.$disconnect();
    }
  });

  it('bounds the work of one search: a 4,000-character message costs as much as a short one', async () => {
    const db = await openDatabase({ url: `file:${path.join(dir, 'bounds.db')}` });
    try {
      await seedBot(db, await loadBot(path.join(root, 'bots', 'directory')));
      const directory = createDirectoryService(db, new DirectoryIndexCache());
      await directory.list('directory');
      const searches = vi.spyOn(Fuse.prototype, 'search');
      const flood = Array.from({ length: 500 }, (_, i) => `padaria${i}`).join(' ');
      expect(flood.length).toBeGreaterThan(4000);
      await directory.search('directory', `padaria sao paulo ${flood}`);
      // One search per word kept, and one for the words together.
      expect(searches).toHaveBeenCalledTimes(SEARCH_BOUNDS.words + 1);
      expect(searches.mock.calls.every(([pattern]) => String(pattern).length <= SEARCH_BOUNDS.chars)).toBe(true);
      searches.mockRestore();
      expect((await directory.search('directory', `padaria sao paulo ${flood}`))[0]?.slug).toBe('padaria-sao-jorge');
    } finally {
      await db.$disconnect();
    }
  });

  it('sees a renamed or closed business in the next turn, with the same index cache', async () => {
    const db = await openDatabase({ url: `file:${path.join(dir, 'directory.db')}` });
    try {
      const bot = await loadBot(path.join(root, 'bots', 'directory'));
      await seedBot(db, bot);
      const businesses = new DirectoryIndexCache();
      // Each turn makes its own service over the shared cache.
      const turn = () => createDirectoryService(db, businesses);
      const [bakery] = await turn().search('directory', 'padaria sao paulo');
      expect(bakery?.slug).toBe('padaria-sao-jorge');

      await db.business.update({ where: { id: bakery!.id }, data: { name: 'Confeitaria Estrela' } });
      expect((await turn().search('directory', 'confeitaria estrela'))[0]?.id).toBe(bakery!.id);
      expect((await turn().get(bakery!.id))?.name).toBe('Confeitaria Estrela');

      await db.business.update({ where: { id: bakery!.id }, data: { active: false } });
      expect((await turn().list('directory')).map((b) => b.id)).not.toContain(bakery!.id);
      // A closed business is still found by id (an order of it names it).
      expect((await turn().get(bakery!.id))?.name).toBe('Confeitaria Estrela');
    } finally {
      await db.$disconnect();
    }
  });
});
