import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../engine/index.ts';

/** Options of {@link healthRoutes}. */
export interface HealthRoutesOptions {
  db: Db;
}

/**
 * `GET /health`: the process is up (always 200). `GET /ready`: the database
 * answers `SELECT 1` (200), otherwise 503, so a load balancer stops sending traffic.
 *
 * @example
 * ```ts
 * await app.register(healthRoutes, { db: runtime.db });
 * ```
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { db }) => {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (request, reply) => {
    try {
      await db.$queryRawUnsafe('SELECT 1');
      return { status: 'ready' };
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed: database unavailable');
      return reply.code(503).send({ status: 'unavailable', reason: 'database' });
    }
  });
};
