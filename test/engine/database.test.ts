import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBot, migrateSqlite, openDatabase, seedBot } from '../../engine/index.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = path.resolve(import.meta.dirname, '..', '..');

describe('the database', () => {
  it('is created and migrated on first open, with every table really there', async () => {
    const file = path.join(dir, 'fresh.db');
    const applied: string[] = [];
    const db = await openDatabase({ url: `file:${file}`, onMigration: (m) => applied.push(m.name) });
    await db.$disconnect();
    expect(applied.length).toBeGreaterThan(0);
    const sqlite = new Database(file, { readonly: true });
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    sqlite.close();
    for (const table of ['Business', 'Category', 'Product', 'Customer', 'Conversation', 'InboundEvent', 'Cart', 'CartItem', 'Order', 'OrderItem', 'Payment']) {
      expect(tables).toContain(table);
    }
    expect(migrateSqlite(file)).toEqual([]);
  });

  it('loads a bot idempotently: twice gives the same rows, a changed file updates only its business', async () => {
    const db = await openDatabase({ url: `file:${path.join(dir, 'seed.db')}` });
    try {
      const bot = await loadBot(path.join(root, 'bots', 'directory'));
      const first = await seedBot(db, bot);
      expect(first.updated.length).toBe(bot.businesses.length);
      const snapshot = async () => ({
        businesses: await db.business.count(), products: await db.product.count(), categories: await db.category.count(),
        prices: (await db.product.findMany({ orderBy: [{ businessId: 'asc' }, { sku: 'asc' }], select: { sku: true, priceMinor: true } })),
      });
      const before = await snapshot();
      const second = await seedBot(db, bot);
      expect(second.updated).toEqual([]);
      expect(second.unchanged.length).toBe(bot.businesses.length);
      expect(await snapshot()).toEqual(before);
      expect(before.products).toBe(bot.businesses.reduce((n, b) => n + b.products.length, 0));

      const bakery = bot.businesses.find((b) => b.slug === 'padaria-sao-jorge')!;
      const changed = { ...bot, businesses: bot.businesses.map((b) => b === bakery ? { ...b, products: b.products.filter((p) => p.sku !== 'PAO-QUEIJO').map((p) => p.sku === 'PAO-FRANCES' ? { ...p, price: '1.10' } : p) } : b) };
      const third = await seedBot(db, changed);
      expect(third.updated).toEqual(['padaria-sao-jorge']);
      const paoQueijo = await db.product.findFirstOrThrow({ where: { sku: 'PAO-QUEIJO' } });
      expect(paoQueijo.active).toBe(false);
      expect((await db.product.findFirstOrThrow({ where: { sku: 'PAO-FRANCES' } })).priceMinor).toBe(110);
      expect(await db.product.count()).toBe(before.products);
    } finally {
      await db.$disconnect();
    }
  });
});
