import { FALLBACK_LOCALE, languageOf, type I18n, type LoadedBot } from '../../engine/index.ts';

/** What a chat link opens: a bot, and one of its businesses for a business's link. */
export interface LinkTarget {
  botId: string;
  business?: { slug: string; name: string };
}

/**
 * The path of a bot's chat link: `/chat/<bot-id>`.
 *
 * @example
 * ```ts
 * botLinkPath('corner-bakery'); // '/chat/corner-bakery'
 * ```
 */
export function botLinkPath(botId: string): string {
  return `/chat/${encodeURIComponent(botId)}`;
}

/**
 * The path of a business's chat link: `/b/<business-slug>`, with `?bot=<id>`
 * when `botId` is given (a slug that several loaded bots hold).
 *
 * @example
 * ```ts
 * businessLinkPath('padaria-sao-jorge'); // '/b/padaria-sao-jorge'
 * ```
 */
export function businessLinkPath(slug: string, botId?: string): string {
  return `/b/${encodeURIComponent(slug)}${botId ? `?bot=${encodeURIComponent(botId)}` : ''}`;
}

/** The loaded bots holding a business with this slug, in load order. */
export function botsHoldingBusiness(bots: ReadonlyMap<string, LoadedBot>, slug: string): LoadedBot[] {
  return [...bots.values()].filter((bot) => bot.businesses.some((b) => b.slug === slug));
}

/**
 * What a business's link opens: the business with this slug in `botId`, or,
 * without `botId`, in the first loaded bot holding it. `undefined` for a slug
 * (or bot) nobody holds: the visitor gets the not-found page, never another bot.
 *
 * @example
 * ```ts
 * businessLinkTarget(runtime.engine.bots, 'padaria-sao-jorge'); // { botId: 'directory', business: { slug, name: 'Padaria São Jorge' } }
 * ```
 */
export function businessLinkTarget(bots: ReadonlyMap<string, LoadedBot>, slug: string, botId?: string): LinkTarget | undefined {
  const holders = botsHoldingBusiness(bots, slug).filter((bot) => botId === undefined || bot.runtime.id === botId);
  const bot = holders[0];
  const business = bot?.businesses.find((b) => b.slug === slug);
  return bot && business ? { botId: bot.runtime.id, business: { slug, name: business.name } } : undefined;
}

/**
 * The locale with texts a visitor reads best, from their `Accept-Language`
 * header (highest `q` first), among the locales with texts; else
 * {@link FALLBACK_LOCALE}.
 *
 * @example
 * ```ts
 * visitorLocale('pt-BR,pt;q=0.9,en;q=0.8', i18n); // 'pt-BR'
 * visitorLocale('fr-FR', i18n);                   // 'en'
 * ```
 */
export function visitorLocale(header: string | undefined, i18n: I18n): string {
  const wanted = (header ?? '').split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? 1);
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((w) => w.tag !== '' && w.tag !== '*' && w.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const spoken = wanted.find((w) => i18n.locales.some((l) => languageOf(l) === languageOf(w.tag)));
  return spoken ? i18n.textLocale(spoken.tag) : FALLBACK_LOCALE;
}

const escapeHtml = (s: string) => s.replace(/[&"'<>]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page a link that leads nowhere answers with (HTTP 404), in the
 * visitor's language: what happened, what to do, and, when `directoryHref`
 * is given, a way to the directory.
 *
 * @example
 * ```ts
 * reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(i18n, 'es', '/'));
 * ```
 */
export function notFoundPage(i18n: I18n, locale: string, directoryHref?: string): string {
  const t = i18n.t('', locale);
  const title = escapeHtml(t('links.notFoundTitle'));
  const directory = directoryHref ? `\n    <p><a class="pay" href="${escapeHtml(directoryHref)}">${escapeHtml(t('links.openDirectory'))}</a></p>` : '';
  return `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="stylesheet" href="/chat.css">
</head>
<body>
  <main class="chat not-found">
    <header class="chat-header"><span class="brand">Vitrine</span></header>
    <h1>${title}</h1>
    <p>${escapeHtml(t('links.notFoundText'))}</p>${directory}
  </main>
</body>
</html>
`;
}
