import i18next, { type i18n as I18nInstance, type TFunction } from 'i18next';
import { fallbackChain, FALLBACK_LOCALE, languageOf, matchLocale, orderLocales } from './locale-tags.ts';
import { mergeWords, wordsOfTexts, type LocaleWords } from './locale-words.ts';

/** Texts for one locale: nested keys to strings. */
export type TextTree = { [key: string]: string | TextTree };

/** Default texts per locale plus per-bot overrides. */
export interface I18nResources {
  /**
   * Texts shipped with the flows, by locale (`flows/locales/<locale>.json`):
   * the locales that exist. Each may hold its language's words under `words`
   * (see {@link LocaleWords}).
   */
  defaults: Partial<Record<string, TextTree>>;
  /** Per bot id, texts that override the defaults, by locale. */
  bots?: Record<string, Partial<Record<string, TextTree>>>;
}

/** The translation service steps use. */
export interface I18n {
  /** The locales with default texts, languages before their regional variants (`en`, `es`, `es-MX` …). */
  readonly locales: readonly string[];
  /**
   * The locale with texts that serves a tag: the tag itself, else its
   * language, else another locale of that language, else `en`
   * (`id-ID` → `id`, `pt-PT` → `pt-BR`, `in` → `id` through `words.aliases`).
   */
  textLocale(tag: string): string;
  /**
   * The words of every locale together (`words.<kind>` of each locale file):
   * customers may mix languages, so matching uses them all.
   */
  words(): LocaleWords;
  /** A translate function for a bot and a customer locale (bot texts first, then defaults). */
  t(botId: string, locale: string): TFunction;
  /** Whether `key` has a text for `locale` (exactly, or through its base language, e.g. es-MX → es). */
  has(key: string, locale: string, botId?: string): boolean;
  /** Replaces a bot's overriding texts (on reload): texts it no longer has fall back to the defaults. */
  setBotTexts(botId: string, texts: Partial<Record<string, TextTree>>): void;
  /** The underlying i18next instance. */
  readonly instance: I18nInstance;
}

const DEFAULT_NS = 'vitrine';

/** How many texts with values one bot+locale `t` remembers; the oldest go first. */
const REMEMBERED_WITH_VALUES = 2000;
/** How many locale tags' matches are remembered; then they are matched afresh. */
const MATCHED_TAGS = 1000;

/**
 * The key under which a lookup's text is remembered: the key alone, or the
 * key with its options when every option is a plain value (a count, a name),
 * since i18next gives the same text for the same key and values. Options
 * holding anything else are not remembered.
 */
function memoKey(args: readonly unknown[]): string | undefined {
  const [key, options] = args;
  if (typeof key !== 'string' || args.length > 2) return undefined;
  if (args.length === 1) return key;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return undefined;
  let memo = key;
  for (const [name, value] of Object.entries(options)) {
    if (typeof value === 'object' || typeof value === 'function' || typeof value === 'symbol') return undefined;
    memo += `\u0000${name}\u0000${typeof value === 'string' ? value : String(value)}\u0000${typeof value}`;
  }
  return memo;
}

/**
 * `t` that remembers the texts it looked up: by key alone, and by key and
 * plain values (a bounded number of those). A turn asks for the same labels
 * and counts again and again, and each i18next lookup walks the namespaces,
 * the fallback chain, the plural rules and the interpolation.
 */
function remembered(t: TFunction): TFunction {
  const texts = new Map<string, string>();
  let withValues = 0;
  const lookup = (...args: unknown[]): unknown => {
    const memo = memoKey(args);
    if (memo === undefined) return (t as unknown as (...a: unknown[]) => unknown)(...args);
    let text = texts.get(memo);
    if (text === undefined) {
      const result: unknown = (t as unknown as (...a: unknown[]) => unknown)(...args);
      if (typeof result !== 'string') return result;
      text = result;
      if (args.length > 1 && ++withValues > REMEMBERED_WITH_VALUES) {
        texts.clear();
        withValues = 1;
      }
      texts.set(memo, text);
    }
    return text;
  };
  return Object.assign(lookup, t) as unknown as TFunction;
}
const botNs = (botId: string): string => `bot.${botId}`;

/**
 * `t` for a bot whose texts override the defaults: each locale of `chain`
 * in turn (the customer's, then its fallbacks), the bot's text before the
 * default one. i18next alone would look through every locale of the bot's
 * texts first, so a bot's English welcome would greet a Spanish customer.
 */
function botTextsFirst(instance: I18nInstance, botId: string, chain: readonly string[]): TFunction {
  const ns = [botNs(botId), DEFAULT_NS];
  const t = instance.getFixedT(chain[0] ?? FALLBACK_LOCALE, ns);
  const call = t as unknown as (...a: unknown[]) => unknown;
  const lookup = (...args: unknown[]): unknown => {
    const [key, options] = args;
    const plainOptions = options === undefined || (typeof options === 'object' && options !== null && !Array.isArray(options));
    if (typeof key === 'string' && args.length <= 2 && plainOptions) {
      const code = chain.find((lng) => instance.exists(key, { ...(options as object | undefined), lngs: [lng], ns }));
      if (code) return call(key, { ...(options as object | undefined), lngs: [code] });
    }
    return call(...args);
  };
  return Object.assign(lookup, t) as unknown as TFunction;
}

/**
 * Creates the one i18next instance of an engine.
 *
 * @example
 * ```ts
 * const i18n = await createI18n({ defaults: { en: { hello: 'Hello {{name}}' } } });
 * i18n.t('shop', 'en')('hello', { name: 'Ana' }); // "Hello Ana"
 * ```
 */
export async function createI18n(resources: I18nResources): Promise<I18n> {
  const instance = i18next.createInstance();
  const bundles: Record<string, Record<string, TextTree>> = {};
  const put = (lng: string, ns: string, tree: TextTree | undefined): void => {
    if (tree) bundles[lng] = { ...bundles[lng], [ns]: tree };
  };
  for (const [lng, tree] of Object.entries(resources.defaults)) put(lng, DEFAULT_NS, tree);
  for (const [botId, byLocale] of Object.entries(resources.bots ?? {})) {
    for (const [lng, tree] of Object.entries(byLocale)) put(lng, botNs(botId), tree);
  }
  const locales = orderLocales(Object.keys(resources.defaults));
  const perLocale = locales.map((l) => ({ locale: l, words: wordsOfTexts(resources.defaults[l]) }));
  const words = mergeWords(perLocale.map((p) => p.words));
  const aliases = new Map(perLocale.flatMap((p) => p.words.aliases.map((alias) => [alias, p.locale] as const)));
  // Each tag's match, remembered (bounded: tags come from channels): every step of every turn asks.
  const matched = new Map<string, string>();
  const textLocale = (tag: string): string => {
    let locale = matched.get(tag);
    if (locale === undefined) {
      if (matched.size >= MATCHED_TAGS) matched.clear();
      locale = matchLocale(tag, locales, aliases);
      matched.set(tag, locale);
    }
    return locale;
  };
  const fallbackLng: Record<string, string[]> = { default: [FALLBACK_LOCALE] };
  for (const l of locales) fallbackLng[l] = fallbackChain(l, locales);
  await instance.init({
    resources: bundles,
    lng: FALLBACK_LOCALE,
    fallbackLng,
    ns: [DEFAULT_NS],
    defaultNS: DEFAULT_NS,
    fallbackNS: DEFAULT_NS,
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  const fixed = new Map<string, TFunction>();
  // The locales each bot has texts of, so new texts replace them.
  const botLocales = new Map<string, string[]>(Object.entries(resources.bots ?? {}).map(([botId, byLocale]) => [botId, Object.keys(byLocale)]));
  return {
    instance,
    locales,
    textLocale,
    words: () => words,
    t(botId, locale) {
      const lng = textLocale(locale);
      const key = `${botId}|${lng}`;
      let t = fixed.get(key);
      if (!t) {
        const chain = [lng, ...(fallbackLng[lng] ?? [])];
        const overridden = chain.some((code) => instance.hasResourceBundle(code, botNs(botId)));
        t = remembered(overridden ? botTextsFirst(instance, botId, chain) : instance.getFixedT(lng, [botNs(botId), DEFAULT_NS]));
        fixed.set(key, t);
      }
      return t;
    },
    has(key, locale, botId) {
      const spoken = languageOf(locale);
      const language = languageOf(aliases.get(spoken) ?? spoken);
      const shipped = locales.some((l) => languageOf(l) === language);
      // A locale with no default texts counts only with the bot's own texts in it.
      const lng = shipped ? textLocale(locale) : locale;
      const chain = languageOf(lng) === lng.toLowerCase() ? [lng] : [lng, languageOf(lng)];
      // Plural keys exist as key_one / key_other.
      const variants = [key, `${key}_other`];
      return chain.some((l) => variants.some(
        (k) => (shipped && instance.exists(k, { lng: l, ns: DEFAULT_NS, fallbackLng: false })) ||
          (botId !== undefined && instance.exists(k, { lng: l, ns: botNs(botId), fallbackLng: false })),
      ));
    },
    setBotTexts(botId, texts) {
      // Replaced, not merged: a text removed from the bot's files falls back to the defaults again.
      for (const lng of botLocales.get(botId) ?? []) instance.removeResourceBundle(lng, botNs(botId));
      const set: string[] = [];
      for (const [lng, tree] of Object.entries(texts)) {
        if (!tree) continue;
        instance.addResourceBundle(lng, botNs(botId), tree, true, true);
        set.push(lng);
      }
      botLocales.set(botId, set);
      fixed.clear();
    },
  };
}
