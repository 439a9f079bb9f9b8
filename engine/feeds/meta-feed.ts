import { stringify } from 'csv-stringify/sync';
import type { LoadedBusiness } from '../config/load-bot.ts';
import { minorToDecimal, parseMinorUnits } from '../money.ts';

/** The columns of a Meta Commerce Manager data feed file, as written by {@link metaFeedCsv}. */
export const META_FEED_COLUMNS = [
  'id', 'title', 'description', 'availability', 'condition', 'price', 'link', 'image_link', 'brand', 'quantity_to_sell_on_facebook', 'product_type',
] as const;

/**
 * A business's catalog as a Meta Commerce Manager data feed (CSV), ready to
 * upload: `id` = SKU (so WhatsApp `order` messages name Vitrine's products),
 * `price` as "12.50 BRL", `availability` and `quantity_to_sell_on_facebook`
 * from the stock (none: in stock, no quantity), `condition` new, `brand` the
 * business's name, `product_type` its category's name, and `link` the
 * business's chat link (Meta requires a link per product). A product without
 * a description repeats its title (Meta requires one). `imageLink` turns a
 * product's `image` into the address Meta fetches it from (a bot's image file
 * is a path: give its address on the server, see `productImageUrl`).
 *
 * @example
 * ```ts
 * writeFileSync('meta-feed.csv', metaFeedCsv(business, 'https://shop.example.com/b/padaria-sao-jorge',
 *   (image) => (/^https?:/.test(image) ? image : `https://shop.example.com${productImageUrl('directory', image)}`)));
 * ```
 */
export function metaFeedCsv(business: LoadedBusiness, link: string, imageLink: (image: string) => string = (image) => image): string {
  const categories = new Map(business.categories.map((c) => [c.slug, c.name]));
  const rows = business.products.map((p) => [
    p.sku, p.name, p.description || p.name, p.stock === 0 ? 'out of stock' : 'in stock', 'new',
    `${minorToDecimal(parseMinorUnits(p.price, business.currency), business.currency)} ${business.currency}`,
    link, p.image === undefined ? '' : imageLink(p.image), business.name, p.stock === undefined ? '' : String(p.stock), categories.get(p.category) ?? p.category,
  ]);
  return stringify(rows, { header: true, columns: [...META_FEED_COLUMNS] });
}
