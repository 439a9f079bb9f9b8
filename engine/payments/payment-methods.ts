import { z } from 'zod';

/**
 * The ways to pay a provider offers, each with the currencies it takes (`*`:
 * any). A provider that declares them lets a bot choose per country.
 *
 * @example
 * ```ts
 * const offered: OfferedPaymentMethods = { card: '*', pix: ['BRL'], boleto: ['BRL'], oxxo: ['MXN'] };
 * ```
 */
export type OfferedPaymentMethods = Readonly<Record<string, readonly string[] | '*'>>;

/** The key of a bot's `payments.methods` that stands for every country it does not name. */
export const ANY_COUNTRY = '*';

/**
 * A bot's `payments.methods`: for each country of its businesses (ISO 3166,
 * `BR`), or `*` for the others, the methods its checkout offers, in order.
 *
 * @example
 * ```yaml
 * payments:
 *   provider: acme
 *   methods:
 *     BR: [card, pix, boleto]
 *     MX: [card, oxxo]
 *     "*": [card]
 * ```
 */
export const paymentMethodsSchema = z.record(
  z.string().regex(/^([A-Z]{2}|\*)$/, 'expected a country code like "BR", or "*" for every other country'),
  z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a payment method like "card" or "pix"')).min(1),
);

/** A bot's `payments.methods`. */
export type PaymentMethodsByCountry = z.infer<typeof paymentMethodsSchema>;

/**
 * The methods a bot offers to a business in `country`: its country's list,
 * else the `*` list, else none (the provider's default).
 *
 * @example
 * ```ts
 * paymentMethodsFor({ BR: ['card', 'pix'], '*': ['card'] }, 'MX'); // ['card']
 * ```
 */
export function paymentMethodsFor(methods: PaymentMethodsByCountry | undefined, country: string): string[] | undefined {
  return methods?.[country] ?? methods?.[ANY_COUNTRY];
}

/** One problem with a bot's `payments.methods`, at its path under `payments.methods`. */
export interface PaymentMethodProblem {
  path: (string | number)[];
  message: string;
}

/**
 * What is wrong with a bot's `payments.methods` for its provider and its
 * businesses: a provider that offers no choice, a method it does not offer,
 * or a method that does not take the currency of a business it applies to.
 *
 * @example
 * ```ts
 * const problems = paymentMethodProblems({ BR: ['pix'] }, 'acme', ACME_METHODS, [{ name: 'Padaria', country: 'BR', currency: 'USD' }]);
 * // [{ path: ['BR', 0], message: 'pix takes BRL only, but Padaria (BR) sells in USD' }]
 * ```
 */
export function paymentMethodProblems(
  methods: PaymentMethodsByCountry, provider: string, offered: OfferedPaymentMethods | undefined,
  businesses: readonly { name: string; country: string; currency: string }[],
): PaymentMethodProblem[] {
  if (!offered) return [{ path: [], message: `payment provider "${provider}" offers no choice of payment methods: leave "methods" out, or use a provider that offers a choice` }];
  const problems: PaymentMethodProblem[] = [];
  for (const [country, list] of Object.entries(methods)) {
    const applies = businesses.filter((b) => (country === ANY_COUNTRY ? !(b.country in methods) : b.country === country));
    list.forEach((method, i) => {
      const currencies = offered[method];
      if (!currencies) {
        problems.push({ path: [country, i], message: `payment provider "${provider}" does not offer "${method}": expected one of ${Object.keys(offered).join(', ')}` });
        return;
      }
      if (currencies === '*') return;
      const refused = applies.find((b) => !currencies.includes(b.currency.toUpperCase()));
      if (refused) {
        problems.push({ path: [country, i], message: `${method} takes ${currencies.join(' or ')} only, but ${refused.name} (${refused.country || 'no country'}) sells in ${refused.currency}` });
      }
    });
  }
  return problems;
}
