import type { FastifyPluginAsync } from 'fastify';
import { VitrineError, type ChannelAdapter, type Engine } from '../../engine/index.ts';
import { jsonBodyParser, safeEqual } from '../kit/index.ts';
import type { HttpJsonOutbound } from './http-json-adapter.ts';

/** Options of {@link httpJsonRoutes}. */
export interface HttpJsonRoutesOptions {
  engine: Engine;
  adapter: ChannelAdapter<HttpJsonOutbound>;
  botId: string;
  /** Clients send `Authorization: Bearer <apiKey>`. */
  apiKey: string;
}

/**
 * `POST /webhooks/http-json`: parses the body, runs the turn and answers with
 * the rendered replies: `{ messages: HttpJsonOutbound[] }`. A repeated
 * `messageId` gets the same replies again (the engine stores them).
 *
 * @example
 * ```ts
 * await app.register(httpJsonRoutes, { engine: runtime.engine, adapter: createHttpJsonAdapter(), botId: 'directory', apiKey });
 * ```
 */
export const httpJsonRoutes: FastifyPluginAsync<HttpJsonRoutesOptions> = async (app, options) => {
  jsonBodyParser(app);
  app.post('/webhooks/http-json', { bodyLimit: 64 * 1024 }, async (request, reply) => {
    if (!safeEqual(request.headers.authorization, `Bearer ${options.apiKey}`)) throw new VitrineError('VT_ERR_API_KEY_INVALID');
    const parsed = options.adapter.parse(request.body, { botId: options.botId });
    if (!parsed.ok) throw parsed.error;
    const messages: HttpJsonOutbound[] = [];
    for (const message of parsed.messages) {
      const turn = await options.engine.process(message);
      messages.push(...turn.replies.flatMap((r) => options.adapter.render(r, { locale: turn.locale })));
    }
    return reply.send({ messages });
  });
};
