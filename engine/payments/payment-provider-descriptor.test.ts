import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../errors.ts';
import { cashPayments } from './cash-provider.ts';
import { createPaymentProviders, type PaymentProviderDescriptor } from './payment-provider-descriptor.ts';

const context = { publicUrl: 'https://shop.example', logger: pino({ level: 'silent' }) };

/** A descriptor that is on when `<ID>_KEY` is set, and remembers what it was given. */
function keyed(id: string, seen: Record<string, string>[] = []): PaymentProviderDescriptor {
  const name = `${id.toUpperCase()}_KEY`;
  return {
    id, env: { [name]: 'key' },
    create(env) {
      seen.push({ ...env });
      return env[name] ? { id, createPayment: async () => ({ kind: 'deferred', providerRef: 'x' }) } : undefined;
    },
  };
}

describe('building payment providers from their descriptors', () => {
  it('builds those the environment turns on, in list order, each seeing only its declared variables (blank ones unset)', () => {
    const seenA: Record<string, string>[] = [];
    const seenB: Record<string, string>[] = [];
    const providers = createPaymentProviders([keyed('a', seenA), cashPayments, keyed('b', seenB)], { A_KEY: ' 1 ', B_KEY: '  ', OTHER: 'secret' }, context);
    expect(providers.map((p) => p.id)).toEqual(['a', 'cash']);
    expect(seenA).toEqual([{ A_KEY: '1' }]);
    expect(seenB).toEqual([{}]);
  });

  it('refuses two descriptors with one id', () => {
    let error: unknown;
    try {
      createPaymentProviders([cashPayments, { ...cashPayments }], {}, context);
    } catch (err) {
      error = err;
    }
    expect(isVitrineError(error, 'VT_ERR_CONFIG_INVALID')).toBe(true);
    expect(String(error)).toContain('Two payment providers have the id "cash"');
  });

  it('refuses a provider whose id is not its descriptor\'s', () => {
    expect(() => createPaymentProviders([{ ...keyed('a'), id: 'other' }], { A_KEY: '1' }, context)).toThrow('The payment provider "other" built a provider with the id "a"');
  });
});
