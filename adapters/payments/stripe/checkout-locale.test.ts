import { describe, expect, it } from 'vitest';
import { checkoutLocale, STRIPE_CHECKOUT_LOCALES } from './checkout-locale.ts';

describe('the Checkout page language for a conversation locale', () => {
  it('maps the seed markets\' locales to Stripe\'s', () => {
    expect(['pt-BR', 'es-MX', 'es-CO', 'id', 'id-ID', 'en', 'en-GB'].map(checkoutLocale)).toEqual(['pt-BR', 'es-419', 'es-419', 'id', 'id', 'en', 'en-GB']);
  });

  it('derives a locale added later from its tag, with no list of ours to extend', () => {
    expect(['fr', 'fr-FR', 'fr-CA', 'fr-BE', 'de-AT', 'ja-JP', 'zh-Hant-HK', 'zh-TW', 'es-ES', 'es-AR', 'pt-PT', 'pt', 'hi', 'en-US'].map(checkoutLocale))
      .toEqual(['fr', 'fr', 'fr-CA', 'fr', 'de', 'ja', 'zh-HK', 'zh-TW', 'es', 'es-419', 'pt', 'pt', 'hi-IN', 'en']);
  });

  it('lets Stripe choose for a language it does not offer or a tag that is not one', () => {
    expect(['sw-KE', 'xx', '', 'not a tag'].map(checkoutLocale)).toEqual(['auto', 'auto', 'auto', 'auto']);
  });

  it('reads tags in any letter case', () => {
    expect(['PT-br', 'es-mx', 'ZH-tw'].map(checkoutLocale)).toEqual(['pt-BR', 'es-419', 'zh-TW']);
  });

  it('gives every locale the example bots speak a page in its own language, not auto', () => {
    for (const locale of ['en', 'en-GB', 'pt-BR', 'es', 'es-MX', 'es-CO', 'id', 'id-ID']) expect(STRIPE_CHECKOUT_LOCALES).toContain(checkoutLocale(locale));
  });
});
