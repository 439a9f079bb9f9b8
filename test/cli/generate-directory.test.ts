import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench -- --generate', () => {
  it('writes a directory as a bot folder that npm run setup loads from BOTS_DIR', async () => {
    const generated = await run(tsx, ['bench/run.ts', '--generate', '--businesses', '30', '--products-each', '4', '--out', dir], { cwd: root });
    expect(generated.stdout).toContain(`wrote 30 businesses`);
    expect(generated.stdout).toContain(`BOTS_DIR=${dir} npm run setup`);
    expect(generated.stderr).toMatch(/generating\s+\[[^\]]+\] 30\/30 businesses/);
    expect(readdirSync(path.join(dir, 'national', 'businesses'))).toHaveLength(30);

    const env = { ...process.env, BOTS_DIR: dir, DATABASE_URL: `file:${path.join(dir, 'setup.db')}` };
    const setup = await run(tsx, ['scripts/setup.ts'], { cwd: root, env });
    expect(setup.stdout).toContain('bot national: 30 businesses loaded');
    expect(setup.stdout).toContain('ready: 1 bots');
  }, 60_000);

  it('refuses a count that is not a whole number, with its usage', async () => {
    const refused = await run(tsx, ['bench/run.ts', '--generate', '--businesses', 'many', '--out', dir], { cwd: root }).catch((err: { code: number; stderr: string }) => err);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('--businesses expects a whole number of at least 1, got "many"');
    expect((refused as { stderr: string }).stderr).toContain('Usage: npm run bench -- --generate');
  }, 30_000);
});
