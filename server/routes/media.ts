import type { FastifyPluginAsync } from 'fastify';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { botImageFile, MEDIA_PATH, PRODUCT_IMAGE_TYPES, VitrineError, type LoadedBot } from '../../engine/index.ts';

/** Options of {@link mediaRoutes}. */
export interface MediaRoutesOptions {
  /** The loaded bots by id (the engine's, so that a reloaded bot's files are served). */
  bots: ReadonlyMap<string, LoadedBot>;
  /** How long browsers and channels may keep an image without asking again (seconds, default 3600). */
  maxAgeSeconds?: number;
}

/**
 * `GET /media/<bot-id>/<path>`: a bot's product image, the JPEG or PNG file
 * at `<path>` in the bot's folder (see `productImageUrl`), with its content
 * type, `Cache-Control`, `Last-Modified` and an `ETag` (a matching
 * `If-None-Match` is answered 304). Anything else, a path leaving the folder
 * included, is a 404 `VT_ERR_MEDIA_UNKNOWN`: no other file of a bot is served.
 *
 * @example
 * ```ts
 * await app.register(mediaRoutes, { bots: runtime.engine.bots });
 * // GET /media/corner-bakery/images/white-sourdough.jpg → 200 image/jpeg
 * ```
 */
export const mediaRoutes: FastifyPluginAsync<MediaRoutesOptions> = async (app, options) => {
  const cacheControl = `public, max-age=${options.maxAgeSeconds ?? 3600}`;
  app.get<{ Params: { bot: string; '*': string } }>(`${MEDIA_PATH}/:bot/*`, async (request, reply) => {
    const bot = options.bots.get(request.params.bot);
    const image = request.params['*'];
    const file = bot ? await botImageFile(bot.dir, image) : undefined;
    if (!file) throw new VitrineError('VT_ERR_MEDIA_UNKNOWN', `No image ${request.url.split('?')[0] ?? ''}`, { context: { bot: request.params.bot, image } });
    const info = await stat(file);
    const etag = `"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
    reply.header('cache-control', cacheControl).header('etag', etag).header('last-modified', info.mtime.toUTCString());
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    const type = PRODUCT_IMAGE_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    // Product images are small: read whole, they leave in one write.
    return reply.type(type).send(await readFile(file));
  });
};
