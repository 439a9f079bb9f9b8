import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/server-process.ts';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-example-'));

/** Runs npm in `cwd`; its output is returned, and shown when it fails. */
function run(args: string[], cwd: string, timeout: number): string {
  try {
    return execFileSync(npm, args, { cwd, encoding: 'utf8', timeout, stdio: 'pipe', env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`);
  }
}

describe('examples/custom-channel, a separate project on the packed package', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs Vitrine from `npm pack`, type-checks its channel descriptor against the public types, passes the conformance suite and mounts it', () => {
    run(['pack', '--pack-destination', dir], REPO_ROOT, 180_000);
    const [tarball] = readdirSync(dir).filter((f) => /^vitrine-.*\.tgz$/.test(f));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
    const app = path.join(dir, 'app');
    cpSync(path.join(REPO_ROOT, 'examples', 'custom-channel'), app, { recursive: true, filter: (src) => !/node_modules|vitrine\.tgz$/.test(src) });
    cpSync(path.join(dir, tarball), path.join(app, 'vitrine.tgz'));
    // Install scripts are not needed: the core, the kit and the testing entry load no native module.
    run(['install', '--prefer-offline', '--ignore-scripts'], app, 300_000);
    const output = stripVTControlCharacters(run(['test', '--', '--reporter=verbose'], app, 120_000));
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
    // The channel is a defineChannel descriptor, mounted as the server mounts the built-in ones.
    expect(output).toMatch(/the SMS channel descriptor > stays off without its variables/);
    expect(output).toMatch(/the SMS channel descriptor > keeps a signed text in the journal/);
  }, 600_000);
});
