import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { decodeOptionId, encodeOptionId, tappedOption, type OptionId } from '../../engine/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

const EVERY_KIND: OptionId[] = [
  { kind: 'business', businessId: 'cm3x0b1' },
  { kind: 'category', categoryId: 'cat-1' },
  { kind: 'product', productId: 'cm3x0p9' },
  { kind: 'product', productId: 'shop:with:colons' },
  { kind: 'quantity', quantity: 1 },
  { kind: 'quantity', quantity: 0 },
  { kind: 'intent', intent: 'back' },
  { kind: 'intent', intent: 'switchBusiness' },
  { kind: 'intent', intent: 'greeting' },
  { kind: 'catalog', page: 'more' },
  { kind: 'catalog', page: 'categories' },
  { kind: 'cart', action: 'checkout' },
  { kind: 'cart', action: 'continue' },
  { kind: 'cart', action: 'clear' },
  { kind: 'cartEdit', productId: 'p1' },
  { kind: 'cartEdit', productId: 'a:b' },
  { kind: 'cartSet', productId: 'p1', quantity: 0 },
  { kind: 'cartSet', productId: 'a:b:c', quantity: 12 },
  { kind: 'payment', action: 'newLink' },
  { kind: 'payment', action: 'cancel' },
  { kind: 'payment', action: 'shopAgain' },
  { kind: 'choose', choice: 'yes' },
];

describe('option ids', () => {
  it('decode to what was encoded, for every kind', () => {
    for (const option of EVERY_KIND) expect(decodeOptionId(encodeOptionId(option)), encodeOptionId(option)).toEqual(option);
  });

  it('keep the ids channels already carry', () => {
    expect(EVERY_KIND.map(encodeOptionId).slice(0, 8)).toEqual([
      'business:cm3x0b1', 'category:cat-1', 'product:cm3x0p9', 'product:shop:with:colons', 'qty:1', 'qty:0', 'intent:back', 'intent:switchBusiness',
    ]);
    expect(encodeOptionId({ kind: 'cartSet', productId: 'p1', quantity: 0 })).toBe('cart:set:p1:0');
    expect(encodeOptionId({ kind: 'catalog', page: 'more' })).toBe('nav:more');
  });

  it('refuse malformed and unknown ids instead of guessing', () => {
    const malformed = [
      '', ':', 'business', 'business:', 'category:', 'product:', 'qty:', 'qty:x', 'qty:-1', 'qty:1.5', 'qty:9999999', 'intent:', 'intent:dance',
      'nav:', 'nav:less', 'cart:', 'cart:buy', 'cart:edit:', 'cart:set:', 'cart:set:p1', 'cart:set::2', 'cart:set:p1:', 'cart:set:p1:two',
      'payment:', 'payment:steal', 'choose:', 'choose:1x', 'choose:a b', 'a', 'order:1', 'unknown:thing',
    ];
    for (const id of malformed) expect(decodeOptionId(id), id).toBeUndefined();
  });

  it('reads the option a tap carries, and nothing from other inputs', () => {
    const base = { botId: 'b', channel: 'test', messageId: 'm', customer: { id: 'c' } };
    expect(tappedOption({ ...base, kind: 'choice', optionId: 'qty:3' })).toEqual({ kind: 'quantity', quantity: 3 });
    expect(tappedOption({ ...base, kind: 'text', text: 'qty:3' })).toBeUndefined();
    expect(tappedOption({ kind: 'system', event: 'payment.ready', data: {} })).toBeUndefined();
  });
});

describe('the options of a shopping conversation', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(() => rt.dispose());

  it('are all standard option ids that decode and encode back to themselves', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'ivo-ids' });
    const offered: string[] = [];
    const say = async (text: string): Promise<string> => {
      const reply = plain(await chat.say(text));
      for (const m of chat.last) if (m.kind === 'choice') offered.push(...m.options.map((o) => o.id));
      return reply;
    };
    await say('hi');
    await say(optionNumber(await say('hackney bread'), 'Hackney Bread Co.'));
    await say(optionNumber(await say('sausage roll'), 'Sausage roll'));
    await say('2');
    const cart = await say('cart');
    await say(optionNumber(cart, 'Sausage roll'));
    expect(offered.length).toBeGreaterThan(8);
    for (const id of offered) {
      const option = decodeOptionId(id);
      expect(option, id).toBeDefined();
      if (option) expect(encodeOptionId(option)).toBe(id);
    }
    const kinds = new Set(offered.map((id) => decodeOptionId(id)?.kind));
    for (const kind of ['business', 'product', 'quantity', 'intent', 'cart', 'cartEdit', 'cartSet']) expect(kinds, kind).toContain(kind);
  });
});
