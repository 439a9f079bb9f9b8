import type { FastifyPluginAsync } from 'fastify';
import { formatProblem, VitrineError, type Engine } from '../../engine/index.ts';
import type { BrokenBot } from '../runtime.ts';
import { errorResponse } from '../error-handler.ts';

/** Options of {@link healthRoutes}. */
export interface HealthRoutesOptions {
  engine: Engine;
  /** Bots that did not load, listed by `GET /ready` with their problems (they do not make it fail). */
  brokenBots?: readonly BrokenBot[];
}

/**
 * `GET /health`: the process is up (always 200). `GET /ready`: the database
 * answers (200, with the backlog: journal events waiting, replies waiting,
 * dead letters and failed events, and `brokenBots`: each bot folder that did
 * not load, with its problems as `file:line:col path: message`), otherwise 503 with the one error shape,
 * `{ error: { code: 'VT_ERR_DATABASE_UNAVAILABLE', message } }`, so a load
 * balancer stops sending traffic. A failed check is logged at warn (probes
 * repeat it every few seconds), not as a failed request.
 *
 * @example
 * ```ts
 * await app.register(healthRoutes, { engine: runtime.engine });
 * ```
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { engine, brokenBots = [] }) => {
  const broken = brokenBots.map((b) => ({ bot: b.bot, problems: b.problems.map(formatProblem) }));
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (request, reply) => {
    try {
      const backlog = await engine.store.backlog();
      if (backlog.deadLetters > 0 || backlog.failedEvents > 0) request.log.warn({ backlog }, 'dead letters or failed events are waiting for attention');
      return { status: 'ready', backlog, ...(broken.length > 0 ? { brokenBots: broken } : {}) };
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed: database unavailable');
      const { status, body } = errorResponse(new VitrineError('VT_ERR_DATABASE_UNAVAILABLE', undefined, { cause: err }));
      return reply.code(status).send(body);
    }
  });
};
