import { createTestConversation, type TestConversation } from '../../adapters/console/index.ts';
import type { Db, Engine, OutboundMessage } from '../../engine/index.ts';
import { optionNumber, plain } from './text.ts';

/** What {@link checkoutBrazilianCustomer} ends with. */
export interface BrazilianCheckout {
  chat: TestConversation;
  /** The checkout turn's text, as the console shows it. */
  reply: string;
  /** The payment message of the checkout. */
  link: Extract<OutboundMessage, { kind: 'paymentLink' }>;
  order: Awaited<ReturnType<Db['order']['findFirstOrThrow']>>;
}

/**
 * Walks a Brazilian customer of the demo directory to checkout over the console
 * channel: Padaria São Jorge, three pães de queijo (R$ 37,50), "Finalizar compra".
 * Throws when the checkout sends no payment message.
 *
 * @example
 * ```ts
 * const { link, order } = await checkoutBrazilianCustomer(rt.engine, rt.db, 'ana-pays');
 * ```
 */
export async function checkoutBrazilianCustomer(engine: Engine, db: Db, customerId: string): Promise<BrazilianCheckout> {
  const chat = createTestConversation(engine, { botId: 'directory', customerId, locale: 'pt-BR' });
  await chat.say('oi');
  const shop = await chat.say(optionNumber(await chat.say('padaria'), 'Padaria São Jorge'));
  await chat.say(optionNumber(await chat.say(optionNumber(shop, 'Salgados')), 'Pão de queijo'));
  await chat.say('3');
  const reply = plain(await chat.say(optionNumber(plain(await chat.say('carrinho')), 'Finalizar compra')));
  const link = chat.last.find((m): m is BrazilianCheckout['link'] => m.kind === 'paymentLink');
  if (!link) throw new Error(`no payment link in:\n${reply}`);
  const order = await db.order.findFirstOrThrow({ where: { number: link.orderNumber } });
  return { chat, reply, link, order };
}
