import type { FastifyRequest } from 'fastify';

/** Query parameter names whose values are secrets (`hub.verify_token`, `token`, `api_key`, `secret` …). */
const SECRET_QUERY_NAME = /token|secret|key|signature|password|passwd|auth|code|session/i;

/**
 * A URL with the values of secret-looking query parameters replaced by `[redacted]`,
 * the rest untouched.
 *
 * @example
 * ```ts
 * redactUrl('/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=42');
 * // '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=[redacted]&hub.challenge=42'
 * ```
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const query = url.slice(start + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0) return pair;
    let name = pair.slice(0, eq);
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // A name that does not decode is judged as written.
    }
    return SECRET_QUERY_NAME.test(name) ? `${pair.slice(0, eq)}=[redacted]` : pair;
  });
  return `${url.slice(0, start)}?${query.join('&')}`;
}

/**
 * The pino serializer of requests in the server's logs: Fastify's fields, with
 * the URL's secret query values redacted ({@link redactUrl}).
 *
 * @example
 * ```ts
 * const app = Fastify({ loggerInstance: logger.child({}, { serializers: { req: serializeRequest } }) });
 * ```
 */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
