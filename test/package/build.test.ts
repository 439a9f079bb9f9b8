import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFiles, PACKAGE_ENTRIES } from '../../scripts/package-entries.ts';
import { modulesLoadedBy } from '../support/module-loads.ts';
import { REPO_ROOT, startServer, tempDir } from '../support/server-process.ts';

/** Inside the repository, so the built code finds node_modules as an installed package would. */
const OUT = `test-artifacts/build-${process.pid}`;
const built = (file: string): string => path.join(REPO_ROOT, OUT, file.replace(/^dist\//, ''));

/** The names each built entry exports, imported by plain Node (no TypeScript loader). */
function builtExports(): Record<string, string[]> {
  const files = Object.fromEntries(PACKAGE_ENTRIES.map((entry) => [entry.subpath, built(builtFiles(entry).js)]));
  const script = `const files = ${JSON.stringify(files)}; const out = {};
for (const [subpath, file] of Object.entries(files)) out[subpath] = Object.keys(await import(file)).sort();
process.stdout.write(JSON.stringify(out));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8' }));
}

describe('npm run build', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--out-dir', OUT], { cwd: REPO_ROOT, stdio: 'pipe' });
  }, 120_000);
  afterAll(() => rmSync(path.join(REPO_ROOT, OUT), { recursive: true, force: true }));

  it('maps every package entry to its built JavaScript and declarations', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const expected = Object.fromEntries(PACKAGE_ENTRIES.map((entry) => {
      const { js, types } = builtFiles(entry);
      return [entry.subpath, { types: `./${types}`, default: `./${js}` }];
    }));
    expect(pkg.exports).toEqual(expected);
  });

  it('emits JavaScript and declarations for every entry', () => {
    for (const entry of PACKAGE_ENTRIES) {
      const { js, types } = builtFiles(entry);
      expect(existsSync(built(js)), js).toBe(true);
      expect(existsSync(built(types)), types).toBe(true);
    }
  });

  it('runs without TypeScript: each built entry exports what its source does', async () => {
    const fromBuild = builtExports();
    for (const entry of PACKAGE_ENTRIES) {
      const source: Record<string, unknown> = await import(path.join(REPO_ROOT, entry.source));
      expect(fromBuild[entry.subpath], entry.subpath).toEqual(Object.keys(source).sort());
    }
    expect(fromBuild['.']).toContain('createEngine');
  });

  it('keeps the built core free of the Stripe SDK and the database client', () => {
    const loaded = modulesLoadedBy(path.join(OUT, 'engine/index.js'));
    expect(loaded.some((url) => url.endsWith('/engine/conversation/engine.js'))).toBe(true);
    expect(loaded.filter((url) => /\/node_modules\/(stripe|@prisma)\/|\/engine\/db\/generated/.test(url))).toEqual([]);
  });

  it('builds again only when its stamp is older than the sources (as before npm start)', () => {
    const stamp = built('.build-stamp');
    const buildIfStale = (): string => execFileSync(process.execPath, ['scripts/build.mjs', '--out-dir', OUT, '--if-stale'], { cwd: REPO_ROOT, encoding: 'utf8' });
    const first = statSync(stamp).mtimeMs;
    expect(buildIfStale()).toContain('is up to date');
    expect(statSync(stamp).mtimeMs).toBe(first);
    utimesSync(stamp, new Date(0), new Date(0));
    expect(buildIfStale()).toContain('built');
    expect(statSync(stamp).mtimeMs).toBeGreaterThan(first - 1);
    expect(existsSync(built('engine/index.js'))).toBe(true);
  }, 120_000);

  it('serves from the built JavaScript with plain Node, as npm start does: no TypeScript loader', async () => {
    const db = tempDir('built-start');
    const server = await startServer({ databaseUrl: db.databaseUrl, builtMain: built('server/main.js') });
    try {
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      const page = await fetch(`${server.url}/`);
      expect(await page.text()).toContain('data-bot="directory"');
      expect(server.output()).not.toMatch(/error/i);
    } finally {
      await server.kill('SIGTERM');
      db.remove();
    }
  }, 120_000);

  it('runs npm start and installs without tsx: it is a development tool only', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
    // exec: the shell npm runs the script in becomes the server, so the SIGTERM npm forwards reaches it.
    expect(pkg.scripts['start']).toBe('exec node dist/server/main.js');
    // npm install and npm ci build dist/ (after generating the database clients); npm start builds it again only if a source changed.
    expect(pkg.scripts['prepare']).toBe('node scripts/build.mjs --if-stale');
    expect(pkg.scripts['prestart']).toBe('node scripts/build.mjs --if-stale');
    for (const script of ['postinstall', 'prepare', 'prestart', 'start', 'build', 'prepack']) expect(pkg.scripts[script] ?? '', script).not.toContain('tsx');
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(Object.keys(pkg.devDependencies)).toContain('tsx');
  });

  it('copies the files the code reads at run time', () => {
    for (const file of ['flows/shopping.flow.yaml', 'flows/locales/en.json', 'adapters/webchat/public/index.html', 'prisma/migrations', 'prisma/postgres/migrations', 'bots/corner-bakery/bot.yaml', 'engine/db/generated/client.js']) {
      expect(existsSync(built(file)), file).toBe(true);
    }
  });
});
