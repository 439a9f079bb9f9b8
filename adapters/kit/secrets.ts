import { timingSafeEqual } from 'node:crypto';

/**
 * Compares a secret someone sent with the expected one in constant time: the
 * one comparison of Vitrine for webhook signatures, channel secret tokens and
 * API keys. False when `given` is not a string or the lengths differ.
 *
 * @example
 * ```ts
 * if (!safeEqual(request.headers['x-telegram-bot-api-secret-token'], secretToken)) throw new VitrineError('VT_ERR_WEBHOOK_SIGNATURE');
 * ```
 */
export function safeEqual(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
