import { describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../engine/db/unique-violation.ts';
import { databases } from '../support/databases.ts';

for (const database of databases) {
  describe.skipIf(database.skip)(`isUniqueViolation on ${database.name}`, () => {
    it('recognises a second row with the same unique key, and nothing else', async () => {
      const { db, cleanup } = await database.open();
      try {
        const row = { provider: 'test', eventId: 'evt_1', type: 'x' };
        await db.webhookEvent.create({ data: row });
        const duplicate = await db.webhookEvent.create({ data: row }).then(() => undefined, (err: unknown) => err);
        expect(duplicate).toBeDefined();
        expect(isUniqueViolation(duplicate)).toBe(true);
        const missing = await db.webhookEvent.update({ where: { id: 'none' }, data: { type: 'y' } }).then(() => undefined, (err: unknown) => err);
        expect(missing).toBeDefined();
        expect(isUniqueViolation(missing)).toBe(false);
      } finally {
        await cleanup();
      }
    });
  });
}

describe('isUniqueViolation', () => {
  it('is false for values that are not database errors', () => {
    for (const value of [undefined, null, 'P2002', new Error('P2002'), { code: 'P2025' }]) expect(isUniqueViolation(value)).toBe(false);
  });
});
