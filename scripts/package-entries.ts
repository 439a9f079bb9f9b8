/**
 * The entries of the `vitrine` package: the subpath a developer imports and
 * the source file behind it. `package.json`'s `exports`, the API report and
 * the build follow this list.
 */

/** One entry of the package. */
export interface PackageEntry {
  /** The subpath in `exports`: `.` for `vitrine`, `./stripe` for `vitrine/stripe`. */
  subpath: string;
  /** The source file, relative to the repository root. */
  source: string;
}

/**
 * Every entry, the core first.
 *
 * @example
 * ```ts
 * const core = PACKAGE_ENTRIES.find((entry) => entry.subpath === '.');
 * ```
 */
export const PACKAGE_ENTRIES: readonly PackageEntry[] = [
  { subpath: '.', source: 'engine/index.ts' },
  { subpath: './db', source: 'engine/db/index.ts' },
  { subpath: './kit', source: 'adapters/kit/index.ts' },
  { subpath: './stripe', source: 'adapters/payments/stripe/index.ts' },
  { subpath: './server', source: 'server/index.ts' },
  { subpath: './testing', source: 'adapters/kit/testing/index.ts' },
];

/**
 * The name a developer imports an entry by.
 *
 * @example
 * ```ts
 * entryName({ subpath: './stripe', source: 'adapters/payments/stripe/index.ts' }); // 'vitrine/stripe'
 * ```
 */
export function entryName(entry: PackageEntry): string {
  return entry.subpath === '.' ? 'vitrine' : `vitrine/${entry.subpath.slice(2)}`;
}

/**
 * Where the build puts an entry's JavaScript and its declarations, relative to the root.
 *
 * @example
 * ```ts
 * builtFiles({ subpath: '.', source: 'engine/index.ts' }); // { js: 'dist/engine/index.js', types: 'dist/engine/index.d.ts' }
 * ```
 */
export function builtFiles(entry: PackageEntry): { js: string; types: string } {
  const base = `dist/${entry.source.replace(/\.ts$/, '')}`;
  return { js: `${base}.js`, types: `${base}.d.ts` };
}
