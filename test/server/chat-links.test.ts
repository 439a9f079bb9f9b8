import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PageLanguage } from '../../adapters/webchat/page-texts.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { chatLinks } from '../../server/links.ts';
import { listenOnLoopback } from '../support/browser.ts';
import { readQrCode as readQr } from '../support/qr.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PUBLIC_URL = 'https://shop.example.com';

/** The data attributes of a served chat page. */
function pageData(html: string): { bot: string; business: string; title: string; languages: PageLanguage[] } {
  const attr = (name: string) => (html.match(new RegExp(`data-${name}="([^"]*)"`))?.[1] ?? '').replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
  return { bot: attr('bot'), business: attr('business'), title: html.match(/<title>([^<]*)<\/title>/)?.[1] ?? '', languages: JSON.parse(attr('languages')) as PageLanguage[] };
}

describe('chat links and QR codes over real HTTP', () => {
  let rt: TestRuntime;
  let app: FastifyInstance;
  let base = '';

  beforeAll(async () => {
    rt = await createTestRuntime();
    app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }), env: { PUBLIC_URL } });
    base = await listenOnLoopback(app);
  });
  afterAll(async () => {
    await app?.close();
    await rt?.dispose();
  });

  const get = (url: string, language?: string) => fetch(`${base}${url}`, { headers: language ? { 'accept-language': language } : {} });

  it('serves a business\'s link as the web chat of its bot, whose first message opens the business in each language', async () => {
    const res = await get('/b/padaria-sao-jorge');
    expect(res.status).toBe(200);
    const page = pageData(await res.text());
    expect(page).toMatchObject({ bot: 'directory', business: 'padaria-sao-jorge', title: 'Padaria São Jorge' });
    const open = Object.fromEntries(page.languages.map((l) => [l.locale, l.labels.open]));
    expect(open['en']).toBe("Hi! I'd like to shop at Padaria São Jorge. #padaria-sao-jorge");
    expect(open['pt-BR']).toBe('Olá! Quero comprar na loja Padaria São Jorge. #padaria-sao-jorge');
    expect(open['id']).toBe('Halo! Saya mau belanja di Padaria São Jorge. #padaria-sao-jorge');
  });

  it('serves a bot\'s link as its web chat', async () => {
    const page = pageData(await (await get('/chat/corner-bakery')).text());
    expect(page).toMatchObject({ bot: 'corner-bakery', business: '', title: 'Corner Bakery' });
    expect(page.languages[0]?.labels.open).toBeUndefined();
  });

  it('answers every link `npm run links` prints with its page, and its first message reaches that business over the socket', async () => {
    const links = chatLinks([...rt.engine.bots.values()], rt.i18n, PUBLIC_URL);
    expect(links.length).toBe(2 + 15 + 1);
    for (const link of links) {
      const res = await get(link.url.slice(PUBLIC_URL.length));
      expect(res.status, link.url).toBe(200);
      expect(pageData(await res.text()).bot).toBe(link.botId);
    }
    const page = pageData(await (await get('/b/warung-bu-sri')).text());
    const first = page.languages.find((l) => l.locale === 'en')?.labels.open ?? '';
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`);
    const texts: string[] = [];
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; message?: { text?: string } };
      if (frame.type === 'message' && frame.message?.text) texts.push(frame.message.text);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ v: 1, type: 'hello', botId: page.bot, locale: 'en' }));
    ws.send(JSON.stringify({ v: 1, type: 'text', id: 'link-1', text: first }));
    await expect.poll(() => texts.join('\n'), { timeout: 10_000 }).toContain('What would you like to see at Warung Makan Bu Sri?');
    expect(texts.join('\n')).toContain('Welcome to Warung Makan Bu Sri (Jakarta)!');
    ws.close();
  });

  it('gives a wa.me link with the prefilled message of the business where the bot has a WhatsApp number', () => {
    const links = chatLinks([...rt.engine.bots.values()], rt.i18n, PUBLIC_URL);
    const padaria = links.find((l) => l.business?.slug === 'padaria-sao-jorge');
    expect(padaria?.whatsapp).toBe(`https://wa.me/447700900123?text=${encodeURIComponent('Olá! Quero comprar na loja Padaria São Jorge. #padaria-sao-jorge')}`);
    expect(links.find((l) => l.botId === 'directory' && !l.business)?.whatsapp).toBe('https://wa.me/447700900123');
    // The corner bakery is not on WhatsApp.
    expect(links.filter((l) => l.botId === 'corner-bakery').every((l) => l.whatsapp === undefined)).toBe(true);
  });

  it('serves QR codes (PNG and SVG) that hold the public link', async () => {
    const png = await get('/b/padaria-sao-jorge/qr.png');
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(readQr(Buffer.from(await png.arrayBuffer()))).toBe(`${PUBLIC_URL}/b/padaria-sao-jorge`);
    expect(readQr(Buffer.from(await (await get('/chat/corner-bakery/qr.png')).arrayBuffer()))).toBe(`${PUBLIC_URL}/chat/corner-bakery`);
    const svg = await get('/b/padaria-sao-jorge/qr.svg');
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*viewBox=.*<path/s);
    expect((await get('/b/no-such-shop/qr.png')).status).toBe(404);
  });

  it('answers an unknown link with a not-found page in the visitor\'s language, never another bot', async () => {
    const cases: [string, string, string][] = [
      ['pt-BR,pt;q=0.9,en;q=0.5', 'pt-BR', 'Este link de conversa não existe'],
      ['es-MX', 'es-MX', 'Este enlace de chat no existe'],
      ['id-ID,id;q=0.9', 'id', 'Tautan chat ini tidak ada'],
      ['fr-FR,fr;q=0.9', 'en', 'This chat link does not exist'],
      ['de;q=0.9,es;q=0.8', 'es', 'Este enlace de chat no existe'],
    ];
    for (const [language, lang, title] of cases) {
      for (const url of ['/b/no-such-shop', '/chat/no-such-bot', '/?bot=no-such-bot', '/b/padaria-sao-jorge?bot=corner-bakery']) {
        const res = await get(url, language);
        expect(res.status, url).toBe(404);
        const html = await res.text();
        expect(html).toContain(`<html lang="${lang}">`);
        expect(html).toContain(`<h1>${title}</h1>`);
        expect(html).not.toContain('data-bot');
        // The directory is offered as a way on, by its own link.
        expect(html).toContain('href="/"');
      }
    }
  });
});

describe('npm run links', () => {
  it('prints the links of a bot and writes their QR codes', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'vitrine-links-'));
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/links.ts', 'bots/directory', '--out', out, '--public-url', PUBLIC_URL], { cwd: ROOT });
      expect(stdout).toContain('directory — Vitrine Directory');
      expect(stdout).toContain(`chat:      ${PUBLIC_URL}/chat/directory`);
      expect(stdout).toContain('  Taquería El Güero (taqueria-el-guero)');
      expect(stdout).toContain(`chat:      ${PUBLIC_URL}/b/taqueria-el-guero`);
      expect(stdout).toContain('message:   ¡Hola! Quiero comprar en Taquería El Güero. #taqueria-el-guero');
      expect(stdout).toContain('WhatsApp:  https://wa.me/447700900123?text=');
      expect(stdout).not.toContain('corner-bakery');
      expect(readQr(readFileSync(path.join(out, 'directory', 'taqueria-el-guero.png')))).toBe(`${PUBLIC_URL}/b/taqueria-el-guero`);
      expect(readQr(readFileSync(path.join(out, 'directory', 'taqueria-el-guero-whatsapp.png')))).toContain('https://wa.me/447700900123?text=');
      expect(existsSync(path.join(out, 'directory.svg'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('names the bots there are when asked for one that is not', async () => {
    const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/links.ts', 'no-such-bot'], { cwd: ROOT }).then(() => undefined, (err: { code: number; stderr: string }) => err);
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('no bot "no-such-bot" in bots: expected one of corner-bakery, directory');
  });
});
