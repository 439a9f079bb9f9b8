/**
 * Builds the package: `npm run build`. TypeScript emits JavaScript, type
 * declarations and source maps into `dist/` (the generated Prisma clients
 * included), then the files the code reads at run time are copied beside it:
 * flow files and locales, the web chat's page, the migrations and the example
 * bots. `--out-dir <dir>` builds somewhere else; `--if-stale` builds only when
 * a source, a runtime file or the build settings changed since the last build.
 *
 * Plain JavaScript, so that only Node and the TypeScript compiler are needed:
 * `npm install` and `npm ci` run it with `--if-stale` (`prepare`, after the
 * database clients are generated), and so does `npm start` before it runs
 * `dist/server/main.js`. Where TypeScript is not installed
 * (`npm ci --omit=dev`), `--if-stale` keeps a `dist/` that is there and only
 * fails when there is none.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Folders whose files other than TypeScript sources the built code reads at run time. */
const ASSET_DIRS = ['flows', 'adapters/webchat/public', 'server/dashboard/public', 'prisma/migrations', 'prisma/postgres/migrations', 'bots'];
/** Everything a build is made from. */
const INPUTS = ['engine', 'adapters', 'flows', 'server', 'prisma', 'bots', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const DATABASE_FILE = /\.db(-journal|-wal|-shm)?$/;
/** Written last, so an interrupted build counts as stale. */
const STAMP = '.build-stamp';
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function newestInput() {
  let newest = 0;
  for (const input of INPUTS) {
    const full = path.join(ROOT, input);
    if (!existsSync(full)) continue;
    const files = statSync(full).isDirectory() ? readdirSync(full, { recursive: true, encoding: 'utf8' }).map((file) => path.join(full, file)) : [full];
    for (const file of files) {
      if (!DATABASE_FILE.test(file)) newest = Math.max(newest, statSync(file).mtimeMs);
    }
  }
  return newest;
}

/** @param {string} outDir */
function isStale(outDir) {
  const stamp = path.join(outDir, STAMP);
  return !existsSync(stamp) || statSync(stamp).mtimeMs < newestInput();
}

/** @param {string} outDir */
function build(outDir) {
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(process.execPath, [TSC, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], { cwd: ROOT, stdio: 'inherit' });
  for (const dir of ASSET_DIRS) {
    cpSync(path.join(ROOT, dir), path.join(outDir, dir), {
      recursive: true,
      filter: (source) => !source.endsWith('.ts') && !DATABASE_FILE.test(source),
    });
  }
  writeFileSync(path.join(outDir, STAMP), `${new Date().toISOString()}\n`);
}

const flag = process.argv.indexOf('--out-dir');
const outDir = path.resolve(ROOT, flag >= 0 ? (process.argv[flag + 1] ?? 'dist') : 'dist');
const ifStale = process.argv.includes('--if-stale');
if (ifStale && !isStale(outDir)) {
  console.log(`${outDir} is up to date`);
} else if (ifStale && !existsSync(TSC) && existsSync(path.join(outDir, STAMP))) {
  console.log(`${outDir} is older than the sources, but TypeScript is not installed (a production install): running it as built`);
} else if (!existsSync(TSC)) {
  console.error(`Cannot build ${outDir}: TypeScript is not installed. Run \`npm install\` (with dev dependencies), or install a package built with \`npm pack\`.`);
  process.exitCode = 1;
} else {
  build(outDir);
  console.log(`built ${outDir}`);
}
