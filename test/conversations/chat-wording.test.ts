import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter, createTestConversation } from '../../adapters/console/index.ts';
import { createWebchatAdapter, type WebchatMessage } from '../../adapters/webchat/index.ts';
import type { OutboundMessage } from '../../engine/index.ts';
import { createTestRuntime, onEachDatabase, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

/** "number" in each language the example bots speak. */
const NUMBER = /\b(number|número|nomor)\b/i;

/** A directory search for each of the directory bot's locales, and a shop it finds. */
const SEARCHES = [
  { locale: 'en', hello: 'hi', query: 'bakery london', shop: 'Hackney Bread Co.', asks: 'Reply with a number:' },
  { locale: 'pt-BR', hello: 'oi', query: 'padaria', shop: 'Padaria São Jorge', asks: 'Responda com um número:' },
  { locale: 'es-MX', hello: 'hola', query: 'tacos cdmx', shop: 'Taquería El Güero', asks: 'Responde con un número:' },
  { locale: 'es-CO', hello: 'hola', query: 'arepas medellín', shop: 'Arepería Doña Rosa', asks: 'Responde con un número:' },
  { locale: 'id', hello: 'halo', query: 'warung', shop: 'Warung Makan Bu Sri', asks: 'Balas dengan nomor:' },
];

let rt: TestRuntime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(() => rt?.dispose());

const webchat = createWebchatAdapter();
const consoleChannel = createConsoleAdapter();

/** What the web chat page is sent for a reply (its frames' messages). */
const onWebchat = (message: OutboundMessage, locale: string): WebchatMessage[] =>
  webchat.render(message, { locale }).flatMap((f) => (f.type === 'message' ? [f.message] : []));

describe('a question with options', () => {
  for (const { locale, hello, query, shop, asks } of SEARCHES) {
    it(`names no numbers above the web chat's buttons, and asks for one as numbered text (${locale})`, async () => {
      const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: `numbers-${locale}`, locale });
      // A greeting in the customer's own language: "hi" would switch to English.
      await chat.say(hello);
      const asText = await chat.say(query);
      const question = chat.last.find((m) => m.kind === 'choice');
      if (question?.kind !== 'choice') throw new Error(`no choice in:\n${asText}`);

      const [shown] = onWebchat(question, locale);
      expect(shown?.kind).toBe('choice');
      if (shown?.kind !== 'choice') return;
      expect(shown.text).not.toMatch(NUMBER);
      expect(shown.options.map((o) => o.label)).toContain(shop);

      // A text-only channel lists the options numbered and says to answer with a number.
      const [typed] = consoleChannel.render(question, { locale });
      expect(typed?.split('\n')[0]).toContain(asks);
      expect(optionNumber(typed ?? '', shop)).toMatch(/^\d+$/);
    });
  }
});

describe('a new order', () => {
  it('is placed, not confirmed, while it awaits payment', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'wording-placed' });
    await chat.say('hi');
    await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
    await chat.say(optionNumber(await chat.say('sausage roll'), 'Sausage roll'));
    await chat.say('2');
    const done = plain(await chat.say(optionNumber(plain(await chat.say('cart')), 'Check out')));
    const order = chat.last.find((m) => m.kind === 'orderStatus');
    expect(order).toMatchObject({ kind: 'orderStatus', status: 'awaiting_payment' });
    expect(done).toMatch(/Order VT-[A-Z0-9]{6} is placed: £6\.40/);
    expect(done).not.toMatch(/confirmed/i);
  });

  for (const locale of ['en', 'pt-BR', 'es', 'es-MX', 'es-CO', 'id']) {
    it(`is not called confirmed in ${locale} until it is paid`, () => {
      const t = rt.i18n.t('directory', locale);
      expect(t('checkout.created', { number: 'VT-1', total: '1' })).not.toMatch(/confirm|dikonfirmasi/i);
      expect(t('checkout.created', { number: 'VT-1', total: '1' })).toContain('VT-1');
    });
  }
});

let each: TestRuntime;
onEachDatabase((runtime) => {
  each = runtime;
}, () => describe('switching shops', () => {
  it('tells the customer that the items they put in the cart wait at the other shop, and how to go back', async () => {
    const chat = createTestConversation(each.engine, { botId: 'directory', customerId: 'wording-switch' });
    await chat.say('hi');
    await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
    await chat.say(optionNumber(await chat.say('sausage roll'), 'Sausage roll'));
    await chat.say('2');

    expect(await chat.say('other shop')).toContain('What are you looking for?');
    const other = await chat.say(optionNumber(await chat.say('tacos cdmx'), 'Taquería El Güero'));
    expect(plain(other)).toContain('Your cart at Hackney Bread Co. still has 2 items in it.');

    const cart = plain(await chat.say('cart'));
    expect(cart).toContain('Your cart is empty.');
    expect(cart).toContain('Your cart at Hackney Bread Co. still has 2 items in it. To go back to Hackney Bread Co., choose "Other shops" and pick it.');
    // The way back is offered.
    expect(await chat.say(optionNumber(cart, 'Other shops'))).toContain('What are you looking for?');
    const again = await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
    expect(plain(again)).not.toContain('still has');
    expect(plain(await chat.say('cart'))).toContain('2 × Sausage roll');
  });
}));
