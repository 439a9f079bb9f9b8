import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { FLOWS_DIR } from '../flows/index.ts';
import { BOTS_DIR } from './runtime.ts';

/** Where the server reads bots, flows and locale texts from. */
export interface ProjectFolders {
  botsDir: string;
  flowsDir: string;
  localesDir: string;
}

const isDir = (dir: string): boolean => existsSync(dir) && statSync(dir).isDirectory();

/**
 * The folders a started server loads and watches: `BOTS_DIR` and `FLOWS_DIR`
 * when set, else the `bots/` and `flows/` of the folder it was started in
 * (the project's own files, which `npm start` and `npm run dev` then both
 * read and watch), else the copies packaged with the server. Locale texts
 * come from the flows folder's `locales/` when it has one.
 *
 * @example
 * ```ts
 * const folders = projectFolders(process.cwd(), process.env);
 * const runtime = await createRuntime({ ...folders });
 * ```
 */
export function projectFolders(cwd: string, env: NodeJS.ProcessEnv): ProjectFolders {
  const own = (name: string) => path.resolve(cwd, name);
  const botsDir = env['BOTS_DIR'] ? own(env['BOTS_DIR']) : isDir(own('bots')) ? own('bots') : BOTS_DIR;
  const hasFlows = (dir: string) => isDir(dir) && readdirSync(dir).some((f) => f.endsWith('.flow.yaml'));
  const flowsDir = env['FLOWS_DIR'] ? own(env['FLOWS_DIR']) : hasFlows(own('flows')) ? own('flows') : FLOWS_DIR;
  const locales = path.join(flowsDir, 'locales');
  return { botsDir, flowsDir, localesDir: isDir(locales) ? locales : path.join(FLOWS_DIR, 'locales') };
}
