import { z } from 'zod';
import { isCurrency, parseMinorUnits } from '../money.ts';
import { isVitrineError } from '../errors.ts';
import { notifySchema } from '../notifications/shop-notice.ts';
import { openingHoursSchema } from '../catalog/opening-hours.ts';
import { handoffSettingsSchema } from '../handoff/handoff-settings.ts';
import { imageProblem } from './product-image.ts';
import { checkFulfilment, fulfilmentSpecSchema } from '../orders/fulfilment.ts';

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a kebab-case slug like "padaria-sao-jorge"');
const sku = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a SKU of letters, digits, ".", "_" or "-"');

/** A BCP 47 locale tag such as `pt-BR`. */
export const localeSchema = z.string().refine((tag) => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1 && /^[a-z]{2,3}(-[A-Z]{2})?$/.test(tag);
  } catch {
    return false;
  }
}, 'expected a locale tag like "pt-BR", "es-MX", "id" or "en"');

/** An ISO 4217 currency code. */
export const currencySchema = z.string().superRefine((code, ctx) => {
  if (!isCurrency(code)) ctx.addIssue({ code: 'custom', message: `unknown currency "${code}": expected an ISO 4217 code such as BRL, MXN, COP, IDR or GBP` });
});

/** One product as a business writes it (price in major units, e.g. "12.50"). */
export const productSpecSchema = z.object({
  sku,
  name: z.string().min(1),
  description: z.string().default(''),
  category: slug,
  price: z.union([z.string(), z.number()]),
  stock: z.number().int().min(0).optional(),
  /** A web address, or a JPEG/PNG file by its path from the bot's folder (see `product-image.ts`). */
  image: z.string().superRefine((image, ctx) => {
    const problem = imageProblem(image);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).describe('A web address (https://…), or a .jpg, .jpeg or .png file by its path from the bot\'s folder, such as images/bread.jpg').optional(),
}).strict();

/** A product spec. */
export type ProductSpec = z.infer<typeof productSpecSchema>;

/** A business with its catalog, as written in `businesses/<slug>.yaml` or inline in `bot.yaml`. */
export const businessSpecSchema = z.object({
  slug,
  name: z.string().min(1),
  description: z.string().default(''),
  category: z.string().default(''),
  tags: z.array(z.string()).default([]),
  city: z.string().default(''),
  country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 country code like "BR"').optional(),
  locale: localeSchema,
  currency: currencySchema,
  phone: z.string().optional(),
  categories: z.array(z.object({ slug, name: z.string().min(1) }).strict()).min(1),
  /** Inline products … */
  products: z.array(productSpecSchema).optional(),
  /** … or a CSV/JSON file beside the YAML (`sku,name,description,category,price,stock,image`). */
  catalog: z.string().optional(),
  /** The payment methods its checkout offers, instead of the bot's `payments.methods` for its country (docs/payments.md). */
  paymentMethods: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a payment method like "card" or "pix"')).min(1).optional(),
  /** When it is open, in its time zone; outside those hours the bot says when it opens (always open when left out). */
  hours: openingHoursSchema.optional(),
  /** Where the business hears of new orders, payments and hand-off requests (docs/notifications.md). */
  notify: notifySchema.optional(),
  /** How long a customer who asked for a person waits for the staff's first answer (docs/handoff.md). */
  handoff: handoffSettingsSchema.optional(),
  /** How its orders reach customers (pickup, delivery, dine-in) and what the checkout asks; left out: no such questions (docs/fulfilment.md). */
  fulfilment: fulfilmentSpecSchema.optional(),
}).strict().superRefine((b, ctx) => {
  if ((b.products === undefined) === (b.catalog === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['products'], message: 'give either "products" or "catalog" (a CSV or JSON file), not both or neither' });
  }
  const categorySlugs = new Set<string>();
  b.categories.forEach((c, i) => {
    if (categorySlugs.has(c.slug)) ctx.addIssue({ code: 'custom', path: ['categories', i, 'slug'], message: `duplicate category "${c.slug}"` });
    categorySlugs.add(c.slug);
  });
  if (b.fulfilment) checkFulfilment(b.fulfilment, b.currency, (path, message) => ctx.addIssue({ code: 'custom', path: ['fulfilment', ...path], message }));
  if (b.products) checkProducts(b.products, b.currency, categorySlugs, (path, message) => ctx.addIssue({ code: 'custom', path: ['products', ...path], message }));
});

/** A business spec. */
export type BusinessSpec = z.infer<typeof businessSpecSchema>;

/**
 * Checks products against their business: unique SKUs, known categories and
 * prices valid for the currency. `report` gets a path inside the product list;
 * `rowName` names another row in a message (default `products[3]`; a CSV
 * catalog says `line 5`).
 */
export function checkProducts(
  products: readonly ProductSpec[],
  currency: string,
  categories: ReadonlySet<string>,
  report: (path: (string | number)[], message: string) => void,
  rowName: (index: number) => string = (i) => `products[${i}]`,
): void {
  const seen = new Map<string, number>();
  products.forEach((p, i) => {
    const first = seen.get(p.sku.toUpperCase());
    if (first !== undefined) report([i, 'sku'], `duplicate SKU "${p.sku}" (also at ${rowName(first)})`);
    else seen.set(p.sku.toUpperCase(), i);
    if (!categories.has(p.category)) report([i, 'category'], `unknown category "${p.category}": expected one of ${[...categories].join(', ')}`);
    if (isCurrency(currency)) {
      try {
        parseMinorUnits(p.price, currency);
      } catch (err) {
        if (!isVitrineError(err)) throw err;
        report([i, 'price'], `bad price: ${err.message}`);
      }
    }
  });
}
