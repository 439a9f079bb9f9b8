/**
 * Builds the package: `npm run build`. TypeScript emits JavaScript, type
 * declarations and source maps into `dist/` (the generated Prisma clients
 * included), then the files the code reads at run time are copied beside it:
 * flow files and locales, the web chat's page, the migrations and the example
 * bots. `--out-dir <dir>` builds somewhere else.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Folders whose files other than TypeScript sources the built code reads at run time. */
const ASSET_DIRS = ['flows', 'adapters/webchat/public', 'prisma/migrations', 'prisma/postgres/migrations', 'bots'];
const DATABASE_FILE = /\.db(-journal|-wal|-shm)?$/;

const flag = process.argv.indexOf('--out-dir');
const outDir = path.resolve(ROOT, flag >= 0 ? (process.argv[flag + 1] ?? 'dist') : 'dist');

rmSync(outDir, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], { cwd: ROOT, stdio: 'inherit' });
for (const dir of ASSET_DIRS) {
  cpSync(path.join(ROOT, dir), path.join(outDir, dir), {
    recursive: true,
    filter: (source) => !source.endsWith('.ts') && !DATABASE_FILE.test(source),
  });
}
console.log(`built ${outDir}`);
