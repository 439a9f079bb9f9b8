import { currentBusiness, VitrineError, type LoadedBot } from '../../engine/index.ts';
import { botForChannel, defineChannel } from '../kit/index.ts';
import { DEFAULT_WEBCHAT_LIMITS, type WebchatLimits } from './frame-budget.ts';
import { webchatOrigins, type WebchatOrigins } from './origin.ts';
import { webchatRoutes } from './routes.ts';
import { createWebchatAdapter, WEBCHAT_CAPABILITIES } from './webchat-adapter.ts';

/** What the web chat reads from its environment. */
export interface WebchatSettings {
  /** The bot the page at `/` talks to when its URL names none. */
  defaultBotId: string;
  limits: WebchatLimits;
  /** The pages that may open the socket ({@link webchatOrigins}). */
  origins: WebchatOrigins;
  /** `PUBLIC_URL`: the origin of the links the QR codes hold (unset: the request's). */
  publicUrl?: string;
}

function wholeNumber(vars: Readonly<Record<string, string>>, name: string, fallback: number): number {
  const raw = vars[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new VitrineError('VT_ERR_CONFIG_INVALID', `${name}=${JSON.stringify(raw)}: must be a whole number of at least 1 (default ${fallback})`, { context: { variable: name } });
  }
  return value;
}

/**
 * The bot the web chat page talks to when its URL names none: `named`
 * (`WEBCHAT_BOT`) when loaded; else the bot whose bot.yaml says
 * `channels: { webchat: { page: true } }`; else the bot `botForChannel` picks;
 * else the first bot loaded ('' when none is).
 *
 * @example
 * ```ts
 * webchatPageBot(runtime.engine.bots, process.env['WEBCHAT_BOT']); // 'directory' with the example bots
 * ```
 */
export function webchatPageBot(bots: ReadonlyMap<string, LoadedBot>, named?: string): string {
  if (named) return botForChannel(bots, 'webchat', { named }) ?? '';
  const page = botForChannel(bots, 'webchat', { among: (bot) => bot.runtime.channels['webchat']?.['page'] === true });
  return page ?? botForChannel(bots, 'webchat') ?? [...bots.keys()][0] ?? '';
}

/**
 * The web chat: always on. Serves the page at `/`, the chat links of bots
 * (`/chat/<bot-id>`) and businesses (`/b/<business-slug>`) with their QR
 * codes, the page's script and styles, and the `/ws` socket (docs/webchat-protocol.md). The page talks to the bot its
 * URL names (`/?bot=<id>`), else to {@link webchatPageBot}'s choice
 * (`WEBCHAT_BOT`, else the bot.yaml marked `webchat: { page: true }`, else …).
 * `WEBCHAT_MAX_CONNECTIONS_PER_IP` (default 50) and `WEBCHAT_IDLE_MS`
 * (default 30 minutes) bound the sockets; `WEBCHAT_HELLO_TIMEOUT_MS` (default 10 s)
 * closes a socket that does not say `hello` in time. Frames are budgeted per
 * customer (10 per 10 s over all their sockets) and per address
 * (`WEBCHAT_ADDRESS_BURST`, default 500, one more every `WEBCHAT_ADDRESS_REFILL_MS`, default 20).
 * Only pages of `PUBLIC_URL`'s origin or of `WEBCHAT_ORIGINS` may open the socket
 * (neither set: pages of the host the socket is opened on).
 *
 * @example
 * ```ts
 * const adapter = await webchatChannel.mount(app, { runtime, env: { WEBCHAT_BOT: 'directory' } });
 * adapter?.connections({ botId: 'directory', customerId: 'cust-0001' });
 * ```
 */
export const webchatChannel = defineChannel({
  name: 'webchat',
  title: 'Web chat',
  capabilities: WEBCHAT_CAPABILITIES,
  env: { required: [], optional: ['WEBCHAT_BOT', 'WEBCHAT_MAX_CONNECTIONS_PER_IP', 'WEBCHAT_IDLE_MS', 'WEBCHAT_HELLO_TIMEOUT_MS', 'WEBCHAT_ADDRESS_BURST', 'WEBCHAT_ADDRESS_REFILL_MS', 'WEBCHAT_ORIGINS', 'PUBLIC_URL'] },
  routes: [
    { method: 'GET', url: '/' }, { method: 'GET', url: '/chat.js' }, { method: 'GET', url: '/chat.css' }, { method: 'GET', url: '/ws' },
    { method: 'GET', url: '/chat/:bot' }, { method: 'GET', url: '/chat/:bot/qr.svg' }, { method: 'GET', url: '/chat/:bot/qr.png' },
    { method: 'GET', url: '/b/:slug' }, { method: 'GET', url: '/b/:slug/qr.svg' }, { method: 'GET', url: '/b/:slug/qr.png' },
  ],
  configure(vars, { runtime }): WebchatSettings {
    const bots = runtime.engine.bots;
    const named = vars['WEBCHAT_BOT'];
    const defaultBotId = webchatPageBot(bots, named);
    if (named && defaultBotId !== named) {
      throw new VitrineError('VT_ERR_CONFIG_INVALID', `WEBCHAT_BOT=${JSON.stringify(named)}: no such bot is loaded`, { context: { bots: [...bots.keys()] } });
    }
    const publicUrl = vars['PUBLIC_URL']?.replace(/\/+$/, '');
    return {
      defaultBotId,
      ...(publicUrl ? { publicUrl } : {}),
      origins: webchatOrigins(vars),
      limits: {
        ...DEFAULT_WEBCHAT_LIMITS,
        maxConnectionsPerIp: wholeNumber(vars, 'WEBCHAT_MAX_CONNECTIONS_PER_IP', DEFAULT_WEBCHAT_LIMITS.maxConnectionsPerIp),
        idleMs: wholeNumber(vars, 'WEBCHAT_IDLE_MS', DEFAULT_WEBCHAT_LIMITS.idleMs),
        helloMs: wholeNumber(vars, 'WEBCHAT_HELLO_TIMEOUT_MS', DEFAULT_WEBCHAT_LIMITS.helloMs),
        addressCapacity: wholeNumber(vars, 'WEBCHAT_ADDRESS_BURST', DEFAULT_WEBCHAT_LIMITS.addressCapacity),
        addressRefillMs: wholeNumber(vars, 'WEBCHAT_ADDRESS_REFILL_MS', DEFAULT_WEBCHAT_LIMITS.addressRefillMs),
      },
    };
  },
  // The page's header names the shop the customer is at, read from their conversation.
  createAdapter: (_settings, { runtime }) => createWebchatAdapter({
    placeOf: async (to) => {
      const business = await currentBusiness(runtime.db, { botId: to.botId, channel: 'webchat', customerId: to.customerId });
      return business ? { name: business.name } : null;
    },
  }),
  async register(app, { runtime, adapter, settings }) {
    await app.register(webchatRoutes, {
      runtime, adapter, defaultBotId: settings.defaultBotId, limits: settings.limits, origins: settings.origins,
      ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}),
    });
  },
});
