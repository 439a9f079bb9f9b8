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

describe('remembered texts', () => {
  const texts = { en: { items: { count_one: '{{count}} item at {{shop}}', count_other: '{{count}} items at {{shop}}' }, hi: 'Hi {{who.name}}' } };

  it('give what i18next gives for the same key and values, and a new text when a value changes', async () => {
    const i18n = await createI18n({ defaults: texts });
    const t = i18n.t('shop', 'en');
    const plain = i18n.instance.getFixedT('en');
    for (const round of [1, 2]) {
      for (const [count, shop] of [[1, 'Padaria'], [2, 'Padaria'], [2, 'Warung'], [1, 'Warung']] as const) {
        expect(t('items.count', { count, shop }), `round ${round}`).toBe(plain('items.count', { count, shop }));
      }
    }
    expect(t('items.count', { count: 1, shop: 'A' })).toBe('1 item at A');
    expect(t('items.count', { count: '1', shop: 'A' })).toBe(plain('items.count', { count: '1', shop: 'A' }));
    // Nested values are looked up each time, never remembered by their text.
    expect(t('hi', { who: { name: 'Ana' } })).toBe('Hi Ana');
    expect(t('hi', { who: { name: 'Bea' } })).toBe('Hi Bea');
  });

  it('stay bounded: many distinct values keep giving the right text', async () => {
    const i18n = await createI18n({ defaults: texts });
    const t = i18n.t('shop', 'en');
    for (let n = 0; n < 5000; n++) expect(t('items.count', { count: 2, shop: `S${n}` })).toBe(`2 items at S${n}`);
    expect(t('items.count', { count: 2, shop: 'S0' })).toBe('2 items at S0');
  });

  it('follow a bot text changed on reload', async () => {
    const i18n = await createI18n({ defaults: texts });
    expect(i18n.t('shop', 'en')('items.count', { count: 2, shop: 'X' })).toBe('2 items at X');
    i18n.setBotTexts('shop', { en: { items: { count_other: '{{count}} things from {{shop}}' } } });
    expect(i18n.t('shop', 'en')('items.count', { count: 2, shop: 'X' })).toBe('2 things from X');
  });
});
