import type { I18n } from '../i18n/create-i18n.ts';
import { languageOf } from '../i18n/locale-tags.ts';
import { GLOBAL_INTENTS, type GlobalIntent } from './flow-schema.ts';
import type { ChoiceOption } from '../messages.ts';

/**
 * Lower-cases, strips accents and punctuation and folds spaces, so "Olá!" and
 * "ola" compare equal.
 *
 * @example
 * ```ts
 * normalizeText('  Pão de Queijo! '); // 'pao de queijo'
 * ```
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s/+-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What a customer's words mean outside any step. */
export type DetectedIntent =
  | { intent: Exclude<GlobalIntent, 'language'> }
  | { intent: 'language'; locale: string }
  /** `regional` when the words belong to one country's variant ("qué onda" is Mexican, "hola" is Spanish). */
  | { intent: 'greeting'; locale: string; regional: boolean };

/**
 * Recognises global intents ("help", "ajuda", "/start", "English please") in
 * any of the locales with texts: the words live in each locale's texts under
 * `intents.<name>` and `languages.<language>`, separated by `|`, and a polite
 * word after them (`words.polite`: "please", "por favor" …) is ignored.
 */
export class IntentMatcher {
  private readonly phrases = new Map<string, DetectedIntent>();
  /** Phrases of several words that mean their intent anywhere in a short message ("quero *falar com um atendente* agora"). */
  private readonly inside: { words: string[]; intent: DetectedIntent }[] = [];
  private readonly polite: readonly string[];

  constructor(i18n: I18n, botLocales: readonly string[]) {
    this.polite = i18n.words().polite.map(normalizeText).filter(Boolean);
    for (const lng of i18n.locales) {
      const t = i18n.instance.getFixedT(lng);
      for (const intent of [...GLOBAL_INTENTS.filter((i) => i !== 'language'), 'greeting'] as const) {
        for (const phrase of this.words(t(`intents.${intent}`, { defaultValue: '' }))) {
          if (intent === 'greeting') {
            const locale = pickLocale(lng, botLocales);
            if (locale && !this.phrases.has(phrase)) this.phrases.set(phrase, { intent, locale, regional: languageOf(lng) !== lng.toLowerCase() });
          } else if (!this.phrases.has(phrase)) {
            this.phrases.set(phrase, { intent });
            if (INTENTS_INSIDE.has(intent) && phrase.includes(' ')) this.inside.push({ words: phrase.split(' '), intent: { intent } });
          }
        }
      }
      for (const target of botLocales) {
        for (const phrase of this.words(t(`languages.${languageKey(target)}`, { defaultValue: '' }))) {
          if (!this.phrases.has(phrase)) this.phrases.set(phrase, { intent: 'language', locale: target });
        }
      }
    }
    for (const target of botLocales) this.phrases.set(`/lang ${target.toLowerCase()}`, { intent: 'language', locale: target });
  }

  private words(list: string): string[] {
    return list.split('|').map(normalizeText).filter(Boolean);
  }

  /**
   * The intent of a whole message, if it is one; or, for a short message
   * (at most {@link INSIDE_MAX_WORDS} words), of a phrase of several words
   * inside it whose intent may be said that way ({@link INTENTS_INSIDE}).
   */
  match(text: string): DetectedIntent | undefined {
    const normalized = normalizeText(text);
    const exact = this.phrases.get(normalized);
    if (exact) return exact;
    const polite = this.polite.find((word) => normalized.endsWith(` ${word}`));
    const politely = polite ? this.phrases.get(normalized.slice(0, -polite.length - 1)) : undefined;
    if (politely) return politely;
    const words = normalized.split(' ');
    if (words.length > INSIDE_MAX_WORDS) return undefined;
    return this.inside.find((p) => containsRun(words, p.words))?.intent;
  }
}

/**
 * Intents a customer says in a sentence of their own ("quero falar com um
 * atendente", "can I speak to someone please"): their phrases of two words
 * or more count inside a message. Others ("cart", "help") count only as the
 * whole message, so that a search for "cart wheels" stays a search.
 */
const INTENTS_INSIDE: ReadonlySet<string> = new Set(['human']);

/** The longest message a phrase is looked for inside: a longer one says something else too. */
const INSIDE_MAX_WORDS = 12;

/** Whether `words` holds `run` as consecutive words. */
function containsRun(words: readonly string[], run: readonly string[]): boolean {
  for (let i = 0; i + run.length <= words.length; i++) if (run.every((w, j) => words[i + j] === w)) return true;
  return false;
}

/** The key under `languages.` for a locale (`es-MX` → `es`, `pt-BR` → `pt`). */
const languageKey = languageOf;

/** The bot locale that serves a text language (`es` → the bot's first Spanish locale). */
export function pickLocale(lng: string, botLocales: readonly string[]): string | undefined {
  return botLocales.find((l) => l.toLowerCase() === lng.toLowerCase()) ?? botLocales.find((l) => languageKey(l) === languageKey(lng));
}

/**
 * Which offered option a typed answer picks: its number (when numbering is on)
 * or its label, ignoring case and accents, and then spaces and hyphens too
 * ("checkout", "check-out" → "Check out") when that leaves one option only.
 *
 * @example
 * ```ts
 * resolveChoice('2', [{ id: 'a', label: 'Tacos' }, { id: 'b', label: 'Tortas' }], true)?.id; // 'b'
 * resolveChoice('tortas', options, false)?.id; // 'b'
 * resolveChoice('checkout', [{ id: 'pay', label: 'Check out' }], false)?.id; // 'pay'
 * ```
 */
export function resolveChoice(text: string, options: readonly ChoiceOption[], numbered: boolean): ChoiceOption | undefined {
  const normalized = normalizeText(text);
  if (numbered && /^\d{1,3}$/.test(normalized)) return options[Number(normalized) - 1];
  const exact = options.find((o) => normalizeText(o.label) === normalized);
  if (exact) return exact;
  const compact = compactText(normalized);
  if (compact === '') return undefined;
  const close = options.filter((o) => compactText(normalizeText(o.label)) === compact);
  return close.length === 1 ? close[0] : undefined;
}

/** Normalized text without its spaces and hyphens, so "check out", "check-out" and "checkout" compare equal. */
function compactText(normalized: string): string {
  return normalized.replace(/[\s-]+/g, '');
}
