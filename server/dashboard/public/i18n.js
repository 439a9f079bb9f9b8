// Texts (i18next, one JSON file per language in locales/), and money and dates with Intl in the chosen language.
import i18next from '/dashboard/vendor/i18next.js';

/** The dashboard's languages. */
export const LANGUAGES = ['en', 'pt-BR', 'es', 'id'];
const SAVED = 'vitrine.dashboard.language';

/** The saved language, else the browser's first that the dashboard speaks (`es-MX` speaks `es`), else English. */
export function preferredLanguage() {
  const saved = localStorage.getItem(SAVED);
  if (LANGUAGES.includes(saved)) return saved;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const exact = LANGUAGES.find((l) => l.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const base = LANGUAGES.find((l) => l.split('-')[0] === tag.split('-')[0].toLowerCase());
    if (base) return base;
  }
  return 'en';
}

/** Loads a language's texts (English too, the fallback) and makes it the page's. */
export async function useLanguage(language) {
  if (!i18next.isInitialized) await i18next.init({ lng: language, fallbackLng: 'en', resources: {}, interpolation: { escapeValue: false } });
  for (const lng of new Set(['en', language])) {
    if (i18next.hasResourceBundle(lng, 'translation')) continue;
    const response = await fetch(`/dashboard/locales/${lng}.json`);
    if (!response.ok) throw new Error(`texts of ${lng}: ${response.status}`);
    i18next.addResourceBundle(lng, 'translation', await response.json());
  }
  await i18next.changeLanguage(language);
  localStorage.setItem(SAVED, language);
  document.documentElement.lang = language;
  translate(document);
}

/** The current language. */
export const language = () => i18next.language ?? 'en';

/** A text by key. */
export const t = (key, options) => i18next.t(key, options);

/** Fills every `data-i18n` element's text (and `data-i18n-placeholder`, `data-i18n-label`) under `root`. */
export function translate(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  document.title = `${t('title')} · Vitrine`;
}

/** Integer minor units as money in the current language (`1250`, `GBP` → `£12.50`). */
export function money(minor, currency) {
  const format = new Intl.NumberFormat(language(), { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits;
  return format.format(minor / 10 ** digits);
}

/** A time as date and time in the current language. */
export const dateTime = (iso) => new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** A `YYYY-MM-DD` day, short, in the current language. */
export const shortDay = (day) => new Intl.DateTimeFormat(language(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

/** A number in the current language. */
/** A channel's name for people ("Web chat"), its id when the page has no name for it. */
export const channelName = (id) => i18next.t(`channel.${id}`, { defaultValue: id });
/** A payment provider's name for people ("Test payment"), its id when the page has no name for it. */
export const providerName = (id) => i18next.t(`provider.${id}`, { defaultValue: id });
export const count = (n) => new Intl.NumberFormat(language()).format(n);

/** Each language's name in itself, for the switcher. */
export const languageName = (lng) => new Intl.DisplayNames([lng], { type: 'language' }).of(lng) ?? lng;
