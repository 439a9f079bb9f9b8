import { VitrineError } from '../../engine/index.ts';

/**
 * Which pages may open the web chat socket: a list of origins
 * (`https://shop.example.com`), or `'same-host'` (an origin whose host is the
 * one the request was sent to: the server's own page, in development).
 */
export type WebchatOrigins = readonly string[] | 'same-host';

/**
 * The origins the web chat accepts: the origin of `PUBLIC_URL` and those of
 * `WEBCHAT_ORIGINS` (comma-separated); `'same-host'` when neither is set.
 * Throws `VT_ERR_CONFIG_INVALID` for an entry that is not an http(s) URL.
 *
 * @example
 * ```ts
 * webchatOrigins({ PUBLIC_URL: 'https://shop.example.com/', WEBCHAT_ORIGINS: 'https://widget.example.org' });
 * // ['https://shop.example.com', 'https://widget.example.org']
 * webchatOrigins({}); // 'same-host'
 * ```
 */
export function webchatOrigins(vars: Readonly<Record<string, string | undefined>>): WebchatOrigins {
  const listed = [vars['PUBLIC_URL'], ...(vars['WEBCHAT_ORIGINS'] ?? '').split(',')].map((s) => s?.trim() ?? '').filter((s) => s !== '');
  if (listed.length === 0) return 'same-host';
  return [...new Set(listed.map((entry) => {
    try {
      const url = new URL(entry);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
    } catch {
      // Reported below.
    }
    throw new VitrineError('VT_ERR_CONFIG_INVALID', `WEBCHAT_ORIGINS/PUBLIC_URL entry ${JSON.stringify(entry)}: must be an http(s) origin such as https://shop.example.com`, { context: { variable: 'WEBCHAT_ORIGINS' } });
  }))];
}

/**
 * Whether a socket request with this `Origin` header may open the web chat. A
 * request without `Origin` (not sent by a browser: an app, a script) is
 * accepted; browsers always send it, so a page of another site is refused.
 *
 * @example
 * ```ts
 * originAllowed('https://evil.example', 'shop.example.com', ['https://shop.example.com']); // false
 * originAllowed('http://localhost:3000', 'localhost:3000', 'same-host'); // true
 * ```
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: WebchatOrigins): boolean {
  if (origin === undefined) return true;
  if (allowed !== 'same-host') return allowed.includes(origin);
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
