import Fuse, { type IFuseOptions } from 'fuse.js';

/**
 * Text as a search compares it: lower case, accents and other marks removed
 * (`São Paulo` → `sao paulo`, `Güero` → `guero`).
 *
 * @example
 * ```ts
 * foldForSearch('Padaria São Jorge'); // 'padaria sao jorge'
 * ```
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function folded(value: unknown): unknown {
  if (typeof value === 'string') return foldForSearch(value);
  if (Array.isArray(value)) return value.map(folded);
  return value;
}

/**
 * A Fuse index over folded text: each field is folded once, when the index is
 * built, where Fuse's own `ignoreDiacritics` and case-insensitive options
 * fold every field of every record again on every search (most of a small
 * index's search time). Search it with a folded pattern
 * ({@link foldForSearch}).
 *
 * @example
 * ```ts
 * const fuse = foldedFuse(businesses, { keys: ['name', 'city'], threshold: 0.34, ignoreLocation: true, includeScore: true });
 * fuse.search(foldForSearch('Sao Paulo'));
 * ```
 */
export function foldedFuse<T>(items: readonly T[], options: Omit<IFuseOptions<T>, 'getFn' | 'isCaseSensitive' | 'ignoreDiacritics'>): Fuse<T> {
  const read = Fuse.config.getFn;
  return new Fuse(items, {
    ...options,
    isCaseSensitive: true,
    ignoreDiacritics: false,
    getFn: (item, path) => folded(read(item, path)) as ReturnType<typeof read>,
  });
}
