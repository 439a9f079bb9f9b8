import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sqlitePath } from '../../engine/db/database-url.ts';
import { sqliteConnection } from '../../engine/db/sqlite-connection.ts';
import { databases } from '../support/databases.ts';

const sqlite = databases.find((d) => d.name === 'sqlite');
if (!sqlite) throw new Error('the SQLite test database is missing');

const admitRow = (messageId: string) => [
  'INSERT INTO "InboundEvent" ("botId", "channel", "messageId", "conversationKey", "payload", "createdAt") VALUES (?, ?, ?, ?, ?, ?)',
  ['shop', 'test', messageId, `shop|test|${messageId}`, '{}', new Date().toISOString()],
] as const;

describe('the native SQLite connection under Prisma', () => {
  it('commits without syncing each commit on the event loop (synchronous = NORMAL): durable writes sync the log themselves', async () => {
    const { db, cleanup } = await sqlite.open();
    try {
      const native = sqliteConnection(db);
      if (!native) throw new Error('no native connection on a SQLite client');
      // FULL (2) would block the event loop for a disk sync at every commit.
      expect(Number(native.client.pragma('synchronous', { simple: true }))).toBe(1);
      expect(native.client.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      await cleanup();
    }
  });

  it('runs a native write after the Prisma transaction open at that moment, which does not take it along when it rolls back', async () => {
    const { db, url, cleanup } = await sqlite.open();
    try {
      const native = sqliteConnection(db);
      if (!native) throw new Error('no native connection on a SQLite client');
      const [sql, args] = admitRow('native-1');
      const insert = native.prepare(sql);
      const order: string[] = [];
      let written: Promise<unknown> | undefined;
      await expect(db.$transaction(async (tx) => {
        await tx.customer.create({ data: { channel: 'test', externalId: 'rolled-back' } });
        written = native.write(() => insert.run(...args)).then(() => order.push('native write done'));
        await new Promise((resolve) => setTimeout(resolve, 50));
        order.push('prisma transaction still open');
        throw new Error('roll back');
      })).rejects.toThrow('roll back');
      await written;
      expect(order).toEqual(['prisma transaction still open', 'native write done']);
      const other = new Database(sqlitePath(url), { readonly: true });
      try {
        expect(other.prepare('SELECT "messageId" FROM "InboundEvent"').all()).toEqual([{ messageId: 'native-1' }]);
        expect(other.prepare('SELECT COUNT(*) AS n FROM "Customer"').get()).toEqual({ n: 0 });
      } finally {
        other.close();
      }
    } finally {
      await cleanup();
    }
  });

  it('commits every durable write of a burst once, readable from another connection when it resolves', async () => {
    const { db, url, cleanup } = await sqlite.open();
    try {
      const native = sqliteConnection(db);
      if (!native) throw new Error('no native connection on a SQLite client');
      const [sql] = admitRow('');
      const insert = native.prepare(sql);
      const ids = await Promise.all(Array.from({ length: 50 }, (_, i) =>
        native.write(() => Number(insert.run('shop', 'test', `m${i}`, `shop|test|m${i}`, '{}', new Date().toISOString()).lastInsertRowid), { durable: true })));
      expect(new Set(ids).size).toBe(50);
      const other = new Database(sqlitePath(url), { readonly: true });
      try {
        expect(other.prepare('SELECT COUNT(*) AS n FROM "InboundEvent"').get()).toEqual({ n: 50 });
      } finally {
        other.close();
      }
    } finally {
      await cleanup();
    }
  });
});
