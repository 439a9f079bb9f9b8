/**
 * Locale tags, without knowing any language: which locale with texts serves
 * a tag, and which locales its missing texts fall back to. Which locales
 * exist, and which other codes name them, comes from the locale files.
 */

/** The locale whose texts are complete: every other one falls back to it. */
export const FALLBACK_LOCALE = 'en';

/**
 * The language of a tag, lower-cased (`pt-BR` → `pt`, `es_MX` → `es`).
 *
 * @example
 * ```ts
 * languageOf('es-MX'); // 'es'
 * ```
 */
export function languageOf(tag: string): string {
  return (tag.split(/[-_]/)[0] ?? tag).toLowerCase();
}

/**
 * Locales in the order their words are read: languages before their regional
 * variants (`es` before `es-MX`), then alphabetically, so a word shared by a
 * language and its variant belongs to the language.
 *
 * @example
 * ```ts
 * orderLocales(['pt-BR', 'es-MX', 'en', 'es']); // ['en', 'es', 'es-MX', 'pt-BR']
 * ```
 */
export function orderLocales(locales: Iterable<string>): string[] {
  const regional = (tag: string): number => (/[-_]/.test(tag) ? 1 : 0);
  return [...locales].sort((a, b) => regional(a) - regional(b) || a.localeCompare(b));
}

/**
 * The locale with texts that serves a tag: the same tag (any case), else its
 * language, else another locale of its language (`pt-PT` → `pt-BR`), else
 * {@link FALLBACK_LOCALE}. `aliases` maps other language codes to a locale
 * (`in` → `id`, from the locale file's `words.aliases`).
 *
 * @example
 * ```ts
 * matchLocale('es-AR', ['en', 'es', 'es-MX']);                   // 'es'
 * matchLocale('in-ID', ['en', 'id'], new Map([['in', 'id']]));   // 'id'
 * ```
 */
export function matchLocale(tag: string, locales: readonly string[], aliases: ReadonlyMap<string, string> = new Map()): string {
  const exact = locales.find((l) => l.toLowerCase() === tag.toLowerCase());
  if (exact) return exact;
  const spoken = languageOf(tag);
  const language = aliases.get(spoken) ?? spoken;
  return locales.find((l) => l.toLowerCase() === language.toLowerCase())
    ?? orderLocales(locales).find((l) => languageOf(l) === languageOf(language))
    ?? FALLBACK_LOCALE;
}

/**
 * Where a locale's missing texts come from, in order: its language's texts
 * when it is a regional variant that has them, then {@link FALLBACK_LOCALE}.
 *
 * @example
 * ```ts
 * fallbackChain('es-MX', ['en', 'es', 'es-MX']); // ['es', 'en']
 * fallbackChain('pt-BR', ['en', 'pt-BR']);       // ['en']
 * ```
 */
export function fallbackChain(locale: string, locales: readonly string[]): string[] {
  const language = locales.find((l) => l.toLowerCase() === languageOf(locale) && l.toLowerCase() !== locale.toLowerCase());
  return [...(language ? [language] : []), ...(locale === FALLBACK_LOCALE ? [] : [FALLBACK_LOCALE])];
}
