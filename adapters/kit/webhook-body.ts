import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Largest webhook body accepted (1 MiB); larger ones get 413. */
export const MAX_WEBHOOK_BODY = 1_048_576;

const rawBodies = new WeakMap<FastifyRequest, Buffer>();

/**
 * Makes the JSON bodies of a route plugin's requests parsed from a kept raw
 * buffer (for signature checks), within the plugin only. Invalid JSON is a 400,
 * a body over `MAX_WEBHOOK_BODY` a 413. Also sets `request.rawBody`, which the
 * server's own parser sets too.
 *
 * @example
 * ```ts
 * const routes: FastifyPluginAsync = async (app) => {
 *   jsonBodyParser(app);
 *   app.post('/hook', async (request) => verify(rawBodyOf(request)));
 * };
 * ```
 */
export function jsonBodyParser(app: FastifyInstance): void {
  if (app.hasContentTypeParser('application/json')) app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: MAX_WEBHOOK_BODY }, (request, body, done) => {
    const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
    rawBodies.set(request, raw);
    Object.assign(request, { rawBody: raw });
    try {
      done(null, raw.length === 0 ? null : (JSON.parse(raw.toString('utf8')) as unknown));
    } catch {
      done(Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
}

/**
 * The raw body of a request, as kept by {@link jsonBodyParser} or by the
 * server's parser (`request.rawBody`); undefined when neither kept it.
 *
 * @example
 * ```ts
 * const raw = rawBodyOf(request); if (!raw) return reply.code(400).send();
 * ```
 */
export function rawBodyOf(request: FastifyRequest): Buffer | undefined {
  const kept = rawBodies.get(request);
  if (kept) return kept;
  const fromServer: unknown = (request as { rawBody?: unknown }).rawBody;
  if (Buffer.isBuffer(fromServer)) return fromServer;
  return typeof fromServer === 'string' ? Buffer.from(fromServer) : undefined;
}

/**
 * Compares two secrets in constant time (false when lengths differ).
 *
 * @example
 * ```ts
 * if (!safeEqual(request.headers['x-secret'], expected)) return reply.code(401).send();
 * ```
 */
export function safeEqual(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
