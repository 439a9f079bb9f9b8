/**
 * The one error catalogue of Vitrine. Every error thrown by the framework is a
 * {@link VitrineError} with a stable `code`, so callers can branch on it.
 *
 * @example
 * ```ts
 * try { await loadBot('bots/shop'); }
 * catch (err) { if (isVitrineError(err, 'VT_ERR_CONFIG_INVALID')) console.error(err.message); }
 * ```
 */
export const ERROR_CODES = {
  VT_ERR_CONFIG_INVALID: 'A configuration file is invalid',
  VT_ERR_CONFIG_NOT_FOUND: 'A configuration file or folder does not exist',
  VT_ERR_FLOW_INVALID: 'A flow definition is invalid',
  VT_ERR_FLOW_UNKNOWN_STEP: 'A flow refers to a step that is not registered',
  VT_ERR_FLOW_UNKNOWN_STATE: 'A flow transition targets a state that does not exist',
  VT_ERR_FLOW_STUCK: 'A flow ran too many automatic transitions in one turn',
  VT_ERR_BOT_UNKNOWN: 'No bot with that id is loaded',
  VT_ERR_CURRENCY_UNKNOWN: 'Not an ISO 4217 currency code',
  VT_ERR_PRICE_INVALID: 'A price is not a valid amount for its currency',
  VT_ERR_CART_QUANTITY: 'A cart quantity is invalid',
  VT_ERR_CART_EMPTY: 'The cart is empty',
  VT_ERR_PRODUCT_UNKNOWN: 'The product does not exist or is not for sale',
  VT_ERR_OUT_OF_STOCK: 'Not enough stock for the requested quantity',
  VT_ERR_ORDER_UNKNOWN: 'The order does not exist',
  VT_ERR_PAYMENT_PROVIDER: 'The payment provider failed',
  VT_ERR_PAYMENT_PROVIDER_UNKNOWN: 'No payment provider with that id is configured',
  VT_ERR_CONVERSATION_CONFLICT: 'The conversation was changed concurrently',
  VT_ERR_LEASE_LOST: 'Another worker took over an event whose lease ran out',
  VT_ERR_ENGINE_STOPPED: 'The engine is stopping and admits no more events',
  VT_ERR_CHANNEL_PAYLOAD: 'A channel payload could not be parsed',
  VT_ERR_CHANNEL_SEND: 'A channel failed to deliver a message',
  VT_ERR_CHANNEL_PROTOCOL_VERSION: 'A channel client speaks a protocol version this server does not',
  VT_ERR_CHANNEL_HELLO_REQUIRED: 'A channel connection sent a message before saying hello',
  VT_ERR_CHANNEL_ALREADY_GREETED: 'A channel connection said hello twice',
  VT_ERR_CHANNEL_RATE_LIMITED: 'A channel client sends too many messages or opens too many connections',
  VT_ERR_CHANNEL_FRAME_TOO_LARGE: 'A channel message is larger than the channel accepts',
  VT_ERR_CHANNEL_IDLE: 'A channel connection was closed after a long silence',
  VT_ERR_DATABASE: 'The database could not be opened or migrated',
  VT_ERR_INTERNAL: 'An unexpected error',
} as const;

/** A stable error code from {@link ERROR_CODES}. */
export type VitrineErrorCode = keyof typeof ERROR_CODES;

/** Options for {@link VitrineError}. */
export interface VitrineErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Where it happened: file, bot id, conversation id … */
  context?: Record<string, unknown>;
}

/**
 * The error class of Vitrine: a stable `code`, a human message, an optional
 * `cause` and the `context` it happened in.
 *
 * @example
 * ```ts
 * throw new VitrineError('VT_ERR_CART_QUANTITY', 'Quantity must be 1 to 99', { context: { quantity } });
 * ```
 */
export class VitrineError extends Error {
  override readonly name = 'VitrineError';
  readonly code: VitrineErrorCode;
  readonly context: Record<string, unknown>;

  constructor(code: VitrineErrorCode, message?: string, options: VitrineErrorOptions = {}) {
    super(message ?? ERROR_CODES[code], options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = options.context ?? {};
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
