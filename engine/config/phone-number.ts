/**
 * The digits of a phone number written in international form (E.164): a
 * "+", then 8 to 15 digits, which may be grouped by spaces, dots, dashes or
 * parentheses. `undefined` for anything else (a local number without "+",
 * letters).
 *
 * @example
 * ```ts
 * e164Digits('+55 (11) 99999-0000'); // '5511999990000'
 * e164Digits('011 99999-0000');      // undefined
 * ```
 */
export function e164Digits(number: string): string | undefined {
  const trimmed = number.trim();
  if (!/^\+[\d\s().-]+$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  return /^[1-9]\d{7,14}$/.test(digits) ? digits : undefined;
}
