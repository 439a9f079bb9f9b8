import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPost, undiciPost, type HttpPost } from '../../adapters/kit/index.ts';

// The channels' HTTP client against a real local server: what a platform answers, and one that never does.
let server: Server;
let base = '';
const received: { url: string; auth: string | undefined; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ url: req.url ?? '', auth: req.headers.authorization, body });
      if (req.url === '/ok') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"messages":[{"id":"wamid.1"}]}');
      if (req.url === '/busy') return res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' }).end('{"error":{"code":130429,"message":"slow down"}}');
      if (req.url === '/text') return res.writeHead(502).end('<html>bad gateway</html>');
      // '/silent': the answer never comes.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe.each([['undici', undiciPost()], ['fetch', fetchPost(fetch)]] as [string, HttpPost][])('posting through %s', (_name, post) => {
  const request = (body: string, timeoutMs = 5_000) => ({ headers: { authorization: 'Bearer t0k', 'content-type': 'application/json' }, body, timeoutMs });

  it('sends the body and headers and reads a success', async () => {
    const answer = await post(`${base}/ok`, request('{"to":"55119"}'));
    expect([answer.status, answer.ok]).toEqual([200, true]);
    expect(await answer.json()).toEqual({ messages: [{ id: 'wamid.1' }] });
    expect(received.at(-1)).toEqual({ url: '/ok', auth: 'Bearer t0k', body: '{"to":"55119"}' });
    // The kept-alive connection serves the next request after a body was dropped.
    await (await post(`${base}/ok`, request('{}'))).discard();
    expect((await post(`${base}/ok`, request('{}'))).ok).toBe(true);
  });

  it('reads a refusal: status, headers and the error body', async () => {
    const answer = await post(`${base}/busy`, request('{}'));
    expect([answer.status, answer.ok, answer.header('retry-after')]).toEqual([429, false, '7']);
    expect(await answer.json()).toEqual({ error: { code: 130429, message: 'slow down' } });
    const text = await post(`${base}/text`, request('{}'));
    expect(text.status).toBe(502);
    await expect(text.json()).rejects.toThrow();
  });

  it('gives up on an answer that does not come within the time-out', async () => {
    const started = Date.now();
    await expect(post(`${base}/silent`, request('{}', 300))).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('throws when nothing listens', async () => {
    await expect(post('http://127.0.0.1:9/none', request('{}', 1_000))).rejects.toThrow();
  });
});
