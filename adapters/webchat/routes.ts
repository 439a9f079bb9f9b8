import { readFile } from 'node:fs/promises';
import path from 'node:path';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { RouteRuntime } from '../kit/index.ts';
import { DEFAULT_WEBCHAT_LIMITS, SharedFrameBudgets, type WebchatLimits } from './frame-budget.ts';
import { pageLanguages } from './page-texts.ts';
import { botLinkPath, businessLinkPath, businessLinkTarget, notFoundPage, visitorLocale, type LinkTarget } from './link-pages.ts';
import { qrCode, QR_CONTENT_TYPES, QR_FORMATS } from './qr-code.ts';
import type { WebchatAdapter } from './webchat-adapter.ts';
import { originAllowed, type WebchatOrigins } from './origin.ts';
import { VitrineError } from '../../engine/index.ts';
import { WebchatConnection } from './webchat-connection.ts';
import { closeReason } from './webchat-protocol.ts';

/** The page, script and styles of the web chat. */
export const WEBCHAT_PUBLIC_DIR = path.resolve(import.meta.dirname, 'public');

/** Largest WebSocket message the socket library accepts at all; a connection enforces its own, smaller limit. */
const WS_HARD_MAX_PAYLOAD = 64 * 1024;

/** Options of {@link webchatRoutes}. */
export interface WebchatRoutesOptions {
  runtime: RouteRuntime;
  adapter: WebchatAdapter;
  /** The bot the page at `/` talks to when its URL names none (`?bot=<id>`). */
  defaultBotId: string;
  limits?: Partial<WebchatLimits>;
  /** Where `index.html`, `chat.js` and `chat.css` are (default {@link WEBCHAT_PUBLIC_DIR}). */
  publicDir?: string;
  /** The pages that may open `/ws` (default `'same-host'`; see `webchatOrigins`). */
  origins?: WebchatOrigins;
  /** Where customers reach the server (`PUBLIC_URL`), for the links QR codes hold (default: the request's own origin). */
  publicUrl?: string;
}

/**
 * Registers WebSocket routes' support (`@fastify/websocket`) on `app`, once:
 * it handles every upgrade of the server, so a second registration would
 * answer each socket twice. Register it on the root app before the plugins
 * whose routes take sockets (the web chat, the staff dashboard), or let the
 * first of them do it. A frame over {@link WS_HARD_MAX_PAYLOAD} or a client
 * that drops uncleanly is the client's doing: warned, not an error.
 *
 * @example
 * ```ts
 * await webSocketSupport(app);
 * app.get('/live', { websocket: true }, (socket) => socket.send('hello'));
 * ```
 */
export async function webSocketSupport(app: FastifyInstance): Promise<void> {
  if (app.hasDecorator('websocketServer')) return;
  await app.register(websocket, {
    options: { maxPayload: WS_HARD_MAX_PAYLOAD },
    errorHandler: (error, socket, request) => {
      request.log.warn({ err: error }, 'web socket closed on a client error');
      socket.terminate();
    },
  });
}

const ASSETS: Record<string, { file: string; type: string }> = {
  '/chat.js': { file: 'chat.js', type: 'text/javascript; charset=utf-8' },
  '/chat.css': { file: 'chat.css', type: 'text/css; charset=utf-8' },
};

const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' https: http: data:; connect-src 'self' ws: wss:; style-src 'self'; script-src 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const escapeAttr = (s: string) => s.replace(/[&"'<>]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The web chat: `GET /` (the page; `?bot=<id>` picks a loaded bot, else
 * `defaultBotId`; it carries the bot's languages and its own labels in them),
 * the chat links `GET /chat/<bot-id>` (a bot) and `GET /b/<business-slug>`
 * (a business, opened through its bot: the page's first message names it;
 * `?bot=<id>` when several bots hold the slug), each with its QR code at
 * `…/qr.svg` and `…/qr.png`, `/chat.js`, `/chat.css` and the `GET /ws` socket speaking
 * the versioned protocol of `docs/webchat-protocol.md`, one
 * {@link WebchatConnection} per socket. A link or `?bot` naming no loaded bot
 * or business gets a 404 page in the visitor's language, never another bot.
 * Nothing a client sends can crash the server or reach another connection.
 *
 * @example
 * ```ts
 * await app.register(webchatRoutes, { runtime, adapter: createWebchatAdapter(), defaultBotId: 'directory' });
 * ```
 */
export const webchatRoutes: FastifyPluginAsync<WebchatRoutesOptions> = async (app, options) => {
  const { runtime, adapter } = options;
  const publicDir = options.publicDir ?? WEBCHAT_PUBLIC_DIR;
  const limits: WebchatLimits = { ...DEFAULT_WEBCHAT_LIMITS, ...options.limits };
  const perIp = new Map<string, number>();
  const budgets = new SharedFrameBudgets();
  await webSocketSupport(app);

  const bots = runtime.engine.bots;
  const page = async (reply: FastifyReply, target: LinkTarget) => {
    const bot = bots.get(target.botId);
    const html = await readFile(path.join(publicDir, 'index.html'), 'utf8');
    const languages = pageLanguages(runtime.i18n, target.botId, bot?.runtime.locales ?? [], target.business);
    const fill: Record<string, string> = {
      '{{BOT_ID}}': target.botId, '{{BOT_NAME}}': bot?.runtime.name ?? 'Vitrine', '{{BUSINESS}}': target.business?.slug ?? '',
      '{{TITLE}}': target.business?.name ?? bot?.runtime.name ?? 'Vitrine', '{{LANGUAGES}}': JSON.stringify(languages),
    };
    return reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html.replace(/\{\{[A-Z_]+\}\}/g, (key) => escapeAttr(fill[key] ?? key)));
  };
  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const home = bots.get(options.defaultBotId);
    const directory = home && home.businesses.length > 1 ? '/' : undefined;
    return reply.code(404).headers(PAGE_HEADERS).type('text/html; charset=utf-8')
      .send(notFoundPage(runtime.i18n, visitorLocale(request.headers['accept-language'], runtime.i18n), directory));
  };
  const origin = (request: FastifyRequest) => options.publicUrl ?? `${request.protocol}://${request.host}`;
  const botTarget = (botId: string): LinkTarget | undefined => (bots.has(botId) ? { botId } : undefined);

  app.get<{ Querystring: { bot?: string } }>('/', async (request, reply) => {
    const wanted = request.query.bot;
    if (wanted === undefined || wanted === '') return page(reply, { botId: options.defaultBotId });
    const target = botTarget(wanted);
    return target ? page(reply, target) : notFound(request, reply);
  });
  app.get<{ Params: { bot: string } }>('/chat/:bot', async (request, reply) => {
    const target = botTarget(request.params.bot);
    return target ? page(reply, target) : notFound(request, reply);
  });
  app.get<{ Params: { slug: string }; Querystring: { bot?: string } }>('/b/:slug', async (request, reply) => {
    const target = businessLinkTarget(bots, request.params.slug, request.query.bot || undefined);
    return target ? page(reply, target) : notFound(request, reply);
  });
  for (const format of QR_FORMATS) {
    const qr = async (reply: FastifyReply, link: string) =>
      reply.header('cache-control', 'no-cache').type(QR_CONTENT_TYPES[format]).send(await qrCode(link, format));
    app.get<{ Params: { bot: string } }>(`/chat/:bot/qr.${format}`, async (request, reply) => {
      const target = botTarget(request.params.bot);
      return target ? qr(reply, origin(request) + botLinkPath(target.botId)) : notFound(request, reply);
    });
    app.get<{ Params: { slug: string }; Querystring: { bot?: string } }>(`/b/:slug/qr.${format}`, async (request, reply) => {
      const wanted = request.query.bot || undefined;
      const target = businessLinkTarget(bots, request.params.slug, wanted);
      return target ? qr(reply, origin(request) + businessLinkPath(request.params.slug, wanted)) : notFound(request, reply);
    });
  }
  for (const [route, asset] of Object.entries(ASSETS)) {
    app.get(route, async (_request, reply) => reply.headers(PAGE_HEADERS).type(asset.type).send(await readFile(path.join(publicDir, asset.file))));
  }

  const origins = options.origins ?? 'same-host';
  // A page of another site may not open a customer's chat (the socket would carry the visitor's cookies and address).
  const checkOrigin = async (request: FastifyRequest) => {
    if (!originAllowed(request.headers.origin, request.headers.host, origins)) {
      throw new VitrineError('VT_ERR_CHANNEL_ORIGIN', `Origin ${request.headers.origin ?? ''} may not open the web chat`);
    }
  };
  app.get('/ws', { websocket: true, preValidation: checkOrigin }, (socket: WebSocket, request) => {
    const log = request.log.child({ ws: request.id });
    const ip = request.ip;
    const open = (perIp.get(ip) ?? 0) + 1;
    perIp.set(ip, open);
    socket.on('close', () => {
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
    });
    if (open > limits.maxConnectionsPerIp) {
      log.warn({ ip, open }, 'too many web chat connections from one address');
      socket.close(1008, closeReason('VT_ERR_CHANNEL_RATE_LIMITED', 'Too many connections'));
      return;
    }
    new WebchatConnection({ runtime, adapter, socket, limits, log, budgets, address: ip });
  });
};
