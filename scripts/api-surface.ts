import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { entryName, PACKAGE_ENTRIES, type PackageEntry } from './package-entries.ts';

/** What an exported name is: a type only, or a value of some kind. */
export type ExportKind = 'type' | 'class' | 'function' | 'const';

/** One exported name of an entry. */
export interface ExportedName {
  name: string;
  kind: ExportKind;
}

const ROOT = path.resolve(import.meta.dirname, '..');
const RE_EXPORT = /export\s+(type\s+)?\{([^}]*)\}\s*from\s*'[^']+'/g;
const DECLARATION = /^export\s+(?:declare\s+)?(?:async\s+)?(type|interface|const|let|function|class|enum)\s+([A-Za-z_$][\w$]*)/gm;

/**
 * The names an entry file declares it exports, and whether each is a type only.
 * Entries list their names: `export *` is refused.
 *
 * @example
 * ```ts
 * declaredExports("export { a, type B } from './a.ts';"); // Map { 'a' => false, 'B' => true }
 * ```
 */
export function declaredExports(source: string): Map<string, boolean> {
  if (/export\s+\*/.test(source)) throw new Error('An entry lists the names it exports: `export *` hides what the package exposes.');
  const names = new Map<string, boolean>();
  for (const [, typeOnly, list = ''] of source.matchAll(RE_EXPORT)) {
    for (const raw of list.split(',').map((part) => part.trim()).filter(Boolean)) {
      const isType = Boolean(typeOnly) || raw.startsWith('type ');
      const name = raw.replace(/^type\s+/, '').split(/\s+as\s+/).pop() ?? raw;
      names.set(name.trim(), isType);
    }
  }
  for (const [, keyword = '', name = ''] of source.matchAll(DECLARATION)) names.set(name, keyword === 'type' || keyword === 'interface');
  return names;
}

function kindOf(value: unknown): ExportKind {
  if (typeof value !== 'function') return 'const';
  return Function.prototype.toString.call(value).startsWith('class') ? 'class' : 'function';
}

/**
 * Every name one entry exports, sorted. Value names are read from the loaded
 * module and must match the ones the file declares, so a name cannot slip
 * through either way.
 *
 * @example
 * ```ts
 * const names = await entryExports(PACKAGE_ENTRIES[0]);
 * ```
 */
export async function entryExports(entry: PackageEntry): Promise<ExportedName[]> {
  const file = path.join(ROOT, entry.source);
  const declared = declaredExports(readFileSync(file, 'utf8'));
  const loaded: Record<string, unknown> = await import(pathToFileURL(file).href);
  const values = [...declared].filter(([, isType]) => !isType).map(([name]) => name).sort();
  const runtime = Object.keys(loaded).sort();
  if (values.join() !== runtime.join()) {
    throw new Error(`${entry.source}: the values it declares (${values.join(', ')}) differ from the ones it exports (${runtime.join(', ')})`);
  }
  const names = [...declared].map(([name, isType]): ExportedName => ({ name, kind: isType ? 'type' : kindOf(loaded[name]) }));
  return names.sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

/**
 * The API report: every entry of the package with every name it exports.
 * `npm run api-report` writes it to `docs/api-report.md`.
 *
 * @example
 * ```ts
 * writeFileSync('docs/api-report.md', await apiReport());
 * ```
 */
export async function apiReport(): Promise<string> {
  const lines = [
    '# API report',
    '',
    'Every name each entry of the `vitrine` package exports. Written by `npm run api-report`;',
    'a test fails when an entry exports anything else, so a change to the public API is a',
    'deliberate change to this file.',
  ];
  for (const entry of PACKAGE_ENTRIES) {
    lines.push('', `## ${entryName(entry)}`, '', `Source: \`${entry.source}\``, '', '```');
    for (const { name, kind } of await entryExports(entry)) lines.push(`${kind.padEnd(8)} ${name}`);
    lines.push('```');
  }
  return `${lines.join('\n')}\n`;
}
