import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket, RawData } from 'ws';
import {
  parseClientFrame, WEBCHAT_MAX_FRAME_BYTES, WEBCHAT_PROTOCOL_VERSION,
  type WebchatAdapter, type WebchatErrorCode, type WebchatFrame,
} from '../../adapters/webchat/index.ts';
import type { Runtime } from '../runtime.ts';

/** The page, script and styles of the web chat. */
export const WEBCHAT_PUBLIC_DIR = path.resolve(import.meta.dirname, '..', '..', 'adapters', 'webchat', 'public');

/** Per-connection flood control: a token bucket. */
export interface WebchatRateLimit {
  /** Frames allowed in a burst (default 10). */
  capacity: number;
  /** Milliseconds to regain one frame (default 1000: 10 frames per 10 s). */
  refillMs: number;
  /** Refused frames after which the socket is closed with 1008 (default 20). */
  maxStrikes: number;
  /** Open sockets allowed from one IP address (default 50); more are closed with 1008. */
  maxConnectionsPerIp: number;
  /** A socket that sends nothing for this long is closed with 1000 (default 30 minutes). */
  idleMs: number;
}

/** Options of {@link webchatRoutes}. */
export interface WebchatRoutesOptions {
  runtime: Runtime;
  adapter: WebchatAdapter;
  rateLimit?: Partial<WebchatRateLimit>;
  /** Where `index.html`, `chat.js` and `chat.css` are (default {@link WEBCHAT_PUBLIC_DIR}). */
  publicDir?: string;
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

const escapeAttr = (s: string) => s.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);

function rawSize(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}

/**
 * The web chat: `GET /` (the page; `?bot=<id>` picks a bot), `/chat.js`,
 * `/chat.css` and the `GET /ws` socket speaking the versioned protocol of
 * `docs/webchat-protocol.md`. Each message frame is acknowledged (`ack`)
 * once it is kept on disk; replies arrive through the engine's outbox. Bad frames get `error` frames; nothing a client
 * sends can crash the server or reach another connection.
 *
 * @example
 * ```ts
 * await app.register(webchatRoutes, { runtime, adapter: createWebchatAdapter() });
 * ```
 */
export const webchatRoutes: FastifyPluginAsync<WebchatRoutesOptions> = async (app, options) => {
  const { runtime, adapter } = options;
  const publicDir = options.publicDir ?? WEBCHAT_PUBLIC_DIR;
  const limit: WebchatRateLimit = { capacity: 10, refillMs: 1000, maxStrikes: 20, maxConnectionsPerIp: 50, idleMs: 30 * 60_000, ...options.rateLimit };
  const perIp = new Map<string, number>();
  const defaultBot = runtime.engine.bots.has('directory') ? 'directory' : ([...runtime.engine.bots.keys()][0] ?? '');

  app.get<{ Querystring: { bot?: string } }>('/', async (request, reply) => {
    const wanted = request.query.bot;
    const botId = wanted && runtime.engine.bots.has(wanted) ? wanted : defaultBot;
    const html = await readFile(path.join(publicDir, 'index.html'), 'utf8');
    return reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html.replace('{{BOT_ID}}', escapeAttr(botId)));
  });
  for (const [route, asset] of Object.entries(ASSETS)) {
    app.get(route, async (_request, reply) => reply.headers(PAGE_HEADERS).type(asset.type).send(await readFile(path.join(publicDir, asset.file))));
  }

  app.get('/ws', { websocket: true }, (socket: WebSocket, request) => {
    const log = request.log.child({ ws: request.id });
    const ip = request.ip;
    const open = (perIp.get(ip) ?? 0) + 1;
    perIp.set(ip, open);
    socket.on('close', () => {
      const left = (perIp.get(ip) ?? 1) - 1;
      if (left > 0) perIp.set(ip, left);
      else perIp.delete(ip);
    });
    if (open > limit.maxConnectionsPerIp) {
      log.warn({ ip, open }, 'too many web chat connections from one address');
      socket.close(1008, 'Too many connections');
      return;
    }
    let idle = setTimeout(() => socket.close(1000, 'Idle'), limit.idleMs);
    idle.unref();
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => socket.close(1000, 'Idle'), limit.idleMs);
      idle.unref();
    };
    socket.on('close', () => clearTimeout(idle));
    let session: { botId: string; customerId: string; locale?: string } | undefined;
    let disconnect: (() => void) | undefined;
    let chain: Promise<void> = Promise.resolve();
    let tokens = limit.capacity;
    let refilledAt = Date.now();
    let strikes = 0;

    const send = (frame: WebchatFrame) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
    };
    const fail = (code: WebchatErrorCode, message: string, id?: string) =>
      send({ v: WEBCHAT_PROTOCOL_VERSION, type: 'error', code, message, ...(id ? { id } : {}) });
    const takeToken = (): boolean => {
      const now = Date.now();
      const gained = Math.floor((now - refilledAt) / limit.refillMs);
      if (gained > 0) {
        tokens = Math.min(limit.capacity, tokens + gained);
        refilledAt += gained * limit.refillMs;
      }
      if (tokens === 0) return false;
      tokens -= 1;
      return true;
    };

    async function handle(text: string): Promise<void> {
      const result = parseClientFrame(text);
      if (!result.ok) return fail(result.code, result.message, result.id);
      const frame = result.frame;
      if (frame.type === 'hello') {
        if (session) return fail('already_greeted', 'This connection already said hello');
        if (!runtime.engine.bots.has(frame.botId)) return fail('unknown_bot', `No bot "${frame.botId}" here`);
        session = { botId: frame.botId, customerId: frame.customerId ?? randomUUID(), ...(frame.locale ? { locale: frame.locale } : {}) };
        disconnect = adapter.connect(session, socket);
        send({ v: WEBCHAT_PROTOCOL_VERSION, type: 'welcome', customerId: session.customerId, botId: session.botId, locales: runtime.engine.bots.get(frame.botId)?.runtime.locales ?? [] });
        if (frame.customerId) {
          // Replies kept while the customer was away (a receipt) leave now, from the outbox.
          const woken = await runtime.engine.outbox.welcomeBack({ botId: session.botId, channel: 'webchat', customerId: session.customerId });
          if (woken > 0) log.info({ botId: session.botId, woken }, 'kept replies sent on reconnect');
        }
        return;
      }
      if (!session) return fail('hello_required', 'Send a hello frame first', frame.id);
      const parsed = adapter.parse({ ...session, frame }, { botId: session.botId });
      if (!parsed.ok) return fail('bad_frame', parsed.error, frame.id);
      try {
        // Kept on disk first; the replies come through the outbox to this socket.
        const [admission] = await runtime.engine.admit(parsed.messages);
        send({ v: WEBCHAT_PROTOCOL_VERSION, type: 'ack', id: frame.id, duplicate: admission?.duplicate ?? false });
      } catch (err) {
        log.error({ err, botId: session.botId }, 'web chat message could not be kept');
        fail('internal', 'Your message could not be handled; please try again', frame.id);
      }
    }

    socket.on('message', (data: RawData, isBinary: boolean) => {
      touch();
      try {
        if (rawSize(data) > WEBCHAT_MAX_FRAME_BYTES) {
          socket.close(1009, `Frame too large (max ${WEBCHAT_MAX_FRAME_BYTES} bytes)`);
          return;
        }
        if (!takeToken()) {
          strikes += 1;
          if (strikes >= limit.maxStrikes) socket.close(1008, 'Too many messages');
          else fail('rate_limited', 'Too many messages; slow down');
          return;
        }
        if (isBinary) {
          fail('bad_frame', 'Frames must be text (JSON)');
          return;
        }
        const text = rawText(data);
        chain = chain.then(() => handle(text)).catch((err: unknown) => log.error({ err }, 'web chat frame failed'));
      } catch (err) {
        log.error({ err }, 'web chat frame failed');
      }
    });
    socket.on('close', () => disconnect?.());
    socket.on('error', (err) => log.warn({ err }, 'web chat socket error'));
  });
};
