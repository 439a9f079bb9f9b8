import { describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { businessLinkMessage, businessLinkSlugs } from '../../engine/index.ts';
import { onEachDatabase, type TestRuntime } from '../support/test-runtime.ts';
import { plain } from '../support/text.ts';

describe('the mark of a business link', () => {
  it('is a kebab-case slug after "#", anywhere in the message', () => {
    expect(businessLinkSlugs('Olá! Quero comprar na loja Padaria São Jorge. #padaria-sao-jorge')).toEqual(['padaria-sao-jorge']);
    expect(businessLinkSlugs('#warung-bu-sri, please')).toEqual(['warung-bu-sri']);
    expect(businessLinkSlugs('no mark here')).toEqual([]);
    expect(businessLinkSlugs('C# or #Hashtag or a#b')).toEqual([]);
    expect(businessLinkMessage("Hi! I'd like to shop at Corner Bakery. ", 'corner-bakery')).toBe("Hi! I'd like to shop at Corner Bakery. #corner-bakery");
  });
});

let rt: TestRuntime;
onEachDatabase((runtime) => {
  rt = runtime;
}, () => {
  describe('a business link\'s first message', () => {
    it('opens a new conversation of the directory bot at that business, in the business\'s language', async () => {
      // A wa.me link's prefilled text: no locale hint comes with it.
      const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'link-new' });
      const reply = plain(await chat.say('Olá! Quero comprar na loja Padaria São Jorge. #padaria-sao-jorge'));
      expect(reply).toContain('Boas-vindas à loja Padaria São Jorge (São Paulo)!');
      expect(reply).toContain('Pães');
      // The conversation is at the business's catalog: the first category lists its breads.
      expect(plain(await chat.say('1'))).toContain('Pão francês');
    });

    it('moves a customer who is shopping elsewhere to the linked business, keeping their language', async () => {
      const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'link-switch', locale: 'en' });
      await chat.say('hi');
      await chat.say('taqueria el guero');
      expect(plain(await chat.say('1'))).toContain('Taquería El Güero');
      const reply = plain(await chat.say("Hi! I'd like to shop at Warung Makan Bu Sri. #warung-bu-sri"));
      expect(reply).toContain('Welcome to Warung Makan Bu Sri (Jakarta)!');
      expect(reply).not.toContain('Taquería');
    });

    it('selects nothing when the mark names no business of the bot', async () => {
      const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'link-unknown', locale: 'en' });
      await chat.say('hi');
      const reply = plain(await chat.say('Hi! #no-such-shop'));
      expect(reply).not.toMatch(/Welcome to .+\(/);
      // Another bot's business is not this bot's either.
      expect(plain(await chat.say('#corner-bakery'))).not.toContain('Welcome to Corner Bakery');
    });

    it('opens a single-shop bot at its shop', async () => {
      const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'link-shop', locale: 'en-GB' });
      const reply = plain(await chat.say("Hi! I'd like to shop at Corner Bakery. #corner-bakery"));
      expect(reply).toContain('Welcome to Corner Bakery (London)!');
      expect(reply).toContain('Bread');
    });
  });
});
