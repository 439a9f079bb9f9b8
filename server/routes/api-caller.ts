import type { FastifyRequest } from 'fastify';
import { VitrineError } from '../../engine/index.ts';

/**
 * The business of the key that called the business API, for routes that
 * answer one business only; the admin token (no business of its own) gets
 * `VT_ERR_API_FORBIDDEN`, saying that `what` needs a business key.
 *
 * @example
 * ```ts
 * api.get('/funnel', async (request) => funnelByDay(db, callerBusiness(request, 'The funnel'), range));
 * ```
 */
export function callerBusiness(request: FastifyRequest, what: string): string {
  const caller = request.apiCaller;
  if (caller?.kind !== 'business') throw new VitrineError('VT_ERR_API_FORBIDDEN', `${what} needs a business key`);
  return caller.businessId;
}
