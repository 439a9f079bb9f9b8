/**
 * Type of the raw request body kept for signature checks (payment and channel
 * webhooks). The app's `application/json` parser stores it.
 *
 * @example
 * ```ts
 * import './raw-body.ts';
 * app.post('/webhooks/x', async (request) => verify(request.rawBody ?? Buffer.alloc(0), request.headers['x-signature']));
 * ```
 */
declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a JSON body, before parsing. */
    rawBody?: Buffer;
  }
}

export {};
