import type Stripe from 'stripe';

/**
 * The page languages Stripe Checkout offers besides `auto` (stripe SDK 23,
 * `Checkout.SessionCreateParams.Locale`). When Stripe adds one, add it here:
 * Vitrine's locales reach it through {@link checkoutLocale}.
 *
 * @example
 * ```ts
 * STRIPE_CHECKOUT_LOCALES.includes('pt-BR'); // true
 * ```
 */
export const STRIPE_CHECKOUT_LOCALES: readonly Stripe.Checkout.SessionCreateParams.Locale[] = [
  'bg', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'es-419', 'et', 'fi', 'fil', 'fr', 'fr-CA', 'hi-IN', 'hr', 'hu', 'id', 'it',
  'ja', 'ko', 'lt', 'lv', 'ms', 'mt', 'nb', 'nl', 'pl', 'pt', 'pt-BR', 'ro', 'ru', 'sk', 'sl', 'sv', 'th', 'tr', 'vi', 'zh', 'zh-HK', 'zh-TW',
];

const byLowerCase = new Map(STRIPE_CHECKOUT_LOCALES.map((l) => [l.toLowerCase(), l]));
const supported = (tag: string): Stripe.Checkout.SessionCreateParams.Locale | undefined => byLowerCase.get(tag.toLowerCase());

/** The language and region of a BCP 47 tag, or `undefined` when it is not one. */
function parseTag(locale: string): { language: string; region?: string } | undefined {
  try {
    const parsed = new Intl.Locale(locale);
    return { language: parsed.language, ...(parsed.region ? { region: parsed.region } : {}) };
  } catch {
    return undefined;
  }
}

/** The region a language is mostly spoken in (`es` → `ES`), from the runtime's locale data. */
const homeRegion = (language: string): string | undefined => new Intl.Locale(language).maximize().region;

/**
 * The Checkout page language for a conversation locale, derived from the tag
 * against {@link STRIPE_CHECKOUT_LOCALES}, so a locale added to Vitrine later
 * needs no change here. In order: the tag itself (`pt-BR`, `fr-CA`); its
 * language and region (`zh-Hant-HK` → `zh-HK`); the language's regional
 * variant for a region other than its home (`es-MX` → `es-419`); the
 * language (`es-ES` → `es`, `id-ID` → `id`); the language's only variant
 * (`hi` → `hi-IN`); else `auto` (the browser's language).
 *
 * @example
 * ```ts
 * checkoutLocale('es-MX'); // 'es-419'
 * checkoutLocale('fr');    // 'fr'
 * checkoutLocale('xx');    // 'auto'
 * ```
 */
export function checkoutLocale(locale: string): Stripe.Checkout.SessionCreateParams.Locale {
  const tag = parseTag(locale);
  if (!tag) return 'auto';
  const { language, region } = tag;
  const exact = supported(locale) ?? (region ? supported(`${language}-${region}`) : undefined);
  if (exact) return exact;
  const regional = region && region !== homeRegion(language) ? supported(`${language}-419`) : undefined;
  if (regional) return regional;
  const variants = STRIPE_CHECKOUT_LOCALES.filter((l) => l.toLowerCase().startsWith(`${language}-`));
  return supported(language) ?? (variants.length === 1 ? variants[0] : undefined) ?? 'auto';
}
