import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import Fuse from 'fuse.js';
import { loadBot, seedBot, type LoadedBot } from '../../engine/index.ts';
import type { Db } from '../../engine/db/index.ts';
import type { DbClient } from '../../engine/db/db-client.ts';
import { createCatalogService } from '../../engine/catalog/catalog-service.ts';
import { createDirectoryService, DirectoryIndexCache, SEARCH_BOUNDS } from '../../engine/catalog/directory-service.ts';
import { databaseSearch, type SearchBackend } from '../../engine/catalog/search-backend.ts';
import { databases } from '../support/databases.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

/** A fresh database of `database` with the demo directory loaded. */
async function withDirectory(database: (typeof databases)[number], work: (db: Db, bot: LoadedBot) => Promise<void>): Promise<void> {
  const { db, cleanup } = await database.open();
  try {
    const bot = await loadBot(path.join(root, 'bots', 'directory'));
    await seedBot(db, bot);
    await work(db, bot);
  } finally {
    await cleanup();
  }
}

const slugs = (found: { slug: string }[]) => found.map((b) => b.slug);

for (const database of databases) {
  describe.skipIf(database.skip)(`catalog and directory search on ${database.name}`, () => {
    it('finds products with typos, and sees catalog changes without a restart', async () => {
      await withDirectory(database, async (db, bot) => {
        const catalog = createCatalogService(db);
        const directory = createDirectoryService(db, new DirectoryIndexCache());
        const [bakery] = await directory.search('directory', 'padaria sao paulo');
        expect(bakery?.slug).toBe('padaria-sao-jorge');
        expect((await catalog.search(bakery!.id, 'pao de qeijo'))[0]?.sku).toBe('PAO-QUEIJO');
        expect(await catalog.search(bakery!.id, 'brigadeiro gourmet xyz')).not.toContainEqual(expect.objectContaining({ sku: 'PAO-QUEIJO' }));

        const added = { ...bot, businesses: bot.businesses.map((b) => b.slug === 'padaria-sao-jorge'
          ? { ...b, products: [...b.products, { sku: 'BOLO-CENOURA', name: 'Bolo de cenoura com chocolate', description: '', category: b.products[0]!.category, price: '18.00' }] }
          : b) };
        await seedBot(db, added);
        expect((await catalog.search(bakery!.id, 'bolo cenoura'))[0]?.sku).toBe('BOLO-CENOURA');
        // A product no longer in the files is no longer found.
        await seedBot(db, bot);
        expect(await catalog.search(bakery!.id, 'bolo cenoura')).not.toContainEqual(expect.objectContaining({ sku: 'BOLO-CENOURA' }));
      });
    });

    it('finds the best product of a shop with more matches than one answer holds, wherever it is in the catalog', async () => {
      await withDirectory(database, async (db, bot) => {
        // 80 cakes, the carrot one last: a search that took the first matches in catalog order would miss it.
        const cakes = Array.from({ length: 80 }, (_, i) => ({ sku: `BOLO-${i}`, name: `Bolo caseiro ${i}`, description: 'Bolo da casa', category: 'doces', price: '12.00' }));
        cakes.push({ sku: 'BOLO-CENOURA', name: 'Bolo de cenoura com chocolate', description: 'Bolo da casa', category: 'doces', price: '18.00' });
        await seedBot(db, { ...bot, businesses: bot.businesses.map((b) => (b.slug === 'padaria-sao-jorge' ? { ...b, products: [...b.products, ...cakes] } : b)) });
        const [bakery] = await createDirectoryService(db, new DirectoryIndexCache()).search('directory', 'padaria sao paulo');
        const found = await createCatalogService(db).search(bakery!.id, 'bolo cenoura');
        expect(found[0]?.sku).toBe('BOLO-CENOURA');
      });
    });

    it('ignores accents, word order and one or two typos, and keeps unrelated shops out for unknown words', async () => {
      await withDirectory(database, async (db) => {
        const directory = createDirectoryService(db, new DirectoryIndexCache(), { stopWords: ['in', 'em', 'de'] });
        for (const query of ['padaria são paulo', 'PADARIA SAO PAULO', 'sao paulo padaria', 'padria sao paulo', 'pdaria sao pualo', 'padaria em são paulo']) {
          expect(slugs(await directory.search('directory', query))[0], query).toBe('padaria-sao-jorge');
        }
        // No bookshop in Manchester nor taquería for a bakery in São Paulo.
        const bakeries = slugs(await directory.search('directory', 'padaria são paulo'));
        expect(bakeries).not.toContain('chorlton-bookshop');
        expect(bakeries.filter((s) => s.includes('taqueria'))).toEqual([]);
        expect(await directory.search('directory', 'zzqxv wqpty')).toEqual([]);
        // An unknown word beside a known one changes nothing.
        expect(slugs(await directory.search('directory', 'padaria zzqxv'))[0]).toBe('padaria-sao-jorge');
      });
    });

    it('bounds the work of one search: a 4,000-character message costs as much as a short one', async () => {
      await withDirectory(database, async (db) => {
        const seen: string[][] = [];
        const recording = (tx: DbClient): SearchBackend => {
          const inner = databaseSearch(tx);
          return { businesses: (botId, words, limit) => { seen.push([...words]); return inner.businesses(botId, words, limit); }, products: inner.products };
        };
        const directory = createDirectoryService(db, new DirectoryIndexCache(), { search: recording });
        await directory.list('directory');
        const searches = vi.spyOn(Fuse.prototype, 'search');
        const flood = Array.from({ length: 500 }, (_, i) => `padaria${i}`).join(' ');
        expect(flood.length).toBeGreaterThan(4000);
        const [best] = await directory.search('directory', `padaria sao paulo ${flood}`);
        expect(best?.slug).toBe('padaria-sao-jorge');
        // The backend sees the bounded words only; Fuse re-ranks once per word and once for all.
        expect(seen).toEqual([['padaria', 'sao', 'paulo', 'padaria0', 'padaria1', 'padaria2']]);
        expect(searches).toHaveBeenCalledTimes(SEARCH_BOUNDS.words + 1);
        expect(searches.mock.calls.every(([pattern]) => String(pattern).length <= SEARCH_BOUNDS.chars)).toBe(true);
        searches.mockRestore();
      });
    });

    it('reads a bot\'s directory again for the next turn of a transaction when one turn\'s read failed', async () => {
      await withDirectory(database, async (db) => {
        let failures = 1;
        // A read that fails once, as a turn's statement would in a transaction a savepoint then mends.
        const cache = new (class extends DirectoryIndexCache {
          override async get(client: DbClient, botId: string) {
            if (failures-- > 0) throw new Error('the statement failed');
            return super.get(client, botId);
          }
        })();
        const checks = new Map();
        await expect(createDirectoryService(db, cache, { checks }).list('directory')).rejects.toThrow('the statement failed');
        expect((await createDirectoryService(db, cache, { checks }).list('directory')).length).toBeGreaterThan(0);
      });
    });

    it('sees a renamed or closed business in the next turn, with the same cache', async () => {
      await withDirectory(database, async (db) => {
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
        expect((await turn().search('directory', 'confeitaria estrela')).map((b) => b.id)).not.toContain(bakery!.id);
        // A closed business is still found by id (an order of it names it).
        expect((await turn().get(bakery!.id))?.name).toBe('Confeitaria Estrela');
      });
    });
  });
}
