import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, chromiumFor, servedInChromium } from '../support/browser.ts';
import { readQrCode } from '../support/qr.ts';

const hasChromium = chromiumFor('the chat links browser test');

describe('chat links in a real browser', () => {
  const served = servedInChromium(hasChromium);

  it.skipIf(!hasChromium)('opens a business\'s link on a phone straight at its catalog, in the visitor\'s language, once per visit', async () => {
    const page = await served.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'pt-BR', deviceScaleFactor: 2 });
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    await page.goto(`${served.base}/b/padaria-sao-jorge`);
    expect(await page.locator('.brand').textContent()).toBe('Padaria São Jorge');
    await page.locator('.msg.me', { hasText: 'Olá! Quero comprar na loja Padaria São Jorge. #padaria-sao-jorge' }).waitFor();
    await page.locator('.msg.bot', { hasText: 'Boas-vindas à loja Padaria São Jorge (São Paulo)!' }).waitFor();
    await page.locator('.options button:not([disabled])', { hasText: 'Pães' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'link-business.png') });

    // A reload shows the conversation so far and continues it without opening the business again.
    await page.reload();
    await page.locator('body[data-ready="true"]').waitFor();
    await page.locator('.options button:not([disabled])', { hasText: 'Pães' }).waitFor();
    await page.fill('#input', '1');
    await page.click('#send');
    await page.locator('button.card .name', { hasText: 'Pão francês' }).first().waitFor();
    expect(await page.locator('.msg.me').allTextContents()).toEqual(['Olá! Quero comprar na loja Padaria São Jorge. #padaria-sao-jorge', '1']);
    expect(await page.locator('.msg.bot', { hasText: 'Boas-vindas à loja Padaria São Jorge' }).count()).toBe(1);
    await page.close();
  });

  it.skipIf(!hasChromium)('keeps a business open after a reload that comes before its reply, without greeting the bot again', async () => {
    const page = await served.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'pt-BR', deviceScaleFactor: 2 });
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    await page.goto(`${served.base}/b/padaria-sao-jorge`);
    await page.locator('.options button:not([disabled])', { hasText: 'Pães' }).waitFor();

    // The reloaded page hears of no delivered reply yet (its history is empty): the shop's answer is still on its way.
    let historyShown!: () => void;
    const historyFrame = new Promise<void>((resolve) => { historyShown = resolve; });
    await page.routeWebSocket(/\/ws$/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((data) => {
        const frame = JSON.parse(String(data)) as { type: string; entries?: unknown[] };
        if (frame.type === 'history') frame.entries = [];
        ws.send(JSON.stringify(frame));
        if (frame.type === 'history') historyShown();
      });
    });
    await page.reload();
    await historyFrame;
    await page.fill('#input', '1');
    await page.click('#send');
    await page.locator('button.card .name', { hasText: 'Pão francês' }).first().waitFor();
    expect(await page.locator('.msg.me').allTextContents()).toEqual(['1']);
    await page.close();
  });

  it.skipIf(!hasChromium)('shows an unknown link\'s page in the visitor\'s language, with the way to the directory', async () => {
    const page = await served.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'es-CO', deviceScaleFactor: 2 });
    const response = await page.goto(`${served.base}/b/panaderia-que-no-existe`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Este enlace de chat no existe');
    expect(await page.locator('a.pay').textContent()).toBe('Buscar una tienda en el directorio');
    await page.screenshot({ path: path.join(ARTIFACTS, 'link-not-found.png') });
    await page.click('a.pay');
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.locator('body').getAttribute('data-bot')).toBe('directory');
    await page.close();
  });

  it.skipIf(!hasChromium)('draws the SVG QR code so that a camera reads the link', async () => {
    const page = await served.browser.newPage({ viewport: { width: 400, height: 400 } });
    await page.goto(`${served.base}/b/warung-bu-sri/qr.svg`);
    const shot = await page.screenshot({ path: path.join(ARTIFACTS, 'link-qr.png') });
    expect(readQrCode(shot)).toBe(`${served.base}/b/warung-bu-sri`);
    await page.close();
  });
});
