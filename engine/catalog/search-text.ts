import { foldForSearch } from './folded-search.ts';

/**
 * What one search looks at of a query: its first characters and words. A long
 * message must not cost more than a short one.
 */
export const SEARCH_BOUNDS = { chars: 120, words: 6 } as const;

/** The shortest word the database indexes can look up (trigrams: three characters). */
export const INDEXED_WORD_LENGTH = 3;

/**
 * The words of a query a search uses: folded, split on anything that is not a
 * letter or a digit, without `stopWords` and one-letter words, each once, at
 * most {@link SEARCH_BOUNDS}.
 *
 * @example
 * ```ts
 * queryWords('Padaria in São Paulo!', new Set(['in'])); // ['padaria', 'sao', 'paulo']
 * ```
 */
export function queryWords(query: string, stopWords: ReadonlySet<string> = new Set()): string[] {
  const words = foldForSearch(query.slice(0, SEARCH_BOUNDS.chars)).split(/[^\p{L}\p{N}]+/u);
  const kept = words.filter((w) => w.length > 1 && !stopWords.has(w));
  return [...new Set(kept)].slice(0, SEARCH_BOUNDS.words);
}

/**
 * The trigrams of a word, each once, in order.
 *
 * @example
 * ```ts
 * trigrams('padria'); // ['pad', 'adr', 'dri', 'ria']
 * ```
 */
export function trigrams(word: string): string[] {
  const chars = [...word];
  const grams = new Set<string>();
  for (let i = 0; i + INDEXED_WORD_LENGTH <= chars.length; i++) grams.add(chars.slice(i, i + INDEXED_WORD_LENGTH).join(''));
  return [...grams];
}

/** Each stop word list's folded set: the list is the locales' one, and a turn's services ask for it every turn. */
const stopWordSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The folded stop words of a locale list (`words.stop`), for {@link queryWords}; folded once per list. */
export function stopWordSet(words: readonly string[] = []): ReadonlySet<string> {
  let set = stopWordSets.get(words);
  if (!set) {
    set = new Set(words.map(foldForSearch));
    stopWordSets.set(words, set);
  }
  return set;
}
