import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

const BOTS = path.resolve(import.meta.dirname, '..', '..', 'bots');

/** A GET sent as written: `fetch` would resolve `..` and `%2e%2e` before sending them. */
function rawGet(port: number, target: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('product images served from the bots\' folders', () => {
  let rt: TestRuntime;
  let app: FastifyInstance;
  let port = 0;

  beforeAll(async () => {
    rt = await createTestRuntime();
    app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    await app?.close();
    await rt?.dispose();
  });

  it('serves the file a catalog names at the address the database gives the product, with its type and cache headers', async () => {
    const product = await rt.db.product.findFirstOrThrow({ where: { sku: 'WHITE-SOURDOUGH', business: { botId: 'corner-bakery' } } });
    expect(product.imageUrl).toBe('/media/corner-bakery/images/white-sourdough.jpg');
    const res = await rawGet(port, product.imageUrl ?? '');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.body.equals(readFileSync(path.join(BOTS, 'corner-bakery', 'images', 'white-sourdough.jpg')))).toBe(true);
    expect(res.body.subarray(0, 3).toString('hex')).toBe('ffd8ff');

    const again = await rawGet(port, product.imageUrl ?? '', { 'if-none-match': String(res.headers['etag']) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('serves a directory business\'s image from its bot\'s folder', async () => {
    const res = await rawGet(port, '/media/directory/images/padaria-sao-jorge/pao-frances.jpg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
  });

  it('refuses paths that leave the bot\'s folder, files that are not images, unknown bots and missing files with 404', async () => {
    for (const target of [
      '/media/corner-bakery/../directory/bot.yaml',
      '/media/corner-bakery/%2e%2e/%2e%2e/package.json',
      '/media/corner-bakery/images/..%2f..%2fdirectory%2fbot.yaml',
      '/media/corner-bakery/images/%2e%2e/catalog.csv',
      '/media/corner-bakery//etc/passwd',
      '/media/corner-bakery/catalog.csv',
      '/media/corner-bakery/bot.yaml',
      '/media/no-such-bot/images/white-sourdough.jpg',
      '/media/corner-bakery/images/no-such-loaf.jpg',
    ]) {
      const res = await rawGet(port, target);
      expect([target, res.status]).toEqual([target, 404]);
      expect(JSON.parse(res.body.toString()) as unknown).toMatchObject({ error: { code: 'VT_ERR_MEDIA_UNKNOWN' } });
    }
  });
});
