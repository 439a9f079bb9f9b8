import { SymSpell } from 'mnemonist';
import { foldForSearch } from './folded-search.ts';
import { INDEXED_WORD_LENGTH } from './search-text.ts';

/** How many edits a misspelt word may be from the word meant, by its length: none below 4 letters. */
function allowedEdits(word: string): number {
  const length = [...word].length;
  if (length < 4) return 0;
  return length < 6 ? 1 : 2;
}

/** At most this many words replace one misspelt word (the closest, most used first). */
const SUGGESTIONS = 3;

/** The folded words of a text that an index can look up. */
function wordsOf(text: string): string[] {
  return foldForSearch(text).split(/[^\p{L}\p{N}]+/u).filter((w) => [...w].length >= INDEXED_WORD_LENGTH);
}

/**
 * The words a directory's businesses are known by, and the nearest of them to
 * a word that none of them contains: `cofneitaria` → `confeitaria`. A search
 * asks the database again with the words meant, which its index answers at
 * once, instead of looking for every three letters of the misspelt word.
 * Edits are insertions, deletions, substitutions and swaps of two neighbours
 * (Damerau–Levenshtein): one for words of 4–5 letters, two from 6 on.
 *
 * Built once per change of the directory (see `DirectoryIndexCache`); its
 * lookups cost microseconds whatever the number of words.
 *
 * @example
 * ```ts
 * const spelling = new Spelling(['Confeitaria Doce Lar', 'Belo Horizonte']);
 * spelling.correct('cofneitaria'); // ['confeitaria']
 * spelling.correct('xyzzy'); // []
 * ```
 */
export class Spelling {
  private readonly dictionary = new SymSpell({ maxDistance: 2, verbosity: 1 });

  /**
   * @param names what customers type and misspell: the businesses' names,
   *   categories, tags, cities and countries, each as often as it occurs
   *   (a word more used is offered first).
   */
  constructor(names: Iterable<string>) {
    for (const name of names) for (const word of wordsOf(name)) this.dictionary.add(word);
  }

  /**
   * The words of the directory closest to `word` (folded, as `queryWords`
   * gives it) within the edits its length allows, closest and most used
   * first; none when nothing is that close.
   */
  correct(word: string): string[] {
    const edits = allowedEdits(word);
    if (edits === 0) return [];
    return this.dictionary.search(word)
      .filter((match) => match.distance > 0 && match.distance <= edits)
      .sort((a, b) => a.distance - b.distance || b.count - a.count)
      .slice(0, SUGGESTIONS)
      .map((match) => match.term);
  }
}
