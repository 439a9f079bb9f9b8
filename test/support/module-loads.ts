import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './server-process.ts';

/** A module hook that appends every resolved URL to the file named by `VITRINE_LOAD_LOG`. */
const RECORDER = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.VITRINE_LOAD_LOG, resolved.url + '\\n');
  return resolved;
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(RECORDER)}`)});`;

/**
 * Imports a file in a fresh Node process (through tsx for TypeScript) and
 * returns the URL of every module that import resolved, in order.
 *
 * @example
 * ```ts
 * const urls = modulesLoadedBy('engine/index.ts');
 * expect(urls.filter((url) => url.includes('/node_modules/stripe/'))).toEqual([]);
 * ```
 */
export function modulesLoadedBy(file: string): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-loads-'));
  const log = path.join(dir, 'loads.txt');
  try {
    const target = pathToFileURL(path.resolve(REPO_ROOT, file)).href;
    execFileSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, '--import', 'tsx', '--input-type=module', '-e', `await import(${JSON.stringify(target)});`], {
      cwd: REPO_ROOT, env: { ...process.env, VITRINE_LOAD_LOG: log }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
