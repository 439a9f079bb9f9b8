import { e164Digits } from '../../engine/index.ts';

/**
 * The `wa.me` link that opens a WhatsApp chat with `number` (international
 * form, as in bot.yaml `channels.whatsapp.number`), with `text` prefilled in
 * the customer's message box when given. `undefined` when the number is not
 * in international form.
 *
 * @example
 * ```ts
 * waMeLink('+44 20 7946 0000', 'Hi! #corner-bakery'); // 'https://wa.me/442079460000?text=Hi!%20%23corner-bakery'
 * ```
 */
export function waMeLink(number: string, text?: string): string | undefined {
  const digits = e164Digits(number);
  if (digits === undefined) return undefined;
  return text ? `https://wa.me/${digits}?text=${encodeURIComponent(text)}` : `https://wa.me/${digits}`;
}
