import { VitrineError } from '../../engine/index.ts';
import { botForChannel, defineChannel } from '../kit/index.ts';
import { createHttpJsonAdapter, HTTP_JSON_CAPABILITIES } from './http-json-adapter.ts';
import { httpJsonRoutes } from './routes.ts';

/** What the http-json channel reads from its environment. */
export interface HttpJsonSettings {
  apiKey: string;
  botId: string;
  callbackUrl?: string;
}

/**
 * The http-json example channel: on when `HTTP_JSON_API_KEY` is set;
 * `POST /webhooks/http-json` answers with the turn's replies. It talks for
 * `HTTP_JSON_BOT`, else the bot `botForChannel` picks; `HTTP_JSON_CALLBACK_URL`
 * receives the replies nobody asked for (payment results).
 *
 * @example
 * ```ts
 * await httpJsonChannel.mount(app, { runtime, env: { HTTP_JSON_API_KEY: 'key-123', HTTP_JSON_BOT: 'directory' } });
 * ```
 */
export const httpJsonChannel = defineChannel({
  name: 'http-json',
  title: 'http-json',
  capabilities: HTTP_JSON_CAPABILITIES,
  env: { required: ['HTTP_JSON_API_KEY'], optional: ['HTTP_JSON_BOT', 'HTTP_JSON_CALLBACK_URL'] },
  routes: [{ method: 'POST', url: '/webhooks/http-json' }],
  configure(vars, { runtime }): HttpJsonSettings {
    const named = vars['HTTP_JSON_BOT'];
    const botId = botForChannel(runtime.engine.bots, 'http-json', named ? { named } : {});
    if (botId === undefined) {
      throw new VitrineError('VT_ERR_CONFIG_INVALID', named
        ? `HTTP_JSON_BOT=${JSON.stringify(named)}: no such bot is loaded`
        : 'HTTP_JSON_API_KEY is set but no single bot lists "http-json" in its bot.yaml channels: set HTTP_JSON_BOT', { context: { bots: [...runtime.engine.bots.keys()] } });
    }
    return { apiKey: vars['HTTP_JSON_API_KEY'] ?? '', botId, ...(vars['HTTP_JSON_CALLBACK_URL'] ? { callbackUrl: vars['HTTP_JSON_CALLBACK_URL'] } : {}) };
  },
  createAdapter: (settings) => createHttpJsonAdapter(settings.callbackUrl ? { callbackUrl: settings.callbackUrl } : {}),
  async register(app, { runtime, adapter, settings }) {
    await app.register(httpJsonRoutes, { engine: runtime.engine, adapter, botId: settings.botId, apiKey: settings.apiKey });
  },
});
