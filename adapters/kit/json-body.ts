import type { FastifyInstance, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { VitrineError } from '../../engine/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a JSON body, before parsing (kept by {@link jsonBodyParser} for signature checks). */
    rawBody?: Buffer;
  }
}

/** Largest JSON body accepted (1 MiB); larger ones get 413. */
export const MAX_WEBHOOK_BODY = 1_048_576;

/** Options of {@link jsonBodyParser}. */
export interface JsonBodyOptions {
  /** Largest body in bytes (default {@link MAX_WEBHOOK_BODY}); a route's own `bodyLimit` still applies. */
  bodyLimit?: number;
}

/**
 * Parses JSON text, dropping `__proto__` keys so a body can never reach an
 * object's prototype (`secure-json-parse`, Fastify's own: it looks for such
 * keys only in text that contains them, where a reviver visits every value).
 *
 * @example
 * ```ts
 * parseJsonText('{"a":1,"__proto__":{"x":1}}'); // { a: 1 }
 * ```
 */
export function parseJsonText(text: string): unknown {
  return secureJson.parse(text, undefined, { protoAction: 'remove', constructorAction: 'ignore' });
}

/**
 * The one `application/json` parser of Vitrine, used by the server and by
 * every channel's routes: it keeps the exact bytes as `request.rawBody` (for
 * signature checks) and parses them. An empty body is a 400
 * (`VT_ERR_BODY_EMPTY`), invalid JSON a 400 (`VT_ERR_BODY_INVALID_JSON`), a body
 * over the limit a 413 (`VT_ERR_BODY_TOO_LARGE`, from the error handler); `__proto__` keys are dropped. Registered on a plugin,
 * it applies within that plugin only.
 *
 * @example
 * ```ts
 * const routes: FastifyPluginAsync = async (app) => {
 *   jsonBodyParser(app);
 *   app.post('/hook', async (request) => verify(rawBodyOf(request)));
 * };
 * ```
 */
export function jsonBodyParser(app: FastifyInstance, options: JsonBodyOptions = {}): void {
  if (app.hasContentTypeParser('application/json')) app.removeContentTypeParser('application/json');
  const bodyLimit = options.bodyLimit ?? MAX_WEBHOOK_BODY;
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, body, done) => {
    const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
    request.rawBody = raw;
    if (raw.length === 0) {
      done(new VitrineError('VT_ERR_BODY_EMPTY'), undefined);
      return;
    }
    try {
      done(null, parseJsonText(raw.toString('utf8')));
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      done(new VitrineError('VT_ERR_BODY_INVALID_JSON', `The body is not valid JSON (${detail})`), undefined);
    }
  });
}

/**
 * The raw body of a request as {@link jsonBodyParser} kept it; undefined when
 * the request had no JSON body.
 *
 * @example
 * ```ts
 * const raw = rawBodyOf(request); if (!raw) throw new VitrineError('VT_ERR_WEBHOOK_SIGNATURE');
 * ```
 */
export function rawBodyOf(request: FastifyRequest): Buffer | undefined {
  return request.rawBody;
}
