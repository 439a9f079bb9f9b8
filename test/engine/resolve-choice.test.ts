import { describe, expect, it } from 'vitest';
import type { ChoiceOption } from '../../engine/index.ts';
import { resolveChoice } from '../../engine/flow/intents.ts';

const cart: ChoiceOption[] = [
  { id: 'checkout', label: 'Check out' }, { id: 'shop', label: 'Keep shopping' }, { id: 'clear', label: 'Empty cart' },
];

describe('typed answers to offered options', () => {
  it('picks an option whatever the customer does with its spaces and hyphens: "checkout", "check-out", "Check out"', () => {
    for (const typed of ['checkout', 'check-out', 'Check out', 'CHECK OUT', 'check - out', 'keepshopping']) {
      expect(resolveChoice(typed, cart, true)?.id, typed).toBe(typed === 'keepshopping' ? 'shop' : 'checkout');
    }
  });

  it('still picks by number, by the label ignoring case and accents, and nothing for other words', () => {
    expect(resolveChoice('2', cart, true)?.id).toBe('shop');
    expect(resolveChoice('empty CART', cart, false)?.id).toBe('clear');
    expect(resolveChoice('Pão de queijo', [{ id: 'pq', label: 'Pao de Queijo' }], false)?.id).toBe('pq');
    expect(resolveChoice('check', cart, true)).toBeUndefined();
    expect(resolveChoice('-', cart, true)).toBeUndefined();
  });

  it('prefers the exact label, and picks nothing when ignoring spaces leaves two options alike', () => {
    const alike: ChoiceOption[] = [{ id: 'a', label: 'Pan de muerto' }, { id: 'b', label: 'Pande muerto' }];
    expect(resolveChoice('pan de muerto', alike, false)?.id).toBe('a');
    expect(resolveChoice('pandemuerto', alike, false)).toBeUndefined();
  });
});
