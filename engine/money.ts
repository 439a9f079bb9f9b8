import currencyCodes from 'currency-codes';
import { VitrineError } from './errors.ts';

/**
 * An amount of money: integer minor units (cents, centavos, sen …) and an ISO 4217 code.
 *
 * @example
 * ```ts
 * const price: Money = { minor: 1250, currency: 'BRL' }; // R$ 12,50
 * ```
 */
export interface Money {
  readonly minor: number;
  readonly currency: string;
}

/**
 * Whether `code` is an active ISO 4217 currency code.
 *
 * @example
 * ```ts
 * isCurrency('MXN'); // true
 * isCurrency('XYZ'); // false
 * ```
 */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && currencyCodes.code(code) !== undefined;
}

/**
 * The number of minor-unit digits of a currency per ISO 4217 (BRL 2, JPY 0, IDR 2).
 *
 * @example
 * ```ts
 * currencyExponent('GBP'); // 2
 * ```
 */
export function currencyExponent(currency: string): number {
  const entry = currencyCodes.code(currency);
  if (!entry) throw new VitrineError('VT_ERR_CURRENCY_UNKNOWN', `"${currency}" is not an ISO 4217 currency code`, { context: { currency } });
  return entry.digits;
}

/**
 * Parses a price written by a person ("12.50", 12.5, "15000") into integer minor
 * units, exactly (no floating point). Rejects negatives, non-numbers and more
 * decimals than the currency has.
 *
 * @example
 * ```ts
 * parseMinorUnits('12.50', 'BRL'); // 1250
 * parseMinorUnits('15000', 'IDR'); // 1500000
 * ```
 */
export function parseMinorUnits(value: string | number, currency: string): number {
  const exponent = currencyExponent(currency);
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) {
    throw new VitrineError('VT_ERR_PRICE_INVALID', `"${text}" is not a price: expected a non-negative decimal like "12.50"`, { context: { value, currency } });
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) {
    throw new VitrineError('VT_ERR_PRICE_INVALID', `"${text}" has ${fraction.length} decimals but ${currency} has ${exponent}`, { context: { value, currency } });
  }
  const minor = Number(whole + fraction.padEnd(exponent, '0'));
  if (!Number.isSafeInteger(minor)) {
    throw new VitrineError('VT_ERR_PRICE_INVALID', `"${text}" is too large`, { context: { value, currency } });
  }
  return minor;
}

/**
 * Integer minor units written back as the decimal a person writes in a
 * catalog file (the inverse of {@link parseMinorUnits}): no symbol, no
 * grouping, a dot and the currency's decimals.
 *
 * @example
 * ```ts
 * minorToDecimal(1250, 'BRL');    // '12.50'
 * minorToDecimal(1500000, 'IDR'); // '15000.00' (IDR has 2 decimals in ISO 4217)
 * minorToDecimal(4500, 'JPY');    // '4500'
 * ```
 */
export function minorToDecimal(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const sign = minor < 0 ? '-' : '';
  return exponent === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats money for a customer's locale with `Intl`. Fraction digits follow the
 * locale's custom for the currency: amounts with no fraction in a currency
 * whose cents are not used day to day (IDR, COP) show none.
 *
 * @example
 * ```ts
 * formatMoney({ minor: 1250, currency: 'BRL' }, 'pt-BR'); // "R$ 12,50"
 * formatMoney({ minor: 1500000, currency: 'IDR' }, 'id-ID'); // "Rp 15.000"
 * ```
 */
export function formatMoney(money: Money, locale: string): string {
  const exponent = currencyExponent(money.currency);
  const key = `${locale}|${money.currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const usual = new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).resolvedOptions();
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: money.currency,
      minimumFractionDigits: usual.minimumFractionDigits,
      maximumFractionDigits: Math.max(usual.maximumFractionDigits ?? exponent, 0),
    });
    formatters.set(key, formatter);
  }
  return formatter.format(money.minor / 10 ** exponent);
}

/**
 * Formats a date and time for a locale with `Intl`.
 *
 * @example
 * ```ts
 * formatDate(new Date('2026-11-25T10:00:00Z'), 'pt-BR', 'America/Sao_Paulo'); // "25/11/2026, 07:00"
 * ```
 */
export function formatDate(date: Date, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(date);
}
