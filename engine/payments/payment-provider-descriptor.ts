import type { Logger } from 'pino';
import { VitrineError } from '../errors.ts';
import type { PaymentProvider } from './payment-provider.ts';
import type { OfferedPaymentMethods } from './payment-methods.ts';
import type { Clock } from '../services.ts';

/** What a descriptor's `create` gets besides its environment variables. */
export interface PaymentProviderContext {
  /** Where customers reach the server (`PUBLIC_URL`), for the pages a hosted payment returns them to. */
  publicUrl: string;
  logger: Logger;
  /** The time source a provider checks signatures and expiries against (default the system clock). */
  clock?: Clock;
}

/**
 * A payment provider as its folder exports it: its id, the environment
 * variables it reads and how it is built from them. The server builds every
 * provider of one list with {@link createPaymentProviders}, reading the
 * environment once; a provider gets only the variables it declared.
 *
 * @example
 * ```ts
 * // adapters/payments/acme/index.ts
 * export const acmePayments: PaymentProviderDescriptor = {
 *   id: 'acme',
 *   env: { ACME_API_KEY: 'API key; the provider is on when set', ACME_WEBHOOK_SECRET: 'signs webhook deliveries' },
 *   create(env) {
 *     const key = env['ACME_API_KEY'];
 *     if (!key) return undefined; // off: bots naming `acme` fail to load
 *     return {
 *       id: 'acme',
 *       async createPayment(order) {
 *         const page = await acmeClient(key).createPage({ amount: order.totalMinor, currency: order.currency, reference: order.id });
 *         return { kind: 'redirect', url: page.url, providerRef: page.id };
 *       },
 *       async refund(providerRef) { return { refundRef: (await acmeClient(key).refund(providerRef)).id }; },
 *       webhook: acmeWebhook(env['ACME_WEBHOOK_SECRET'] ?? ''),
 *     };
 *   },
 * };
 * ```
 */
export interface PaymentProviderDescriptor {
  /** The id bots name (`payments: { provider: <id> }` in bot.yaml); the provider it builds carries the same. */
  readonly id: string;
  /** The ways to pay its providers offer, when a bot may choose them per country (the providers carry the same). */
  readonly methods?: OfferedPaymentMethods;
  /** The methods its providers can show in the chat as a code (`payments.inChat`); the providers carry the same. */
  readonly inChat?: readonly string[];
  /** The environment variables it reads, by name, with what each is for. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * What a bot naming this provider is told when the provider is off here,
   * when the variables alone do not say it (e.g. which provider to configure instead).
   */
  readonly whenOff?: string;
  /**
   * Builds the provider from its variables (only those declared in `env`
   * that are set and not blank, trimmed), or `undefined` when it is not
   * configured. Throws a `VT_ERR_CONFIG_INVALID` {@link VitrineError} when
   * its settings are wrong.
   */
  create(env: Readonly<Record<string, string>>, context: PaymentProviderContext): PaymentProvider | undefined;
}

/**
 * A provider that exists but is off in this environment: the variables it
 * reads, and what to do instead when its descriptor says (`whenOff`).
 *
 * @example
 * ```ts
 * const off: PaymentProviderOff = { env: ['ACME_API_KEY'], hint: 'set ACME_API_KEY, or use cash' };
 * ```
 */
export interface PaymentProviderOff {
  env: readonly string[];
  hint?: string;
}

/** The variables a descriptor declared that are set, trimmed. */
function declaredEnv(descriptor: PaymentProviderDescriptor, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of Object.keys(descriptor.env)) {
    const value = env[name]?.trim();
    if (value) picked[name] = value;
  }
  return picked;
}

/**
 * Builds the configured providers of a list from the environment, in list
 * order. Two descriptors with one id, or a provider whose id differs from
 * its descriptor's, is a `VT_ERR_CONFIG_INVALID` error.
 *
 * @example
 * ```ts
 * const payments = createPaymentProviders([cashPayments, acmePayments], process.env, { publicUrl, logger });
 * const runtime = await createRuntime({ payments });
 * ```
 */
export function createPaymentProviders(
  descriptors: readonly PaymentProviderDescriptor[],
  env: Readonly<Record<string, string | undefined>>,
  context: PaymentProviderContext,
): PaymentProvider[] {
  const providers: PaymentProvider[] = [];
  const seen = new Set<string>();
  for (const descriptor of descriptors) {
    if (seen.has(descriptor.id)) throw new VitrineError('VT_ERR_CONFIG_INVALID', `Two payment providers have the id "${descriptor.id}"`, { context: { provider: descriptor.id } });
    seen.add(descriptor.id);
    const provider = descriptor.create(declaredEnv(descriptor, env), context);
    if (!provider) continue;
    if (provider.id !== descriptor.id) {
      throw new VitrineError('VT_ERR_CONFIG_INVALID', `The payment provider "${descriptor.id}" built a provider with the id "${provider.id}"`, { context: { provider: descriptor.id } });
    }
    providers.push(provider);
  }
  return providers;
}
