import type { I18n } from '../i18n/create-i18n.ts';
import type { FlowDefinition } from '../flow/flow-schema.ts';
import { flowTextKeys } from '../flow/load-flows.ts';
import type { StepRegistry } from '../flow/step.ts';
import { parseSource, type ConfigProblem } from './problems.ts';
import type { LoadedBot } from './load-bot.ts';
import { readFileSync } from 'node:fs';
import type { ChannelCapabilities } from '../channel.ts';
import { e164Digits } from './phone-number.ts';
import type { PaymentProviderOff } from '../payments/payment-provider-descriptor.ts';
import { paymentMethodProblems, type OfferedPaymentMethods } from '../payments/payment-methods.ts';
import { OPENING_HOURS_TEXT_KEYS } from '../catalog/opening-hours.ts';

/** Texts the engine itself says, whatever the flow. */
export const ENGINE_TEXT_KEYS = [
  'common.help', 'common.helpHint', 'common.notUnderstood', 'common.error', 'common.languageChanged', 'common.flowUpdated',
  'common.unsupported', 'links.opened', 'nav.options', 'cart.orderImported', 'cart.orderSkipped', 'cart.orderNeedsShop',
  ...OPENING_HOURS_TEXT_KEYS,
];

/** What a bot is checked against. */
export interface BotCheckContext {
  flows: ReadonlyMap<string, FlowDefinition>;
  steps: StepRegistry;
  i18n: I18n;
  /** Ids of the payment providers available. */
  paymentProviders: readonly string[];
  /** Providers that exist but are off here, each with the environment variables it reads and what to do instead. */
  paymentProvidersOff?: Readonly<Record<string, PaymentProviderOff>>;
  /** The methods each provider offers, by provider id, for bots that choose them per country (`payments.methods`). */
  paymentMethods?: Readonly<Record<string, OfferedPaymentMethods | undefined>>;
  /** The methods each provider can show in the chat as a code, by provider id (`payments.inChat`). */
  paymentInChat?: Readonly<Record<string, readonly string[] | undefined>>;
  /** Capabilities of the channels adapters exist for, by channel name. */
  channels?: ReadonlyMap<string, ChannelCapabilities>;
}

/** How many options a channel can show in one choice (numbered text shows any number). */
export function maxShowableOptions(caps: ChannelCapabilities): number {
  return caps.numberedFallback ? Number.POSITIVE_INFINITY : Math.max(caps.maxButtons, caps.maxListRows);
}

/**
 * Checks a loaded bot against what it refers to: its flow exists, its payment
 * provider is configured, and every text its flow and the engine need exists
 * in every one of its locales (in the defaults or the bot's own texts).
 *
 * @example
 * ```ts
 * const problems = checkBot(bot, { flows, steps, i18n, paymentProviders: ['record'] });
 * problems.forEach((p) => console.error(formatProblem(p)));
 * ```
 */
export function checkBot(bot: LoadedBot, ctx: BotCheckContext): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const src = parseSource(bot.file, readFileSync(bot.file, 'utf8'));
  const at = (path: (string | number)[], message: string): ConfigProblem =>
    'problems' in src ? { file: bot.file, path: path.join('.'), message } : src.problem(path, message);
  const flow = ctx.flows.get(bot.spec.flow);
  if (!flow) {
    problems.push(at(['flow'], `unknown flow "${bot.spec.flow}": expected one of ${[...ctx.flows.keys()].join(', ')}`));
  }
  const provider = bot.spec.payments.provider;
  if (!ctx.paymentProviders.includes(provider)) {
    const off = ctx.paymentProvidersOff?.[provider];
    problems.push(at(['payments', 'provider'], off
      ? `payment provider "${provider}" is not configured here: ${off.hint ?? `it is set up from the environment (${off.env.join(', ')}; see docs/payments.md)`}; configured: ${ctx.paymentProviders.join(', ')}`
      : `unknown payment provider "${provider}": expected one of ${ctx.paymentProviders.join(', ')}`));
  }
  const methods = bot.spec.payments.methods;
  if (methods && ctx.paymentProviders.includes(provider)) {
    const businesses = bot.businesses.map((b) => ({ name: b.name, country: b.country ?? '', currency: b.currency }));
    for (const p of paymentMethodProblems(methods, provider, ctx.paymentMethods?.[provider], businesses)) problems.push(at(['payments', 'methods', ...p.path], p.message));
  }
  // A business's own methods, checked in its own file.
  for (const b of bot.businesses) {
    if (!b.paymentMethods || !ctx.paymentProviders.includes(provider)) continue;
    const country = b.country || '*';
    const prefix = b.file === bot.file ? ['business', 'paymentMethods'] : ['paymentMethods'];
    const own = b.file === bot.file ? undefined : parseSource(b.file, readFileSync(b.file, 'utf8'));
    for (const p of paymentMethodProblems({ [country]: b.paymentMethods }, provider, ctx.paymentMethods?.[provider], [{ name: b.name, country: b.country ?? '', currency: b.currency }])) {
      const path = [...prefix, ...p.path.slice(1)];
      problems.push(own === undefined ? at(path, p.message) : 'problems' in own ? { file: b.file, path: path.join('.'), message: p.message } : own.problem(path, p.message));
    }
  }
  const inChat = bot.spec.payments.inChat ?? [];
  if (ctx.paymentProviders.includes(provider)) {
    const shown = ctx.paymentInChat?.[provider] ?? [];
    inChat.forEach((method, i) => {
      if (!shown.includes(method)) {
        problems.push(at(['payments', 'inChat', i], shown.length > 0
          ? `payment provider "${provider}" cannot show "${method}" in the chat: expected one of ${shown.join(', ')}`
          : `payment provider "${provider}" shows no payment in the chat: leave "inChat" out`));
      }
    });
  }
  const flowSrc = flow ? parseSource(flow.file, readFileSync(flow.file, 'utf8')) : undefined;
  /** A problem at a flow state's params, or at `fallback` in bot.yaml when the flow file cannot be pointed into. */
  const atState = (stateName: string, fallback: (string | number)[], message: string): ConfigProblem =>
    flowSrc && !('problems' in flowSrc) ? flowSrc.problem(['states', stateName, 'params'], message) : at(fallback, message);
  for (const [channel] of Object.entries(bot.spec.channels)) {
    const caps = ctx.channels?.get(channel);
    if (!caps || !flow) continue;
    const limit = maxShowableOptions(caps);
    for (const [stateName, state] of Object.entries(flow.states)) {
      const wanted = ctx.steps.get(state.step)?.maxOptions?.(state.params);
      if (wanted === undefined || wanted <= limit) continue;
      const message = `step "${state.step}" can offer ${wanted} options but channel "${channel}" (enabled in ${bot.file}) shows at most ${limit}: lower the step's params or give the channel a list or numbered fallback`;
      problems.push(atState(stateName, ['channels', channel], message));
    }
  }
  const number = bot.spec.channels['whatsapp']?.['number'];
  if (number !== undefined && (typeof number !== 'string' || e164Digits(number) === undefined)) {
    problems.push(at(['channels', 'whatsapp', 'number'], `bad WhatsApp number ${JSON.stringify(number)}: expected the bot's number in international form, such as "+55 11 99999-0000"`));
  }
  const orderMessages = bot.spec.channels['whatsapp']?.['orderMessages'];
  if (orderMessages !== undefined && typeof orderMessages !== 'boolean') {
    problems.push(at(['channels', 'whatsapp', 'orderMessages'], `bad orderMessages ${JSON.stringify(orderMessages)}: expected true or false (whether payment links and order changes are WhatsApp order messages)`));
  }
  const keys = [...ENGINE_TEXT_KEYS.map((key) => ({ key, state: '' })), ...(flow ? flowTextKeys(flow, ctx.steps) : [])];
  for (const locale of bot.spec.locales) {
    for (const { key, state } of keys) {
      if (ctx.i18n.has(key, locale, bot.runtime.id)) continue;
      const message = `missing translation key "${key}" for locale ${locale} (add it to the flow texts or to ${bot.dir}/texts/${locale}.yaml)`;
      problems.push(state ? atState(state, ['locales'], message) : at(['locales'], message));
    }
  }
  return problems;
}
