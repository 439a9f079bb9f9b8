import { checkBot, type BotCheckContext } from '../config/check-bot.ts';
import type { LoadedBot } from '../config/load-bot.ts';
import { ConfigError } from '../config/problems.ts';
import { VitrineError } from '../errors.ts';
import { IntentMatcher, type DetectedIntent } from '../flow/intents.ts';
import type { InboundMessage } from '../messages.ts';

/**
 * The loaded bots: each is checked against flows, steps, texts, payment
 * providers and channels when added (a problem is a {@link ConfigError}),
 * and gets an intent matcher for its languages.
 *
 * @example
 * ```ts
 * const registry = new BotRegistry({ flows, steps, i18n, paymentProviders: ['record'] });
 * registry.add(bot);
 * registry.get('directory').runtime.currency;
 * ```
 */
export class BotRegistry {
  readonly bots = new Map<string, LoadedBot>();
  private readonly matchers = new Map<string, IntentMatcher>();

  constructor(private readonly deps: BotCheckContext) {}

  /** Adds or replaces a bot. */
  add(bot: LoadedBot): void {
    this.deps.i18n.setBotTexts(bot.runtime.id, bot.texts);
    const problems = checkBot(bot, this.deps);
    if (problems.length > 0) throw new ConfigError(problems);
    this.bots.set(bot.runtime.id, bot);
    this.matchers.set(bot.runtime.id, new IntentMatcher(this.deps.i18n, bot.runtime.locales));
  }

  /** A loaded bot; throws `VT_ERR_BOT_UNKNOWN` for another id. */
  get(botId: string): LoadedBot {
    const bot = this.bots.get(botId);
    if (!bot) throw new VitrineError('VT_ERR_BOT_UNKNOWN', `No bot "${botId}" is loaded (loaded: ${[...this.bots.keys()].join(', ')})`);
    return bot;
  }

  /** The intent matcher of a loaded bot. */
  intents(botId: string): IntentMatcher {
    const matcher = this.matchers.get(botId);
    if (!matcher) throw new VitrineError('VT_ERR_BOT_UNKNOWN', `Bot ${botId} is not loaded`);
    return matcher;
  }
}

/**
 * The locale a new conversation starts in: the language of a greeting or a
 * language word, else the channel's hint about the customer, matched to the
 * bot's locales (exactly, then by language).
 *
 * @example
 * ```ts
 * firstLocale(bot, message, registry.intents(bot.runtime.id).match('olá')); // 'pt-BR'
 * ```
 */
export function firstLocale(bot: LoadedBot, message: InboundMessage, detected: DetectedIntent | undefined): string | undefined {
  if (detected && (detected.intent === 'greeting' || detected.intent === 'language')) return detected.locale;
  const hint = message.customer.locale;
  if (!hint) return undefined;
  const locales = bot.runtime.locales;
  return locales.find((l) => l.toLowerCase() === hint.toLowerCase()) ?? locales.find((l) => l.split('-')[0] === hint.split(/[-_]/)[0]);
}
