import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorStatus, isVitrineError, isVitrineErrorCode, toVitrineError, VitrineError, type VitrineErrorCode } from '../../engine/index.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CODES = Object.keys(ERROR_CODES) as VitrineErrorCode[];
/** Where the framework's code lives (tests and the catalogue itself excluded when counting uses). */
const SOURCE_DIRS = ['engine', 'adapters', 'server', 'flows', 'scripts'];
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'coverage', 'dist']);

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) found.push(...filesUnder(full, keep));
    } else if (keep(full)) found.push(full);
  }
  return found;
}

const isSource = (file: string) => /\.(ts|js|mjs)$/.test(file) && !file.endsWith('.test.ts') && file !== path.join(ROOT, 'engine', 'errors.ts');
const sourceText = SOURCE_DIRS.flatMap((dir) => filesUnder(path.join(ROOT, dir), isSource)).map((file) => readFileSync(file, 'utf8')).join('\n');
const docs = readFileSync(path.join(ROOT, 'docs', 'errors.md'), 'utf8');

describe('the error catalogue', () => {
  it('gives every code an HTTP error status and a message', () => {
    expect(CODES.length).toBeGreaterThan(20);
    for (const code of CODES) {
      expect(code, code).toMatch(/^VT_ERR_[A-Z0-9_]*[A-Z0-9]$/);
      const { status, message } = ERROR_CODES[code];
      expect(Number.isInteger(status) && status >= 400 && status <= 599, `${code} status ${status}`).toBe(true);
      expect(message.trim().length, `${code} message`).toBeGreaterThan(5);
      expect(errorStatus(code)).toBe(status);
    }
  });

  it('has no code that nothing raises or answers with', () => {
    const unused = CODES.filter((code) => !new RegExp(`['"]${code}['"]`).test(sourceText));
    expect(unused, 'codes no source file outside engine/errors.ts and the tests uses as a value').toEqual([]);
  });

  it('documents every code in docs/errors.md with its HTTP status, and nothing else', () => {
    const rows = [...docs.matchAll(/^\| `(VT_ERR_[A-Z0-9_]+)` \| (\d{3}) \| [^|]+ \| [^|]+ \|$/gm)];
    const documented = new Map(rows.map((m) => [m[1] ?? '', Number(m[2])]));
    expect(rows.length, 'each code has one row').toBe(documented.size);
    expect([...documented.keys()].sort()).toEqual([...CODES].sort());
    for (const code of CODES) expect(documented.get(code), `${code} status in docs/errors.md`).toBe(errorStatus(code));
  });

  it('documents the web chat close reasons the server uses against the same codes', () => {
    const used = new Set([...sourceText.matchAll(/close\((\d{4}), closeReason\('(VT_ERR_[A-Z0-9_]+)'/g)].map((m) => `${m[1]} ${m[2]}`));
    const listed = new Set([...docs.matchAll(/^\| (\d{4}) \| `(VT_ERR_[A-Z0-9_]+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`));
    expect(used.size).toBeGreaterThanOrEqual(3);
    expect([...listed].sort()).toEqual([...used].sort());
  });

  it('is the only source of VT_ERR_ names anywhere in the project (code, tests, docs, pages)', () => {
    const files = filesUnder(ROOT, (file) => /\.(ts|js|mjs|md|json|ya?ml|html)$/.test(file) && !file.endsWith('package-lock.json'));
    const strays: string[] = [];
    for (const file of files) {
      for (const [name] of readFileSync(file, 'utf8').matchAll(/VT_ERR_[A-Z0-9_]*[A-Z0-9]/g)) {
        if (!isVitrineErrorCode(name)) strays.push(`${path.relative(ROOT, file)}: ${name}`);
      }
    }
    expect(strays).toEqual([]);
  });
});

describe('VitrineError', () => {
  it("takes the catalogue's message when given none, and carries the code's status", () => {
    const err = new VitrineError('VT_ERR_ORDER_UNKNOWN');
    expect(err.message).toBe('The order does not exist');
    expect(err.statusCode).toBe(404);
    expect(new VitrineError('VT_ERR_WEBHOOK_SIGNATURE', 'The Stripe signature does not match').message).toBe('The Stripe signature does not match');
    expect(isVitrineError(err, 'VT_ERR_ORDER_UNKNOWN')).toBe(true);
    expect(isVitrineError(err, 'VT_ERR_CART_EMPTY')).toBe(false);
  });

  it('turns unknown throws into VT_ERR_INTERNAL, keeping the cause', () => {
    const cause = new TypeError('x is undefined');
    const err = toVitrineError(cause, { step: 'checkout' });
    expect(err).toMatchObject({ code: 'VT_ERR_INTERNAL', message: 'x is undefined', context: { step: 'checkout' } });
    expect(err.cause).toBe(cause);
    expect(err.statusCode).toBe(500);
    expect(isVitrineErrorCode('FST_ERR_VALIDATION')).toBe(false);
    expect(isVitrineErrorCode('toString')).toBe(false);
  });
});
