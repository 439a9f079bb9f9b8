import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBot, seedBot } from '../../engine/index.ts';
import { migratePostgres, migrateSqlite, MIGRATIONS_DIR, openDatabase } from '../../engine/db/index.ts';
import { databaseFlavour } from '../../engine/db/database-flavour.ts';
import { sqlitePath } from '../../engine/db/database-url.ts';
import { SCHEMA_PATH } from '../../scripts/postgres-schema.mjs';
import { diffSqliteMigrations } from '../../scripts/schema-engine.ts';
import { databases, tableColumns, type TestDatabase } from '../support/databases.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Runs the migration runner of a flavour again on an already migrated database. */
async function migrateAgain(database: TestDatabase, url: string): Promise<unknown[]> {
  return database.name === 'sqlite' ? migrateSqlite(sqlitePath(url)) : migratePostgres(url);
}

for (const database of databases) {
  describe.skipIf(database.skip)(`the database on ${database.name}`, () => {
    it('is created and migrated on first open, with every table really there', async () => {
      const fresh = await database.create();
      try {
        const applied: string[] = [];
        const db = await openDatabase({ url: fresh.url, onMigration: (m) => applied.push(m.name) });
        expect(databaseFlavour(db)).toBe(database.name);
        await db.$transaction(async (tx) => expect(databaseFlavour(tx)).toBe(database.name));
        await db.$disconnect();
        expect(applied.length).toBeGreaterThan(0);
        const tables = Object.keys(await tableColumns(fresh.url));
        for (const table of ['Business', 'Category', 'Product', 'Customer', 'Conversation', 'InboundEvent', 'Cart', 'CartItem', 'Order', 'OrderItem', 'Payment']) {
          expect(tables).toContain(table);
        }
        expect(await migrateAgain(database, fresh.url)).toEqual([]);
      } finally {
        await fresh.cleanup();
      }
    });

    it('loads a bot of 1,200 businesses and a shop of 1,200 products, and hides what left the files, past the driver\'s parameter limit', async () => {
      const { db, cleanup } = await database.open();
      try {
        const bot = await loadBot(path.join(root, 'bots', 'directory'));
        const model = bot.businesses.find((b) => b.slug === 'padaria-sao-jorge')!;
        const category = model.products[0]!.category;
        const products = Array.from({ length: 1200 }, (_, i) => ({ ...model.products[0]!, sku: `SKU-${i}`, name: `Produto ${i}`, category }));
        const shops = Array.from({ length: 1200 }, (_, i) => ({ ...model, slug: `loja-${i}`, name: `Loja ${i}`, products: i === 0 ? products : [] }));
        const big = { ...bot, businesses: shops };
        expect((await seedBot(db, big)).updated).toHaveLength(1200);
        expect(await db.product.count({ where: { active: true } })).toBe(1200);

        // The files lose one shop and one product of the big shop: both stop being offered.
        const smaller = { ...big, businesses: shops.slice(0, -1).map((b, i) => (i === 0 ? { ...b, products: products.slice(1) } : b)) };
        const report = await seedBot(db, smaller);
        expect(report.deactivated).toEqual(['loja-1199']);
        expect(report.updated).toEqual(['loja-0']);
        expect(await db.business.count({ where: { botId: bot.runtime.id, active: true } })).toBe(1199);
        expect((await db.product.findMany({ where: { active: false }, select: { sku: true } })).map((p) => p.sku)).toEqual(['SKU-0']);
      } finally {
        await cleanup();
      }
    }, 120_000);

    it('loads a bot idempotently: twice gives the same rows, a changed file updates only its business', async () => {
      const { db, cleanup } = await database.open();
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
        await cleanup();
      }
    });
  });
}

describe('the SQLite migrations', () => {
  it('reach prisma/schema.prisma exactly (otherwise: npm run db:migration -- <name>)', async () => {
    const sql = await diffSqliteMigrations(MIGRATIONS_DIR, await readFile(SCHEMA_PATH, 'utf8'));
    expect(sql, 'prisma/migrations/ lag behind prisma/schema.prisma: run npm run db:migration -- <name>').toBe('');
  });
});

describe('openDatabase', () => {
  it('refuses a URL it cannot use with a VT_ERR_DATABASE error that says what it expected', async () => {
    await expect(openDatabase({ url: 'mysql://app:s3cret@localhost/shop' })).rejects.toMatchObject({
      code: 'VT_ERR_DATABASE',
      message: expect.stringMatching(/Unsupported DATABASE_URL "mysql:\/\/app:\*\*\*@localhost\/shop": expected file:<path> \(SQLite\) or postgresql:\/\//),
    });
    await expect(openDatabase({ url: 'postgresql://app@db.internal' })).rejects.toMatchObject({ code: 'VT_ERR_DATABASE', message: expect.stringContaining('names no host or no database') });
    await expect(openDatabase({ url: 'postgres://app@db.internal:99999/shop' })).rejects.toMatchObject({ code: 'VT_ERR_DATABASE', message: expect.stringContaining('is not a valid URL') });
    await expect(openDatabase({ url: 'postgresql://app@127.0.0.1:5432/shop?connection_limit=zero' })).rejects.toMatchObject({ code: 'VT_ERR_DATABASE', message: expect.stringContaining('connection_limit=zero') });
  });

  it('names the server (never the password) when PostgreSQL cannot be reached', async () => {
    const err = await openDatabase({ url: 'postgresql://app:s3cret@127.0.0.1:1/shop' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VT_ERR_DATABASE', message: expect.stringMatching(/^Could not connect to PostgreSQL at postgresql:\/\/app:\*\*\*@127\.0\.0\.1:1\/shop: .*ECONNREFUSED/) });
    expect(String((err as Error).message)).not.toContain('s3cret');
  });
});
