/** What the catalogue says of one code: the HTTP status it answers with and its default message. */
export interface ErrorSpec {
  /** The HTTP status a request that fails with this code gets. */
  readonly status: number;
  /** The message used when the error is raised without one (and for every 500, whatever it says). */
  readonly message: string;
}

/**
 * The one error catalogue of Vitrine. Every error the framework throws, every
 * error an HTTP route answers and every web chat error frame or close reason
 * carries one of these stable codes, with its HTTP status and default message.
 * `docs/errors.md` lists where each appears.
 *
 * @example
 * ```ts
 * ERROR_CODES.VT_ERR_ORDER_UNKNOWN; // { status: 404, message: 'The order does not exist' }
 * try { await loadBot('bots/shop'); }
 * catch (err) { if (isVitrineError(err, 'VT_ERR_CONFIG_INVALID')) logger.error(err.message); }
 * ```
 */
export const ERROR_CODES = {
  // Configuration and flows
  VT_ERR_CONFIG_INVALID: { status: 422, message: 'A configuration file is invalid' },
  VT_ERR_FLOW_INVALID: { status: 500, message: 'A bot runs a flow that is not loaded' },
  VT_ERR_FLOW_UNKNOWN_STEP: { status: 500, message: 'A flow refers to a step that is not registered' },
  VT_ERR_FLOW_STUCK: { status: 500, message: 'A flow ran too many automatic transitions in one turn, or a step did not end in time' },
  VT_ERR_BOT_UNKNOWN: { status: 404, message: 'No bot with that id is loaded' },
  // Money, catalog, cart and orders
  VT_ERR_CURRENCY_UNKNOWN: { status: 400, message: 'Not an ISO 4217 currency code' },
  VT_ERR_PRICE_INVALID: { status: 400, message: 'A price is not a valid amount for its currency' },
  VT_ERR_CART_QUANTITY: { status: 400, message: 'A cart quantity is invalid' },
  VT_ERR_CART_EMPTY: { status: 409, message: 'The cart is empty' },
  VT_ERR_PRODUCT_UNKNOWN: { status: 404, message: 'The product does not exist or is not for sale' },
  VT_ERR_OUT_OF_STOCK: { status: 409, message: 'Not enough stock for the requested quantity' },
  VT_ERR_FULFILMENT_INVALID: { status: 409, message: 'The business does not offer that way to receive an order' },
  VT_ERR_FULFILMENT_MINIMUM: { status: 409, message: 'The order is below the business\'s minimum for delivery' },
  VT_ERR_ORDER_UNKNOWN: { status: 404, message: 'The order does not exist' },
  VT_ERR_ORDER_TRANSITION: { status: 409, message: 'The order\'s status does not allow that change' },
  VT_ERR_ORDER_PAID_BY_PROVIDER: { status: 409, message: 'The order\'s payment provider confirms its payments; the shop cannot mark it paid' },
  // Payments
  VT_ERR_PAYMENT_PROVIDER: { status: 502, message: 'The payment provider failed' },
  VT_ERR_PAYMENT_PROVIDER_UNKNOWN: { status: 500, message: 'No payment provider with that id is configured' },
  // Runtime and storage
  VT_ERR_CONVERSATION_CONFLICT: { status: 409, message: 'The conversation was changed concurrently' },
  VT_ERR_LEASE_LOST: { status: 409, message: 'Another worker took over an event whose lease ran out' },
  VT_ERR_ENGINE_STOPPED: { status: 503, message: 'The engine is stopping and admits no more events' },
  VT_ERR_JOURNAL_UNAVAILABLE: { status: 503, message: 'The message could not be kept; send it again later' },
  VT_ERR_DATABASE: { status: 500, message: 'The database could not be opened or migrated' },
  VT_ERR_DATABASE_UNAVAILABLE: { status: 503, message: 'The database does not answer' },
  VT_ERR_PORT_UNAVAILABLE: { status: 500, message: 'The server cannot listen on its port' },
  VT_ERR_INTERNAL: { status: 500, message: 'Something went wrong on our side' },
  // Channels and webhooks
  VT_ERR_CHANNEL_PAYLOAD: { status: 400, message: 'A channel payload could not be parsed' },
  VT_ERR_CHANNEL_SEND: { status: 502, message: 'A channel failed to deliver a message' },
  VT_ERR_WEBHOOK_SIGNATURE: { status: 401, message: 'The webhook signature or secret is missing or wrong' },
  VT_ERR_WEBHOOK_HANDSHAKE: { status: 403, message: 'The webhook subscription handshake was refused' },
  // Connections of socket channels (the web chat)
  VT_ERR_CHANNEL_PROTOCOL_VERSION: { status: 400, message: 'A channel client speaks a protocol version this server does not' },
  VT_ERR_CHANNEL_HELLO_REQUIRED: { status: 400, message: 'A channel connection sent a message before saying hello' },
  VT_ERR_CHANNEL_ALREADY_GREETED: { status: 409, message: 'A channel connection said hello twice' },
  VT_ERR_CHANNEL_RATE_LIMITED: { status: 429, message: 'A channel client sends too many messages or opens too many connections' },
  VT_ERR_CHANNEL_FRAME_TOO_LARGE: { status: 413, message: 'A channel message is larger than the channel accepts' },
  VT_ERR_CHANNEL_ORIGIN: { status: 403, message: 'A channel connection came from a page of a site that is not allowed' },
  VT_ERR_CHANNEL_IDLE: { status: 408, message: 'A channel connection was closed after a long silence' },
  // HTTP requests
  VT_ERR_BODY_EMPTY: { status: 400, message: 'The body is empty; send a JSON value or no Content-Type' },
  VT_ERR_BODY_INVALID_JSON: { status: 400, message: 'The body is not valid JSON' },
  VT_ERR_BODY_TOO_LARGE: { status: 413, message: 'The body is too large' },
  VT_ERR_BODY_MEDIA_TYPE: { status: 415, message: 'The body\'s Content-Type is not supported' },
  VT_ERR_REQUEST_INVALID: { status: 400, message: 'The request does not match what the route expects' },
  VT_ERR_ROUTE_UNKNOWN: { status: 404, message: 'No such route' },
  VT_ERR_MEDIA_UNKNOWN: { status: 404, message: 'No such image' },
  VT_ERR_API_KEY_INVALID: { status: 401, message: 'Send a valid API key as "Authorization: Bearer <key>"' },
  VT_ERR_API_FORBIDDEN: { status: 403, message: 'The API key may not do that' },
  VT_ERR_API_RATE_LIMITED: { status: 429, message: 'Too many requests; wait and try again' },
  // Hand-offs to a person
  VT_ERR_CONVERSATION_UNKNOWN: { status: 404, message: 'The conversation does not exist' },
  VT_ERR_HANDOFF_NOT_OPEN: { status: 409, message: 'The conversation has no open hand-off' },
} as const satisfies Record<string, ErrorSpec>;

/** A stable error code from {@link ERROR_CODES}. */
export type VitrineErrorCode = keyof typeof ERROR_CODES;

/**
 * Whether `value` is a code of the catalogue.
 *
 * @example
 * ```ts
 * isVitrineErrorCode('VT_ERR_ORDER_UNKNOWN'); // true
 * isVitrineErrorCode('FST_ERR_VALIDATION'); // false
 * ```
 */
export function isVitrineErrorCode(value: unknown): value is VitrineErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/**
 * The HTTP status a request failing with `code` answers with.
 *
 * @example
 * ```ts
 * errorStatus('VT_ERR_WEBHOOK_SIGNATURE'); // 401
 * ```
 */
export function errorStatus(code: VitrineErrorCode): number {
  return ERROR_CODES[code].status;
}

/** Options for {@link VitrineError}. */
export interface VitrineErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Where it happened: file, bot id, conversation id … */
  context?: Record<string, unknown>;
}

/**
 * The error class of Vitrine: a stable `code`, a human message (the
 * catalogue's when none is given), an optional `cause` and the `context` it
 * happened in. `statusCode` is the code's HTTP status, so even a Fastify app
 * without Vitrine's error handler answers with the right status.
 *
 * @example
 * ```ts
 * throw new VitrineError('VT_ERR_CART_QUANTITY', 'Quantity must be 1 to 99', { context: { quantity } });
 * new VitrineError('VT_ERR_ORDER_UNKNOWN').statusCode; // 404
 * ```
 */
export class VitrineError extends Error {
  override readonly name = 'VitrineError';
  readonly code: VitrineErrorCode;
  readonly context: Record<string, unknown>;

  constructor(code: VitrineErrorCode, message?: string, options: VitrineErrorOptions = {}) {
    super(message ?? ERROR_CODES[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = options.context ?? {};
  }

  /** The HTTP status of {@link code} (see {@link errorStatus}). */
  get statusCode(): number {
    return errorStatus(this.code);
  }
}

/**
 * Whether `err` is a {@link VitrineError}, optionally with the given code.
 *
 * @example
 * ```ts
 * if (isVitrineError(err, 'VT_ERR_CART_EMPTY')) reply('Your cart is empty');
 * ```
 */
export function isVitrineError(err: unknown, code?: VitrineErrorCode): err is VitrineError {
  return err instanceof VitrineError && (code === undefined || err.code === code);
}

/**
 * Turns anything thrown into a {@link VitrineError} (unknown throws become `VT_ERR_INTERNAL`).
 *
 * @example
 * ```ts
 * catch (err) { logger.error({ err: toVitrineError(err) }, 'step failed'); }
 * ```
 */
export function toVitrineError(err: unknown, context?: Record<string, unknown>): VitrineError {
  if (err instanceof VitrineError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new VitrineError('VT_ERR_INTERNAL', message, { cause: err, ...(context ? { context } : {}) });
}
