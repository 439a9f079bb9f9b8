import { businessLinkMessage, type I18n, type LoadedBot } from '../engine/index.ts';
import { pickLocale } from '../engine/flow/intents.ts';
import { botLinkPath, botsHoldingBusiness, businessLinkPath } from '../adapters/webchat/index.ts';
import { waMeLink } from '../adapters/whatsapp/index.ts';

/** A link that opens a chat: with a bot, or with one business through its bot. */
export interface ChatLink {
  botId: string;
  /** The business a business's link opens. */
  business?: { slug: string; name: string };
  /** The web chat link (`<public URL>/chat/<bot-id>` or `<public URL>/b/<business-slug>`). */
  url: string;
  /**
   * The `wa.me` link to the bot's WhatsApp number (bot.yaml
   * `channels.whatsapp.number`), with, for a business, the prefilled first
   * message that opens it; absent when the bot has no WhatsApp number.
   */
  whatsapp?: string;
  /** The first message of a business's link, in the business's language (as the `wa.me` link prefills it). */
  firstMessage?: string;
}

/** The bot's WhatsApp number in bot.yaml, when it is enabled on WhatsApp with one. */
function whatsappNumber(bot: LoadedBot): string | undefined {
  const number = bot.runtime.channels['whatsapp']?.['number'];
  return typeof number === 'string' ? number : undefined;
}

/**
 * Every chat link of the loaded bots: one per bot, then one per business of
 * each bot. A business link is `/b/<slug>`, or `/b/<slug>?bot=<id>` when
 * several bots hold that slug. The first message of a business's link is
 * written in the business's language when the bot speaks it, else in the
 * bot's default language.
 *
 * @example
 * ```ts
 * const links = chatLinks([...runtime.engine.bots.values()], runtime.i18n, 'https://shop.example.com');
 * links.find((l) => l.business?.slug === 'padaria-sao-jorge')?.url; // 'https://shop.example.com/b/padaria-sao-jorge'
 * ```
 */
export function chatLinks(bots: readonly LoadedBot[], i18n: I18n, publicUrl: string): ChatLink[] {
  const base = publicUrl.replace(/\/+$/, '');
  const byId = new Map(bots.map((bot) => [bot.runtime.id, bot]));
  return bots.flatMap((bot) => {
    const botId = bot.runtime.id;
    const number = whatsappNumber(bot);
    const botWhatsapp = number ? waMeLink(number) : undefined;
    const own: ChatLink = { botId, url: base + botLinkPath(botId), ...(botWhatsapp ? { whatsapp: botWhatsapp } : {}) };
    const businesses = bot.businesses.map((b): ChatLink => {
      const shared = botsHoldingBusiness(byId, b.slug).length > 1;
      const locale = pickLocale(b.locale, bot.runtime.locales) ?? bot.runtime.defaultLocale;
      const firstMessage = businessLinkMessage(i18n.t(botId, locale)('links.firstMessage', { name: b.name }), b.slug);
      const whatsapp = number ? waMeLink(number, firstMessage) : undefined;
      return {
        botId, business: { slug: b.slug, name: b.name }, url: base + businessLinkPath(b.slug, shared ? botId : undefined), firstMessage,
        ...(whatsapp ? { whatsapp } : {}),
      };
    });
    return [own, ...businesses];
  });
}
