import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/server-process.ts';

/** The engine's own source files (the generated database clients are not written by hand). */
function engineSources(dir = path.join(REPO_ROOT, 'engine')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full.includes(`${path.sep}db${path.sep}generated`) ? [] : engineSources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('the engine and payment providers', () => {
  const files = engineSources();

  it('reads the engine\'s sources', () => {
    expect(files.some((f) => f.endsWith(path.join('payments', 'payment-events.ts')))).toBe(true);
  });

  it('names no payment provider: a provider lives in its own folder outside the engine', () => {
    const naming = files.filter((file) => /stripe/i.test(readFileSync(file, 'utf8'))).map((file) => path.relative(REPO_ROOT, file));
    expect(naming).toEqual([]);
  });

  it('imports nothing from adapters or the server', () => {
    const importing = files.filter((file) => /['"](\.\.\/)+(adapters|server)\//.test(readFileSync(file, 'utf8'))).map((file) => path.relative(REPO_ROOT, file));
    expect(importing).toEqual([]);
  });
});
