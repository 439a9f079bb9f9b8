import type { ChannelCapabilities, ChoiceMessage } from '../../engine/index.ts';

/** A reply button: the option id it sends back and its visible title. */
export interface DegradedButton {
  id: string;
  title: string;
}

/** A list row. When the label was too long for a row title, `description` holds it in full. */
export interface DegradedRow {
  id: string;
  title: string;
  description?: string;
}

/**
 * How a choice fits a channel: buttons, a list, or numbered text the customer
 * answers by typing a number (the engine resolves numbers typed back).
 */
export type DegradedChoice =
  | { mode: 'buttons'; text: string; buttons: DegradedButton[] }
  | { mode: 'list'; text: string; button: string; rows: DegradedRow[] }
  | { mode: 'text'; text: string };

/** Limits that are not part of {@link ChannelCapabilities} but shape a choice. */
export interface DegradeLimits {
  /** Longest list row description, in characters (default 72). */
  maxRowDescription?: number;
  /** Longest label of the button that opens a list (default 20). */
  maxListButton?: number;
  /** Longest question text an interactive message may carry (default: `maxTextLength`). */
  maxBody?: number;
  /** The list button's label when the choice has none or it is too long (default `Options`). */
  defaultListButton?: string;
}

/** Length in user-perceived characters (code points), as platforms count them. */
export function charLength(text: string): number {
  return [...text].length;
}

/**
 * Shortens `text` to at most `max` characters, ending with `…` when cut.
 * Only for text whose full version is shown elsewhere.
 *
 * @example
 * ```ts
 * shorten('Pão de forma caseiro integral', 24); // 'Pão de forma caseiro in…'
 * ```
 */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 1) return chars.slice(0, Math.max(0, max)).join('');
  return `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/**
 * Numbered text for a choice: `1. Label (description)` per line, or `• Label`
 * lines when the step expects a number of its own (`numbered: false`). The
 * question is its `textWhenNumbered` when it has one (it may ask for a number).
 *
 * @example
 * ```ts
 * numberedText({ kind: 'choice', text: 'Pick one:', textWhenNumbered: 'Pick one, by its number:', options: [{ id: 'a', label: 'Apples' }] });
 * // 'Pick one, by its number:\n1. Apples'
 * ```
 */
export function numberedText(message: ChoiceMessage): string {
  const lines = message.options.map((o, i) => {
    const detail = o.description ? ` (${o.description})` : '';
    return message.numbered === false ? `• ${o.label}${detail}` : `${i + 1}. ${o.label}${detail}`;
  });
  const question = message.numbered === false ? message.text : (message.textWhenNumbered ?? message.text);
  return [question, ...lines].join('\n');
}

/**
 * Fits a choice into a channel's capabilities, never losing an option and never
 * cutting a label silently:
 * 1. buttons, when there are at most `maxButtons` options and every label fits `maxButtonTitle`;
 * 2. else a list, when there are at most `maxListRows` options; a label longer than
 *    `maxListRowTitle` gets a shortened title and keeps its full text in the row description;
 * 3. else numbered text.
 *
 * @example
 * ```ts
 * const fit = degradeChoice(choice, WHATSAPP_CAPABILITIES, { maxRowDescription: 72, maxBody: 1024 });
 * if (fit.mode === 'buttons') sendButtons(fit.text, fit.buttons);
 * else if (fit.mode === 'list') sendList(fit.text, fit.button, fit.rows);
 * else sendText(fit.text);
 * ```
 */
export function degradeChoice(message: ChoiceMessage, caps: ChannelCapabilities, limits: DegradeLimits = {}): DegradedChoice {
  const maxBody = limits.maxBody ?? caps.maxTextLength;
  const maxDescription = limits.maxRowDescription ?? 72;
  const maxListButton = limits.maxListButton ?? 20;
  const options = message.options;
  const bodyFits = message.text.trim() !== '' && charLength(message.text) <= maxBody;

  if (bodyFits && options.length > 0 && options.length <= caps.maxButtons
    && options.every((o) => o.label.trim() !== '' && charLength(o.label) <= caps.maxButtonTitle)) {
    return { mode: 'buttons', text: message.text, buttons: options.map((o) => ({ id: o.id, title: o.label })) };
  }

  if (bodyFits && options.length > 0 && options.length <= caps.maxListRows && caps.maxListRowTitle > 1) {
    const rows: DegradedRow[] = [];
    for (const o of options) {
      if (o.label.trim() === '') break;
      if (charLength(o.label) <= caps.maxListRowTitle) {
        if (o.description !== undefined && charLength(o.description) > maxDescription) break;
        rows.push({ id: o.id, title: o.label, ...(o.description ? { description: o.description } : {}) });
        continue;
      }
      // The title is cut, so the description carries the full label (and the old description when both fit).
      if (charLength(o.label) > maxDescription) break;
      const both = o.description ? `${o.label} · ${o.description}` : o.label;
      rows.push({ id: o.id, title: shorten(o.label, caps.maxListRowTitle), description: charLength(both) <= maxDescription ? both : o.label });
    }
    if (rows.length === options.length) {
      const wanted = message.buttonLabel ?? limits.defaultListButton ?? 'Options';
      const button = charLength(wanted) <= maxListButton ? wanted : shorten(limits.defaultListButton ?? 'Options', maxListButton);
      return { mode: 'list', text: message.text, button, rows };
    }
  }

  return { mode: 'text', text: numberedText(message) };
}
