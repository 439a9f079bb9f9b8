import { z } from 'zod';
import { businessSpecSchema, localeSchema } from './business-schema.ts';
import { paymentMethodsSchema } from '../payments/payment-methods.ts';

/**
 * `bot.yaml`: a bot's name, locales, flow, payments, channels, and either a
 * folder of businesses (a directory) or one inline business (a shop).
 */
export const botSpecSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a kebab-case id like "corner-bakery"'),
  name: z.string().min(1),
  description: z.string().default(''),
  defaultLocale: localeSchema,
  locales: z.array(localeSchema).min(1),
  flow: z.string().default('shopping'),
  /** A folder of business files, relative to bot.yaml. */
  businesses: z.string().optional(),
  /** One inline business. */
  business: businessSpecSchema.optional(),
  payments: z.object({
    provider: z.string().default('record'),
    /** The methods checkout offers, per country of the business (docs/payments.md). */
    methods: paymentMethodsSchema.optional(),
    /** Methods paid with a code shown in the chat itself rather than on a page (`pix`), where the order can use them. */
    inChat: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a payment method like "pix"')).min(1).optional(),
  }).strict().default({ provider: 'record' }),
  orderPrefix: z.string().regex(/^[A-Z0-9]{2,6}$/, 'expected 2 to 6 capital letters or digits').default('VT'),
  channels: z.record(z.string(), z.record(z.string(), z.unknown())).default({ console: {} }),
}).strict().superRefine((b, ctx) => {
  if ((b.businesses === undefined) === (b.business === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['business'], message: 'give either "businesses" (a folder) or "business" (one inline business), not both or neither' });
  }
  if (!b.locales.includes(b.defaultLocale)) {
    ctx.addIssue({ code: 'custom', path: ['defaultLocale'], message: `"${b.defaultLocale}" must also be listed in locales` });
  }
});

/** A bot spec. */
export type BotSpec = z.infer<typeof botSpecSchema>;
