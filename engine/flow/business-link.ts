/**
 * A business's link or QR code opens a chat whose first message names the
 * business with a mark, `#<business-slug>` ("Hi! I'd like to shop at Padaria
 * São Jorge #padaria-sao-jorge"). The same text works as a web chat link's
 * first message and as a `wa.me` link's prefilled message: whatever channel it
 * arrives on, the flow routes it to `global.openBusiness` with that business
 * selected. A customer who deletes the mark still sends the business's name,
 * which the directory search finds.
 */

const MARK = /(?:^|\s)#([a-z0-9]+(?:-[a-z0-9]+)*)(?=$|[\s.,!?;:)])/g;

/**
 * The business slugs a message marks with `#<slug>`, in order. Only kebab-case
 * slugs count, so "#1" or "#Hashtag" are not marks.
 *
 * @example
 * ```ts
 * businessLinkSlugs('Olá! Quero comprar na Padaria São Jorge #padaria-sao-jorge'); // ['padaria-sao-jorge']
 * businessLinkSlugs('order #42 please'); // ['42']: a slug the bot does not hold selects nothing
 * ```
 */
export function businessLinkSlugs(text: string): string[] {
  if (!text.includes('#')) return [];
  return [...text.matchAll(MARK)].map((m) => m[1] ?? '').filter(Boolean);
}

/**
 * The first message of a business's link: a sentence for people, then the mark.
 *
 * @example
 * ```ts
 * businessLinkMessage("Hi! I'd like to shop at Corner Bakery.", 'corner-bakery');
 * // "Hi! I'd like to shop at Corner Bakery. #corner-bakery"
 * ```
 */
export function businessLinkMessage(sentence: string, slug: string): string {
  return `${sentence.trim()} #${slug}`;
}
