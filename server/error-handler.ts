import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, errorStatus, isVitrineError, VitrineError, type VitrineErrorCode } from '../engine/index.ts';

/**
 * The body of every error answer: `{ "error": { "code": "VT_ERR_…", "message": "…" } }`,
 * with the HTTP status of the code (see `docs/errors.md`).
 */
export interface ErrorResponse {
  error: { code: VitrineErrorCode; message: string };
}

/** Fastify's own request errors, as catalogue codes. */
const FASTIFY_CODES: Partial<Record<string, VitrineErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'VT_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'VT_ERR_BODY_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VT_ERR_BODY_EMPTY',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VT_ERR_BODY_INVALID_JSON',
  FST_ERR_VALIDATION: 'VT_ERR_REQUEST_INVALID',
};

function fastifyCode(err: Partial<FastifyError>): VitrineErrorCode | undefined {
  const known = err.code === undefined ? undefined : FASTIFY_CODES[err.code];
  if (known) return known;
  if (err.validation) return 'VT_ERR_REQUEST_INVALID';
  const status = err.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? 'VT_ERR_REQUEST_INVALID' : undefined;
}

/**
 * Anything a request failed with, as a {@link VitrineError}: Vitrine's own
 * errors as they are; Fastify's body, media-type and validation errors as
 * their catalogue codes; anything else as `VT_ERR_INTERNAL`.
 *
 * @example
 * ```ts
 * requestError(Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 })).code;
 * // 'VT_ERR_BODY_TOO_LARGE'
 * ```
 */
export function requestError(err: unknown): VitrineError {
  if (isVitrineError(err)) return err;
  const fastify = typeof err === 'object' && err !== null ? (err as Partial<FastifyError>) : {};
  const code = fastifyCode(fastify);
  if (code) return new VitrineError(code, typeof fastify.message === 'string' && fastify.message ? fastify.message : undefined, { cause: err });
  return new VitrineError('VT_ERR_INTERNAL', undefined, { cause: err });
}

/**
 * The status and body an error is answered with. A 500 never carries its
 * details (they go to the log): its message is the catalogue's.
 *
 * @example
 * ```ts
 * errorResponse(new VitrineError('VT_ERR_ORDER_UNKNOWN', 'No order VT-1'));
 * // { status: 404, body: { error: { code: 'VT_ERR_ORDER_UNKNOWN', message: 'No order VT-1' } } }
 * ```
 */
export function errorResponse(err: VitrineError): { status: number; body: ErrorResponse } {
  const status = errorStatus(err.code);
  const message = status === 500 ? ERROR_CODES[err.code].message : err.message;
  return { status, body: { error: { code: err.code, message } } };
}

async function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const error = requestError(err);
  const { status, body } = errorResponse(error);
  if (status >= 500) request.log.error({ err, code: error.code }, 'request failed');
  else request.log.info({ code: error.code, message: error.message }, 'request refused');
  return reply.code(status).send(body);
}

async function handleNotFound(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { status, body } = errorResponse(new VitrineError('VT_ERR_ROUTE_UNKNOWN', `No route ${request.method} ${request.url.split('?')[0] ?? ''}`));
  return reply.code(status).send(body);
}

/**
 * Vitrine's one error handler: every route of the app (the business API,
 * channel and payment webhooks, the web chat page) answers a failure with
 * the code's HTTP status and an {@link ErrorResponse}; unknown routes get
 * `VT_ERR_ROUTE_UNKNOWN`. Register it first, on the root instance; it applies
 * to every plugin registered after it. Route plugins report failures by
 * throwing a `VitrineError`.
 *
 * @example
 * ```ts
 * const app = Fastify();
 * await app.register(errorHandler);
 * await app.register(whatsappRoutes, { runtime, adapter, verifyToken, appSecret });
 * ```
 */
export const errorHandler: FastifyPluginAsync = async (app) => {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
};

// Not encapsulated (what `fastify-plugin` does): the handlers apply to the instance that registers it.
Object.assign(errorHandler, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'vitrine-error-handler' });
