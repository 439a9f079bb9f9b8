import { defineConfig } from 'vitest/config';

// In CI the JSON report gives .ci/run the totals it prints.
const ci = Boolean(process.env['CI']);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'engine/**/*.test.ts', 'adapters/**/*.test.ts', 'flows/**/*.test.ts', 'server/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ci ? ['default', 'json'] : ['default'],
    ...(ci ? { outputFile: { json: '.vitest-report.json' } } : {}),
  },
});
