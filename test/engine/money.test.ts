import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMoney, isCurrency, minorToDecimal, parseMinorUnits } from '../../engine/index.ts';
import { plain } from '../support/text.ts';

describe('money', () => {
  it('formats minor units for the customer locale', () => {
    expect(plain(formatMoney({ minor: 1250, currency: 'BRL' }, 'pt-BR'))).toBe('R$ 12,50');
    expect(formatMoney({ minor: 4500, currency: 'MXN' }, 'es-MX')).toBe('$45.00');
    expect(plain(formatMoney({ minor: 1_500_000, currency: 'IDR' }, 'id-ID'))).toBe('Rp 15.000');
    expect(formatMoney({ minor: 320, currency: 'GBP' }, 'en-GB')).toBe('£3.20');
    expect(plain(formatMoney({ minor: 1_200_000, currency: 'COP' }, 'es-CO'))).toBe('$ 12.000');
    expect(formatMoney({ minor: 4500, currency: 'MXN' }, 'en')).toBe('MX$45.00');
  });

  it('parses written prices exactly into minor units', () => {
    expect(parseMinorUnits('12.50', 'BRL')).toBe(1250);
    expect(parseMinorUnits('0.1', 'GBP')).toBe(10);
    expect(parseMinorUnits(3.2, 'GBP')).toBe(320);
    expect(parseMinorUnits('15000', 'IDR')).toBe(1_500_000);
    expect(parseMinorUnits('1500', 'JPY')).toBe(1500);
  });

  it('rejects prices that are not amounts of the currency', () => {
    for (const [value, currency] of [['-1', 'GBP'], ['12.505', 'GBP'], ['abc', 'BRL'], ['1.5', 'JPY'], ['1e3', 'GBP'], ['', 'GBP']] as const) {
      expect(() => parseMinorUnits(value, currency), `${value} ${currency}`).toThrow(/price|decimals/);
    }
    expect(() => parseMinorUnits('1', 'XYZ')).toThrow(/ISO 4217/);
  });

  it('knows ISO 4217 codes', () => {
    expect(isCurrency('COP')).toBe(true);
    expect(isCurrency('cop')).toBe(false);
    expect(isCurrency('XYZ')).toBe(false);
  });

  it('writes minor units back as the decimal a catalog file holds, the inverse of parsing', () => {
    expect(minorToDecimal(1250, 'BRL')).toBe('12.50');
    expect(minorToDecimal(5, 'GBP')).toBe('0.05');
    expect(minorToDecimal(4500, 'JPY')).toBe('4500');
    expect(minorToDecimal(1234567, 'KWD')).toBe('1234.567');
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.constantFrom('BRL', 'JPY', 'KWD', 'IDR', 'COP'), (minor, currency) => {
      expect(parseMinorUnits(minorToDecimal(minor, currency), currency)).toBe(minor);
    }));
  });
});
