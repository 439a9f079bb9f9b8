import type { TestConversation } from '../../adapters/console/index.ts';
import { optionNumber, plain } from './text.ts';

/** The words of the corner bakery's checkout in one language. */
export interface CheckoutWords {
  cart: string;
  checkOut: string;
  pickUp: string;
  skip: string;
  confirm: string;
}

/** The corner bakery's checkout words in English and in Brazilian Portuguese. */
export const BAKERY_WORDS = {
  en: { cart: 'cart', checkOut: 'Check out', pickUp: 'Pick up', skip: 'skip', confirm: 'Confirm order' },
  'pt-BR': { cart: 'carrinho', checkOut: 'Finalizar compra', pickUp: 'Retirar na loja', skip: 'pular', confirm: 'Confirmar pedido' },
} as const satisfies Record<string, CheckoutWords>;

/**
 * Checks out the cart of a console conversation at the corner bakery to pick
 * it up: how to receive it, who it is for, a phone (the console gives none),
 * no note, then the summary confirmed. Returns the bot's answer to the
 * confirmation (the order placed).
 *
 * @example
 * ```ts
 * await chat.say('2');
 * const placed = await pickUpAtBakery(chat, BAKERY_WORDS['pt-BR'], { name: 'Ana', phone: '(11) 91234-5678' });
 * ```
 */
export async function pickUpAtBakery(chat: TestConversation, words: CheckoutWords, who: { name: string; phone: string }): Promise<string> {
  const how = plain(await chat.say(optionNumber(await chat.say(words.cart), words.checkOut)));
  await chat.say(optionNumber(how, words.pickUp));
  await chat.say(who.name);
  await chat.say(who.phone);
  return chat.say(optionNumber(plain(await chat.say(words.skip)), words.confirm));
}
