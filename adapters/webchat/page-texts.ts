import { businessLinkMessage, type I18n } from '../../engine/index.ts';

/** The labels of the web chat page itself (what the bot says comes over the socket). */
export const PAGE_LABELS = ['placeholder', 'send', 'greeting', 'offline', 'language', 'slowDown', 'failed', 'closed', 'total', 'copy', 'copied'] as const;

/** One language the page offers: its tag, its name in itself, and the page's labels in it. */
export interface PageLanguage {
  locale: string;
  name: string;
  /** The page's labels; on a business's link page, `open` is the first message that opens it. */
  labels: Record<(typeof PAGE_LABELS)[number], string> & { open?: string };
}

/**
 * The languages the web chat page offers for a bot: the bot's locales, in
 * the bot's order, each named in itself (`Intl.DisplayNames`, the names CLDR
 * gives) with the page's labels from the locale files (keys `webchatPage.*`,
 * falling back like every other text). A locale added as files appears here
 * with no code. A business's link page (`business` given) also carries, in
 * each language, the first message that opens the business (`links.firstMessage`
 * and its `#<slug>` mark).
 *
 * @example
 * ```ts
 * const languages = pageLanguages(i18n, 'directory', ['pt-BR', 'en']);
 * languages[0]; // { locale: 'pt-BR', name: 'Português (Brasil)', labels: { send: 'Enviar', … } }
 * ```
 */
export function pageLanguages(i18n: I18n, botId: string, locales: readonly string[], business?: { slug: string; name: string }): PageLanguage[] {
  return locales.map((locale) => {
    const t = i18n.t(botId, locale);
    const labels = Object.fromEntries(PAGE_LABELS.map((key) => [key, t(`webchatPage.${key}`)])) as PageLanguage['labels'];
    if (business) labels.open = businessLinkMessage(t('links.firstMessage', { name: business.name }), business.slug);
    return { locale, name: languageName(locale), labels };
  });
}

/** A language's name in itself, capitalised as a menu item: `pt-BR` → "Português (Brasil)". */
export function languageName(locale: string): string {
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([locale], { type: 'language' }).of(locale);
  } catch {
    name = undefined;
  }
  if (!name) return locale;
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}
