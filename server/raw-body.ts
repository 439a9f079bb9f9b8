/**
 * Makes `request.rawBody` (the exact bytes of a JSON body, kept for signature
 * checks) known to the types of a file that reads it. The app's one JSON
 * parser (`jsonBodyParser` in `adapters/kit/json-body.ts`) stores it.
 *
 * @example
 * ```ts
 * import './raw-body.ts';
 * app.post('/webhooks/x', async (request) => verify(request.rawBody ?? Buffer.alloc(0), request.headers['x-signature']));
 * ```
 */
import '../adapters/kit/json-body.ts';
