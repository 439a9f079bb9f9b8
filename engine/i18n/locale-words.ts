import type { TextTree } from './create-i18n.ts';

/**
 * What each locale file says about its language besides texts, under the
 * reserved key `words` (each a `|`-separated list):
 * - `polite`: words a customer may add after a command ("help please").
 * - `stop`: words a search ignores ("bakery *in* london").
 * - `units`: words that may follow a quantity ("2 pcs", "3 pz").
 * - `aliases`: other language codes that mean this locale (`in` for `id`).
 */
export const WORD_KINDS = ['polite', 'stop', 'units', 'aliases'] as const;

/** One of {@link WORD_KINDS}. */
export type WordKind = (typeof WORD_KINDS)[number];

/** The reserved key of a locale file that holds its {@link LocaleWords}. */
export const WORDS_KEY = 'words';

/** Words of one or several locales, by kind, lower-cased. */
export type LocaleWords = Readonly<Record<WordKind, readonly string[]>>;

/**
 * The words of a locale file (empty lists where it has none).
 *
 * @example
 * ```ts
 * wordsOfTexts({ words: { polite: 'please|pls' } }).polite; // ['please', 'pls']
 * ```
 */
export function wordsOfTexts(texts: TextTree | undefined): LocaleWords {
  const node = texts?.[WORDS_KEY];
  const list = (kind: WordKind): string[] => {
    const value = typeof node === 'object' ? node[kind] : undefined;
    return typeof value === 'string' ? value.split('|').map((w) => w.trim().toLowerCase()).filter(Boolean) : [];
  };
  return { polite: list('polite'), stop: list('stop'), units: list('units'), aliases: list('aliases') };
}

/**
 * The words of several locales together, each once, in order.
 *
 * @example
 * ```ts
 * mergeWords([en, es]).stop; // ['in', 'the', …, 'el', 'la', …]
 * ```
 */
export function mergeWords(all: readonly LocaleWords[]): LocaleWords {
  const union = (kind: WordKind): string[] => [...new Set(all.flatMap((w) => w[kind]))];
  return { polite: union('polite'), stop: union('stop'), units: union('units'), aliases: union('aliases') };
}
