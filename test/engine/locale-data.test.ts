import { describe, expect, it } from 'vitest';
import { createI18n, matchLocale } from '../../engine/index.ts';
import { IntentMatcher } from '../../engine/flow/intents.ts';
import { fallbackChain, orderLocales } from '../../engine/i18n/locale-tags.ts';
import { mergeWords, wordsOfTexts } from '../../engine/i18n/locale-words.ts';
import { standardTexts } from '../../flows/index.ts';
import { parseQuantity } from '../../flows/steps/views.ts';

describe('locale tags', () => {
  const locales = ['en', 'es', 'es-CO', 'es-MX', 'id', 'pt-BR'];
  const aliases = new Map([['in', 'id']]);

  it('serve a tag with its own texts, its language, another locale of its language, else English', () => {
    const served = ['es-MX', 'ES-mx', 'es-AR', 'pt-PT', 'pt', 'id-ID', 'in', 'in-ID', 'en-GB', 'fr', 'zz'].map((t) => matchLocale(t, locales, aliases));
    expect(served).toEqual(['es-MX', 'es-MX', 'es', 'pt-BR', 'pt-BR', 'id', 'id', 'id', 'en', 'en', 'en']);
  });

  it('fall back from a regional variant to its language, then to English', () => {
    expect(fallbackChain('es-MX', locales)).toEqual(['es', 'en']);
    expect(fallbackChain('pt-BR', locales)).toEqual(['en']);
    expect(fallbackChain('es', locales)).toEqual(['en']);
    expect(fallbackChain('en', locales)).toEqual([]);
  });

  it('read languages before their regional variants', () => {
    expect(orderLocales(['pt-BR', 'es-MX', 'id', 'en', 'es-CO', 'es'])).toEqual(['en', 'es', 'id', 'es-CO', 'es-MX', 'pt-BR']);
  });
});

describe('locale words', () => {
  it('come from the reserved `words` key, lower-cased, empty where a file has none', () => {
    expect(wordsOfTexts({ words: { polite: 'S’il vous plaît | STP', stop: '', units: 'pcs' }, common: { hi: 'Hi' } }))
      .toEqual({ polite: ['s’il vous plaît', 'stp'], stop: [], units: ['pcs'], aliases: [] });
    expect(wordsOfTexts(undefined)).toEqual({ polite: [], stop: [], units: [], aliases: [] });
    expect(mergeWords([wordsOfTexts({ words: { stop: 'a|de' } }), wordsOfTexts({ words: { stop: 'de|la' } })]).stop).toEqual(['a', 'de', 'la']);
  });

  it('of the shipped locales are all known to the translation service', async () => {
    const i18n = await createI18n({ defaults: standardTexts() });
    expect(i18n.locales).toEqual(['en', 'es', 'id', 'es-CO', 'es-MX', 'pt-BR']);
    const words = i18n.words();
    expect(words.polite).toEqual(expect.arrayContaining(['please', 'pls', 'por favor', 'tolong']));
    expect(words.stop).toEqual(expect.arrayContaining(['the', 'near', 'perto', 'cerca', 'dekat', 'el', 'do']));
    expect(words.units).toEqual(expect.arrayContaining(['pcs', 'un', 'pz', 'buah']));
    expect(i18n.textLocale('in-ID')).toBe('id');
  });

  it('let a command end with a polite word in any language', async () => {
    const i18n = await createI18n({ defaults: standardTexts() });
    const intents = new IntentMatcher(i18n, ['en', 'pt-BR', 'es-MX', 'id']);
    for (const said of ['help please', 'ajuda por favor', 'ayuda por favor', 'bantuan tolong', 'cart pls']) expect(intents.match(said), said).toBeDefined();
    expect(intents.match('help whenever')).toBeUndefined();
  });
});

describe('quantities', () => {
  it('accept a number with a unit from the locale words, and nothing else after it', () => {
    const units = ['pcs', 'pz', 'c.'];
    expect(['2', ' x3 ', '4x', '5 ×', '6 pcs', '7 PZ', '8 c.'].map((t) => parseQuantity(t, units))).toEqual([2, 3, 4, 5, 6, 7, 8]);
    for (const text of ['2 un', '2 cx', 'two', '2 pcs pcs', 'pcs']) expect(parseQuantity(text, units), text).toBeUndefined();
  });
});
