import Fuse, { type FuseOptionKey, type FuseResult } from 'fuse.js';
import { foldedFuse, type foldForSearch } from './folded-search.ts';

/** Fuse scores run from 0 (exact) to 1 (no match); weaker hits than this are noise. */
const MAX_SCORE = 0.8;
/** How much worse than a word's best hit another hit may be and still count for that word. */
const WEAKER_BY = 0.25;

/**
 * Orders the candidates a search backend found by how well they match the
 * query, with Fuse.js over the fields `keys` name. Each word adds its
 * relevance (1 − Fuse score), and the words together once more: a shop
 * matching "bakery" and "london" outranks one matching only "london", and
 * typos still count. A candidate no word matches is left out. With `folded`,
 * the fields the keys name are folded already ({@link foldForSearch}), as a
 * cached index keeps them.
 *
 * @example
 * ```ts
 * const best = rerank(rows, ['padaria', 'sao'], { keys: [{ name: 'name', weight: 3 }], threshold: 0.34 }, 5);
 * ```
 */
export function rerank<T extends { id: string; name: string }>(
  candidates: readonly T[], words: readonly string[],
  options: { keys: FuseOptionKey<T>[]; threshold: number; folded?: boolean }, limit: number,
): T[] {
  if (candidates.length === 0 || words.length === 0) return [];
  // The words come folded (queryWords); the candidates' fields are folded here, unless they were already (`folded`).
  const { folded, ...fuseOptions } = options;
  const settings = { ...fuseOptions, ignoreLocation: true, includeScore: true };
  const fuse = folded ? new Fuse(candidates, { ...settings, isCaseSensitive: true, ignoreDiacritics: false }) : foldedFuse(candidates, settings);
  const hits = new Map<string, { item: T; relevance: number; order: number }>();
  const add = (results: FuseResult<T>[]) => {
    // A word some candidate matches well does not also count where it barely matches.
    const best = Math.min(...results.map((r) => r.score ?? 1));
    for (const result of results) {
      const score = result.score ?? 1;
      if (score > MAX_SCORE || score > best + WEAKER_BY) continue;
      const hit = hits.get(result.item.id) ?? { item: result.item, relevance: 0, order: result.refIndex };
      hit.relevance += 1 - score;
      hits.set(result.item.id, hit);
    }
  };
  for (const word of words) add(fuse.search(word));
  if (words.length > 1) add(fuse.search(words.join(' ')));
  return [...hits.values()]
    .sort((a, b) => b.relevance - a.relevance || a.order - b.order)
    .slice(0, limit)
    .map((h) => h.item);
}
