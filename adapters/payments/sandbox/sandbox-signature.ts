import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The header a sandbox webhook delivery carries its signature in:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 *
 * @example
 * ```ts
 * await fetch(url, { method: 'POST', headers: { [SANDBOX_SIGNATURE_HEADER]: signSandboxBody(secret, body, now) }, body });
 * ```
 */
export const SANDBOX_SIGNATURE_HEADER = 'vitrine-sandbox-signature';

const hmacHex = (secret: string, timestamp: number, body: Buffer | string): string =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

/**
 * Signs a sandbox delivery's exact bytes with the webhook secret and the time
 * it is sent, as a payment provider signs its webhooks.
 *
 * @example
 * ```ts
 * signSandboxBody('secret', '{"id":"sbxevt_1"}', new Date('2026-12-05T10:00:00Z')); // 't=1796464800,v1=…'
 * ```
 */
export function signSandboxBody(secret: string, body: Buffer | string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmacHex(secret, t, body)}`;
}

/**
 * Checks a {@link SANDBOX_SIGNATURE_HEADER} value against the raw body: the
 * HMAC must match (compared in constant time) and the timestamp be within
 * `toleranceSeconds` of `now` either way. Returns why it does not, or `undefined`.
 *
 * @example
 * ```ts
 * sandboxSignatureProblem('secret', body, header, new Date(), 300); // undefined when it is good
 * ```
 */
export function sandboxSignatureProblem(secret: string, body: Buffer, header: string, now: Date, toleranceSeconds: number): string | undefined {
  const parts = new Map(header.split(',').map((part) => [part.split('=')[0]?.trim() ?? '', part.slice(part.indexOf('=') + 1).trim()]));
  const t = parts.get('t');
  const v1 = parts.get('v1');
  if (!t || !/^\d+$/.test(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return 'The signature header is not t=<seconds>,v1=<hex>';
  if (Math.abs(Math.floor(now.getTime() / 1000) - Number(t)) > toleranceSeconds) return 'Timestamp outside the tolerance zone';
  const expected = Buffer.from(hmacHex(secret, Number(t), body), 'hex');
  return timingSafeEqual(expected, Buffer.from(v1, 'hex')) ? undefined : 'The signature does not match the body';
}
