import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiReport, declaredExports } from '../../scripts/api-surface.ts';
import { REPO_ROOT } from '../support/server-process.ts';

describe('the API report', () => {
  it('lists exactly what the package entries export', async () => {
    const checkedIn = readFileSync(path.join(REPO_ROOT, 'docs/api-report.md'), 'utf8');
    const current = await apiReport();
    expect(current, 'The package entries export something else than docs/api-report.md lists: run `npm run api-report` and review the change.').toBe(checkedIn);
  });

  it('keeps internals out of the core entry', async () => {
    const report = await apiReport();
    const core = report.slice(report.indexOf('## vitrine\n'), report.indexOf('## vitrine/'));
    expect(core).toContain('function createEngine');
    expect(core).toContain('function defineStep');
    for (const internal of ['KeyedQueue', 'parseSource', 'sqlitePath', 'openDatabase', 'WorkLoop', 'createSqliteStore', 'stripePayments']) {
      expect(core).not.toMatch(new RegExp(`\\s${internal}\\n`));
    }
  });

  it('reads type-only and value exports from an entry file', () => {
    const names = declaredExports("export { a, type B, c as d } from './a.ts';\nexport type { E } from './e.ts';\nexport function f() {}\nexport interface G {}");
    expect([...names]).toEqual([['a', false], ['B', true], ['d', false], ['E', true], ['f', false], ['G', true]]);
  });

  it('refuses an entry that re-exports everything of a module', () => {
    expect(() => declaredExports("export * from './a.ts';")).toThrow(/export \*/);
  });
});
