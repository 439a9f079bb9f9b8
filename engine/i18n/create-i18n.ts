import i18next, { type i18n as I18nInstance, type TFunction } from 'i18next';

/** The locales Vitrine ships texts for. `es-MX` and `es-CO` override `es`. */
export const SUPPORTED_LOCALES = ['en', 'pt-BR', 'es', 'es-MX', 'es-CO', 'id'] as const;

/** One of {@link SUPPORTED_LOCALES}. */
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

/** Texts for one locale: nested keys to strings. */
export type TextTree = { [key: string]: string | TextTree };

/** Default texts per locale plus per-bot overrides. */
export interface I18nResources {
  /** Texts shipped with the flows, by locale. */
  defaults: Partial<Record<string, TextTree>>;
  /** Per bot id, texts that override the defaults, by locale. */
  bots?: Record<string, Partial<Record<string, TextTree>>>;
}

/** The translation service steps use. */
export interface I18n {
  /** A translate function for a bot and a customer locale (bot texts first, then defaults). */
  t(botId: string, locale: string): TFunction;
  /** Whether `key` has a text for `locale` (exactly, or through its base language, e.g. es-MX → es). */
  has(key: string, locale: string, botId?: string): boolean;
  /** Replaces a bot's overriding texts (on reload). */
  setBotTexts(botId: string, texts: Partial<Record<string, TextTree>>): void;
  /** The underlying i18next instance. */
  readonly instance: I18nInstance;
}

const DEFAULT_NS = 'vitrine';
const botNs = (botId: string): string => `bot.${botId}`;

/**
 * Maps any locale tag to the closest one Vitrine has texts for, keeping the
 * region when it has its own texts (es-MX), else the language (id-ID → id,
 * en-GB → en, pt-PT → pt-BR).
 *
 * @example
 * ```ts
 * textLocale('id-ID'); // 'id'
 * textLocale('es-CO'); // 'es-CO'
 * ```
 */
export function textLocale(locale: string): SupportedLocale {
  const exact = SUPPORTED_LOCALES.find((l) => l.toLowerCase() === locale.toLowerCase());
  if (exact) return exact;
  const lang = locale.split(/[-_]/)[0]?.toLowerCase() ?? 'en';
  if (lang === 'pt') return 'pt-BR';
  if (lang === 'in') return 'id';
  return SUPPORTED_LOCALES.find((l) => l === lang) ?? 'en';
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
  await instance.init({
    resources: bundles,
    lng: 'en',
    fallbackLng: { 'es-MX': ['es', 'en'], 'es-CO': ['es', 'en'], default: ['en'] },
    ns: [DEFAULT_NS],
    defaultNS: DEFAULT_NS,
    fallbackNS: DEFAULT_NS,
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  const fixed = new Map<string, TFunction>();
  return {
    instance,
    t(botId, locale) {
      const lng = textLocale(locale);
      const key = `${botId}|${lng}`;
      let t = fixed.get(key);
      if (!t) {
        t = instance.getFixedT(lng, [botNs(botId), DEFAULT_NS]);
        fixed.set(key, t);
      }
      return t;
    },
    has(key, locale, botId) {
      const language = (locale.split(/[-_]/)[0] ?? locale).toLowerCase();
      const shipped = SUPPORTED_LOCALES.some((l) => l.split('-')[0] === language) || (language === 'in');
      // A locale Vitrine ships no texts for counts only with the bot's own texts in it.
      const lng = shipped ? textLocale(locale) : locale;
      const chain = lng.includes('-') && lng !== 'pt-BR' ? [lng, lng.split('-')[0] ?? lng] : [lng];
      // Plural keys exist as key_one / key_other.
      const variants = [key, `${key}_other`];
      return chain.some((l) => variants.some(
        (k) => (shipped && instance.exists(k, { lng: l, ns: DEFAULT_NS, fallbackLng: false })) ||
          (botId !== undefined && instance.exists(k, { lng: l, ns: botNs(botId), fallbackLng: false })),
      ));
    },
    setBotTexts(botId, texts) {
      for (const [lng, tree] of Object.entries(texts)) {
        if (tree) instance.addResourceBundle(lng, botNs(botId), tree, true, true);
      }
      fixed.clear();
    },
  };
}
