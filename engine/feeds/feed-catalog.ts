import type { ConfigProblem } from '../config/problems.ts';
import type { ProductSpec } from '../config/business-schema.ts';
import { normalizeText } from '../flow/intents.ts';
import { isVitrineError } from '../errors.ts';
import { minorToDecimal, parseMinorUnits } from '../money.ts';
import type { FeedRow } from './read-feed.ts';

/** What a feed became: the business's catalog, and what could not be used. */
export interface FeedCatalog {
  /** The products, in feed order; `price` is a decimal in the business currency, as catalog files write it. */
  products: ProductSpec[];
  /** The business's categories: the ones it had, then new ones from the feed, in order of appearance. */
  categories: { slug: string; name: string }[];
  /** Names of the categories the feed added. */
  added: string[];
  /** One problem per unusable row: its line, the column and why. */
  problems: ConfigProblem[];
  /** Rows marked `discontinued`: left out, so they stop being for sale. */
  discontinued: number;
  /** Product rows read. */
  rows: number;
}

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PRICE = /^(\d+(?:\.\d+)?)\s*([A-Za-z]{3})$/;
const FOR_SALE = new Set(['in stock', 'available for order', 'preorder', 'backorder']);
/** Columns holding a stock count: Meta's, then its older name, then Google's local inventory's. */
const QUANTITY_COLUMNS = ['quantity_to_sell_on_facebook', 'inventory', 'quantity'];

/** A category's slug from its name: "Doces e bolos" → `doces-e-bolos`. */
export function slugOf(name: string): string {
  return normalizeText(name).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'category';
}

/** Why a row cannot be used: a problem at its line and column. */
class RowProblem extends Error {
  constructor(readonly column: string, message: string) {
    super(message);
  }
}

/**
 * Turns the rows of a Meta Commerce Manager or Google Merchant Center feed
 * into a business's catalog, row by row (`add`), so a large feed streams
 * through. SKU = the feed's `id` (what WhatsApp `order` messages send as
 * `product_retailer_id`); `title`, `description`, `image_link`; the price from
 * `price` ("12.50 BRL", or a lower `sale_price`) in integer minor units,
 * checked against the business currency; `availability` and stock
 * (`quantity_to_sell_on_facebook`, `inventory`); the category from the first
 * level of `product_type`, else the last of `google_product_category`, else
 * `otherCategory`, matched to the business's categories by name or slug.
 *
 * @example
 * ```ts
 * const importer = new FeedImporter('feed.csv', { currency: 'BRL', categories: [{ slug: 'paes', name: 'Pães' }] }, 'Outros');
 * for await (const row of readFeed('feed.csv')) importer.add(row);
 * const { products, problems } = importer.result();
 * ```
 */
export class FeedImporter {
  private readonly products: ProductSpec[] = [];
  private readonly problems: ConfigProblem[] = [];
  private readonly seen = new Map<string, number>();
  private readonly categories: { slug: string; name: string }[];
  private readonly byName = new Map<string, string>();
  private readonly added: string[] = [];
  private discontinued = 0;
  private rows = 0;

  constructor(private readonly file: string, private readonly business: { currency: string; categories: readonly { slug: string; name: string }[] }, private readonly otherCategory: string) {
    this.categories = [...business.categories];
    for (const c of this.categories) {
      this.byName.set(normalizeText(c.name), c.slug);
      this.byName.set(c.slug, c.slug);
    }
  }

  /** Reads one row: a product, a discontinued one left out, or a problem. */
  add(row: FeedRow): void {
    this.rows += 1;
    try {
      const product = this.productOf(row);
      if (product) this.products.push(product);
      else this.discontinued += 1;
    } catch (err) {
      if (!(err instanceof RowProblem)) throw err;
      this.problems.push({ file: this.file, line: row.line, path: err.column, message: err.message });
    }
  }

  /** The catalog so far. */
  result(): FeedCatalog {
    return { products: this.products, categories: this.categories, added: this.added, problems: this.problems, discontinued: this.discontinued, rows: this.rows };
  }

  private productOf(row: FeedRow): ProductSpec | undefined {
    const f = row.fields;
    const sku = (f['id'] ?? '').trim();
    if (!sku) throw new RowProblem('id', 'no id: every product needs one (it becomes its SKU)');
    if (!SKU.test(sku)) throw new RowProblem('id', `id "${sku}" is not a SKU Vitrine can keep: expected up to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
    const first = this.seen.get(sku.toUpperCase());
    if (first !== undefined) throw new RowProblem('id', `id "${sku}" repeats the product of line ${first}`);
    const name = (f['title'] ?? '').trim();
    if (!name) throw new RowProblem('title', `no title for "${sku}"`);
    const availability = (f['availability'] ?? 'in stock').trim().toLowerCase().replace(/_/g, ' ');
    if (availability === 'discontinued') return undefined;
    if (availability !== 'out of stock' && !FOR_SALE.has(availability)) {
      throw new RowProblem('availability', `availability "${f['availability']}": expected in stock, out of stock, preorder, available for order, backorder or discontinued`);
    }
    const price = this.priceOf(f);
    const stock = availability === 'out of stock' ? 0 : this.stockOf(f);
    const image = (f['image_link'] ?? '').trim();
    if (image && !/^https?:\/\/\S+$/.test(image)) throw new RowProblem('image_link', `image_link "${image}": expected an http(s) URL`);
    this.seen.set(sku.toUpperCase(), row.line);
    return {
      sku, name, description: (f['description'] ?? '').trim(), category: this.categoryOf(f), price: minorToDecimal(price, this.business.currency),
      ...(stock !== undefined ? { stock } : {}), ...(image ? { image } : {}),
    };
  }

  /** The price in minor units: `price`, or `sale_price` when lower; both in the business currency. */
  private priceOf(f: Record<string, string>): number {
    const regular = this.amount(f, 'price');
    if (regular === undefined) throw new RowProblem('price', 'no price: expected an amount and currency like "12.50 BRL"');
    const sale = this.amount(f, 'sale_price');
    return sale !== undefined && sale < regular ? sale : regular;
  }

  private amount(f: Record<string, string>, column: string): number | undefined {
    const text = (f[column] ?? '').trim();
    if (!text) return undefined;
    const match = PRICE.exec(text);
    if (!match) throw new RowProblem(column, `${column} "${text}": expected an amount with a dot for decimals and a currency code, like "12.50 ${this.business.currency}"`);
    const currency = (match[2] ?? '').toUpperCase();
    if (currency !== this.business.currency) throw new RowProblem(column, `${column} "${text}" is in ${currency}, but the business sells in ${this.business.currency}`);
    try {
      return parseMinorUnits(match[1] ?? '', currency);
    } catch (err) {
      if (!isVitrineError(err)) throw err;
      throw new RowProblem(column, `${column} "${text}": ${err.message}`);
    }
  }

  /** Stock from the first quantity column given; none: unlimited. */
  private stockOf(f: Record<string, string>): number | undefined {
    const column = QUANTITY_COLUMNS.find((c) => (f[c] ?? '').trim() !== '');
    if (!column) return undefined;
    const text = (f[column] ?? '').trim();
    if (!/^\d{1,9}$/.test(text)) throw new RowProblem(column, `${column} "${text}": expected a whole number of items, 0 or more`);
    return Number(text);
  }

  /** The category slug of a row, adding a category the business does not have yet. */
  private categoryOf(f: Record<string, string>): string {
    const own = (f['product_type'] ?? '').split('>')[0]?.trim();
    const google = (f['google_product_category'] ?? '').split('>').at(-1)?.trim();
    const name = own || (google && !/^\d+$/.test(google) ? google : '') || this.otherCategory;
    const known = this.byName.get(normalizeText(name)) ?? this.byName.get(slugOf(name));
    if (known) return known;
    let slug = slugOf(name);
    for (let n = 2; this.categories.some((c) => c.slug === slug); n++) slug = `${slugOf(name)}-${n}`;
    this.categories.push({ slug, name });
    this.added.push(name);
    this.byName.set(normalizeText(name), slug);
    return slug;
  }
}
