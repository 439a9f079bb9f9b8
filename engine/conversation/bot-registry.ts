import { checkBot, type BotCheckContext } from '../config/check-bot.ts';
import type { LoadedBot } from '../config/load-bot.ts';
import { ConfigError, type ConfigProblem } from '../config/problems.ts';
import type { FlowDefinition } from '../flow/flow-schema.ts';
import { VitrineError } from '../errors.ts';
import { businessLinkSlugs } from '../flow/business-link.ts';
import { languageOf } from '../i18n/locale-tags.ts';
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

  /**
   * Adds or replaces a bot. A bot with problems is a {@link ConfigError} and
   * changes nothing: the running version, texts included, stays.
   */
  add(bot: LoadedBot): void {
    const { i18n } = this.deps;
    const id = bot.runtime.id;
    i18n.setBotTexts(id, bot.texts);
    const problems = this.problemsOf(bot, this.deps.flows);
    if (problems.length > 0) {
      i18n.setBotTexts(id, this.bots.get(id)?.texts ?? {});
      throw new ConfigError(problems);
    }
    this.bots.set(id, bot);
    this.matchers.set(id, new IntentMatcher(i18n, bot.runtime.locales));
  }

  /** The problems of the loaded bots that run `flow` if it replaced the flow of its id (their texts, their channels' limits). */
  checkFlow(flow: FlowDefinition): ConfigProblem[] {
    const flows = new Map(this.deps.flows);
    flows.set(flow.id, flow);
    return [...this.bots.values()].filter((bot) => bot.spec.flow === flow.id).flatMap((bot) => this.problemsOf(bot, flows));
  }

  private problemsOf(bot: LoadedBot, flows: ReadonlyMap<string, FlowDefinition>): ConfigProblem[] {
    return checkBot(bot, { ...this.deps, flows });
  }

  /** A loaded bot, or `undefined` for another id. */
  find(botId: string): LoadedBot | undefined {
    return this.bots.get(botId);
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
 * language word, else the channel's hint about the customer, else the language
 * of the business a link's first message names (`#<slug>`: a `wa.me` link's
 * message is written in its business's language), matched to the bot's
 * locales (exactly, then by language). A greeting every country of a
 * language says ("hola") keeps the hint's country (es-CO stays es-CO); a
 * country's own greeting ("qué onda") picks that country.
 *
 * @example
 * ```ts
 * firstLocale(bot, message, registry.intents(bot.runtime.id).match('olá')); // 'pt-BR'
 * ```
 */
export function firstLocale(bot: LoadedBot, message: InboundMessage, detected: DetectedIntent | undefined): string | undefined {
  const hinted = hintedLocale(bot.runtime.locales, message.customer.locale);
  if (detected?.intent === 'greeting' && !detected.regional && hinted && languageOf(hinted) === languageOf(detected.locale)) return hinted;
  if (detected && (detected.intent === 'greeting' || detected.intent === 'language')) return detected.locale;
  if (hinted) return hinted;
  if (message.kind !== 'text') return undefined;
  const linked = businessLinkSlugs(message.text).map((slug) => bot.businesses.find((b) => b.slug === slug)).find((b) => b !== undefined);
  return linked ? hintedLocale(bot.runtime.locales, linked.locale) : undefined;
}

/** The bot locale a tag names (a channel's hint about the customer, a business's locale): exactly, else by language. */
function hintedLocale(locales: readonly string[], hint: string | undefined): string | undefined {
  if (!hint) return undefined;
  return locales.find((l) => l.toLowerCase() === hint.toLowerCase()) ?? locales.find((l) => languageOf(l) === languageOf(hint));
}
