import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import { webSocketSupport } from '../../adapters/webchat/index.ts';
import { ChangeWatcher, type StampPart } from '../dashboard/change-stamps.ts';
import type { Runtime } from '../runtime.ts';
import { hashApiKey } from './business-api.ts';

/** The staff dashboard's page, scripts, styles and texts. */
export const DASHBOARD_PUBLIC_DIR = path.resolve(import.meta.dirname, '..', 'dashboard', 'public');

const require = createRequire(import.meta.url);
/** The browser builds the page loads from the installed packages (i18next's ES module, uPlot's). */
const VENDOR: Record<string, { file: () => string; type: string }> = {
  'i18next.js': { file: () => path.join(path.dirname(require.resolve('i18next')), '..', 'esm', 'i18next.js'), type: 'text/javascript; charset=utf-8' },
  'uplot.js': { file: () => path.join(path.dirname(require.resolve('uplot')), 'uPlot.esm.js'), type: 'text/javascript; charset=utf-8' },
  'uplot.css': { file: () => path.join(path.dirname(require.resolve('uplot')), 'uPlot.min.css'), type: 'text/css; charset=utf-8' },
};
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml' };
/** The page's own file names: letters, digits and dashes, in the folder or `locales/`. */
const ASSET_NAME = /^(locales\/)?[a-z0-9-]+\.(js|css|json|svg)$/i;

const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; style-src 'self'; script-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** Close codes of the live channel (the 4000s are the application's). */
export const LIVE_CLOSE = { keyInvalid: 4401, noKey: 4400 } as const;
/** How long a live socket may stay silent before it names its key. */
const AUTH_TIMEOUT_MS = 10_000;

/** Options of {@link dashboardRoutes}. */
export interface DashboardRoutesOptions {
  runtime: Pick<Runtime, 'db' | 'logger'>;
  /** How often the live channel reads the change stamps of watched businesses (default 1000 ms). */
  stampIntervalMs?: number;
}

/** The business a live socket's first frame names by its key (`{"type":"auth","key":"…"}`), if any. */
async function authenticate(db: Runtime['db'], data: unknown): Promise<{ businessId: string } | 'malformed' | undefined> {
  let frame: unknown;
  try {
    frame = JSON.parse(String(data));
  } catch {
    return 'malformed';
  }
  const key = (frame as { type?: unknown; key?: unknown } | null)?.type === 'auth' ? (frame as { key?: unknown }).key : undefined;
  if (typeof key !== 'string' || key === '') return 'malformed';
  const row = await db.apiKey.findUnique({ where: { hash: hashApiKey(key) }, select: { businessId: true } });
  return row ? { businessId: row.businessId } : undefined;
}

/**
 * The staff dashboard: `GET /dashboard` (the page: plain HTML, CSS and
 * browser ES modules, no build step), its files under `/dashboard/…`, the
 * browser builds of i18next and uPlot under `/dashboard/vendor/…`, and the
 * live channel `GET /dashboard/live`, a WebSocket whose first frame is
 * `{"type":"auth","key":"<business API key>"}` (never in the URL). It answers
 * `{"type":"ready"}`, then `{"type":"changed","parts":["orders"]}` whenever
 * the business's orders (or conversations) change, whichever process changed
 * them; a wrong key closes it with 4401. The page reads everything else from
 * the business API with the same key.
 *
 * @example
 * ```ts
 * await app.register(dashboardRoutes, { runtime });
 * // open http://127.0.0.1:3000/dashboard and sign in with a key from `npm run api-key`
 * ```
 */
export const dashboardRoutes: FastifyPluginAsync<DashboardRoutesOptions> = async (app, { runtime, stampIntervalMs }) => {
  const watcher = new ChangeWatcher({ db: runtime.db, logger: runtime.logger, ...(stampIntervalMs ? { intervalMs: stampIntervalMs } : {}) });
  app.addHook('onClose', async () => watcher.close());
  await webSocketSupport(app);

  const page = async () => readFile(path.join(DASHBOARD_PUBLIC_DIR, 'index.html'));
  app.get('/dashboard', async (_request, reply) => reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(await page()));
  app.get('/dashboard/', async (_request, reply) => reply.redirect('/dashboard'));
  app.get<{ Params: { file: string } }>('/dashboard/vendor/:file', async (request, reply) => {
    const vendor = VENDOR[request.params.file];
    if (!vendor) return reply.code(404).send();
    return reply.headers(PAGE_HEADERS).type(vendor.type).send(await readFile(vendor.file()));
  });
  app.get<{ Params: { '*': string } }>('/dashboard/*', async (request, reply) => {
    const name = request.params['*'];
    if (!ASSET_NAME.test(name)) return reply.code(404).send();
    const file = await readFile(path.join(DASHBOARD_PUBLIC_DIR, name)).catch(() => undefined);
    if (!file) return reply.code(404).send();
    return reply.headers(PAGE_HEADERS).type(TYPES[path.extname(name)] ?? 'application/octet-stream').send(file);
  });

  app.get('/dashboard/live', { websocket: true }, (socket: WebSocket, request) => {
    let stop: (() => void) | undefined;
    const send = (frame: Record<string, unknown>) => socket.send(JSON.stringify(frame));
    const timeout = setTimeout(() => socket.close(LIVE_CLOSE.noKey, 'Send {"type":"auth","key":"…"} first'), AUTH_TIMEOUT_MS);
    socket.on('close', () => {
      clearTimeout(timeout);
      stop?.();
    });
    socket.once('message', (data) => {
      clearTimeout(timeout);
      authenticate(runtime.db, data).then(async (found) => {
        if (found === 'malformed') return socket.close(LIVE_CLOSE.noKey, 'Send {"type":"auth","key":"…"} first');
        if (!found) return socket.close(LIVE_CLOSE.keyInvalid, 'VT_ERR_API_KEY_INVALID');
        const unwatch = await watcher.watch(found.businessId, (parts: StampPart[]) => send({ type: 'changed', parts }));
        if (socket.readyState !== socket.OPEN) return unwatch();
        stop = unwatch;
        send({ type: 'ready' });
      }).catch((err: unknown) => {
        request.log.warn({ err }, 'dashboard live channel not opened');
        socket.close(1011, 'VT_ERR_DATABASE_UNAVAILABLE');
      });
    });
  });
};
