import { describe, expect, it } from 'vitest';
import { modulesLoadedBy } from '../support/module-loads.ts';

const stripeSdk = (url: string): boolean => url.includes('/node_modules/stripe/');
const databaseClient = (url: string): boolean => url.includes('/node_modules/@prisma/') || url.includes('/engine/db/generated') || url.includes('/node_modules/better-sqlite3/') || url.includes('/node_modules/pg/');

describe('the core entry', () => {
  it('loads neither the Stripe SDK nor a database client', () => {
    const loaded = modulesLoadedBy('engine/index.ts');
    expect(loaded.some((url) => url.endsWith('/engine/conversation/engine.ts'))).toBe(true);
    expect(loaded.filter(stripeSdk)).toEqual([]);
    expect(loaded.filter(databaseClient)).toEqual([]);
  });

  it('leaves them to the sub-entries that need them', () => {
    expect(modulesLoadedBy('adapters/payments/stripe/index.ts').some(stripeSdk)).toBe(true);
    expect(modulesLoadedBy('engine/db/index.ts').some(databaseClient)).toBe(true);
  });

  it('keeps the channel kit and the testing entry free of them too', () => {
    for (const entry of ['adapters/kit/index.ts', 'adapters/kit/testing/index.ts']) {
      const loaded = modulesLoadedBy(entry);
      expect(loaded.filter(stripeSdk), entry).toEqual([]);
      expect(loaded.filter(databaseClient), entry).toEqual([]);
    }
  });
});
