import { createHmac, timingSafeEqual } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentProviders, type PaymentProviderDescriptor } from '../../engine/index.ts';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { ARTIFACTS, chromiumFor, launchChromium, listenOnLoopback } from '../support/browser.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

const hasChromium = chromiumFor('the web chat shop state browser test');

// ---- A payment page provider of this test: a link to open, and a signed webhook that says it was paid. ----

const SECRET = 'tab-signing-secret';
const sign = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');

const tabPayments: PaymentProviderDescriptor = {
  id: 'tab',
  env: { TAB_SECRET: 'the webhook signing secret' },
  create: (env) => (env['TAB_SECRET'] ? {
    id: 'tab',
    async createPayment(order) {
      const ref = `tab_${order.id}_v${order.version}`;
      return { kind: 'redirect', providerRef: ref, url: `https://pay.tab.test/${ref}` };
    },
    webhook: {
      verify({ body, headers }) {
        const given = Buffer.from(String(headers['tab-signature'] ?? ''), 'hex');
        const expected = Buffer.from(sign(body.toString('utf8')), 'hex');
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature does not match' };
        return { ok: true, event: JSON.parse(body.toString('utf8')) as { id: string; ref: string } };
      },
      read(event) {
        const { id, ref } = event as { id: string; ref: string };
        return { eventId: id, type: 'paid', providerRef: ref, outcome: 'paid' };
      },
    },
  } : undefined),
};

let rt: TestRuntime;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let botRoot: string;

beforeAll(async () => {
  if (!hasChromium) return;
  botRoot = mkdtempSync(path.join(tmpdir(), 'vitrine-tab-bot-'));
  const botDir = path.join(botRoot, 'directory');
  cpSync(path.join(BOTS_DIR, 'directory'), botDir, { recursive: true });
  const yaml = path.join(botDir, 'bot.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/provider: \w+/, 'provider: tab'));
  const payments = createPaymentProviders([tabPayments], { TAB_SECRET: SECRET }, { publicUrl: 'http://127.0.0.1', logger: pino({ level: 'silent' }) });
  rt = await createTestRuntime({ botDirs: [botDir], payments });
  app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
  base = await listenOnLoopback(app);
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await rt?.dispose();
  if (botRoot) rmSync(botRoot, { recursive: true, force: true });
});

/** A phone-sized page of the web chat in an English browser. */
async function openPage(url = base, viewport = { width: 390, height: 844 }): Promise<Page> {
  const page = await browser.newPage({ viewport, locale: 'en-GB', deviceScaleFactor: 2 });
  // Example catalog images and the payment page are on hosts the test does not reach.
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  await page.goto(url);
  await page.locator('body[data-ready="true"]').waitFor();
  return page;
}

const tap = (page: Page, label: string | RegExp) => page.locator('.options button:not([disabled])', { hasText: label }).click();

async function type(page: Page, text: string): Promise<void> {
  await page.fill('#input', text);
  await page.click('#send');
}

/** From the directory to Hackney Bread Co. with a sausage roll in the cart. */
async function shopAtHackney(page: Page): Promise<void> {
  await page.locator('.msg.bot', { hasText: 'What are you looking for?' }).waitFor();
  await type(page, 'bakery london');
  await tap(page, 'Hackney Bread Co.');
  await page.locator('.msg.bot', { hasText: 'What would you like to see' }).waitFor();
  await type(page, 'sausage roll');
  await page.locator('button.card:not([disabled])').filter({ has: page.locator('.name', { hasText: /^Sausage roll$/ }) }).click();
  await tap(page, 'Add 1');
  await page.locator('.msg.bot', { hasText: '1 × Sausage roll' }).waitFor();
}

describe('the web chat page shows where the customer is and what their order is', () => {
  it.skipIf(!hasChromium)('names the shop the customer is at in the header, and the bot in its directory', async () => {
    const page = await openPage();
    const brand = page.locator('.chat-header .brand');
    expect(await brand.textContent()).toBe('Vitrine Directory');
    await shopAtHackney(page);
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-header-shop.png') });
    await expect.poll(() => brand.textContent()).toBe('Hackney Bread Co.');
    expect(await page.title()).toBe('Hackney Bread Co.');

    // A reload keeps the shop in the header.
    await page.reload();
    await page.locator('body[data-ready="true"]').waitFor();
    await expect.poll(() => brand.textContent()).toBe('Hackney Bread Co.');

    // Back in the directory, the header names the bot again.
    await type(page, 'other shop');
    await page.locator('.msg.bot', { hasText: 'What are you looking for?' }).last().waitFor();
    await expect.poll(() => brand.textContent()).toBe('Vitrine Directory');
    await page.close();
  });

  it.skipIf(!hasChromium)('labels the cart\'s total', async () => {
    const page = await openPage();
    await shopAtHackney(page);
    await tap(page, 'View cart');
    const foot = page.locator('.msg.bot[data-kind="cart"] table.cart tfoot tr').last();
    await foot.waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-cart-total.png') });
    expect((await foot.locator('td').allTextContents()).map((t) => t.trim())).toEqual(['Total', '£3.20']);
    await page.close();
  });

  it.skipIf(!hasChromium)('shows the amount once on the pay button, and a paid order\'s button as paid, also after a reload', async () => {
    const page = await openPage();
    await shopAtHackney(page);
    await tap(page, 'View cart');
    await tap(page, 'Check out');
    const pay = page.locator('a.pay');
    await pay.waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-pay-open.png') });
    expect((await pay.textContent())?.trim()).toBe('Pay £3.20');

    const number = (await page.locator('.msg.order').first().textContent())?.match(/VT-[A-Z0-9]+/)?.[0] ?? '';
    const order = await rt.db.order.findUniqueOrThrow({ where: { number }, include: { payments: true } });
    const body = JSON.stringify({ id: `tab_evt_${order.id}`, ref: order.payments[0]?.providerRef });
    const res = await fetch(`${base}/webhooks/payments/tab`, { method: 'POST', headers: { 'content-type': 'application/json', 'tab-signature': sign(body) }, body });
    expect(res.status).toBe(200);
    await page.locator('.msg.order .status', { hasText: 'paid' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-pay-paid.png') });

    const settled = page.locator('.pay', { hasText: 'Paid' });
    await settled.waitFor();
    expect(await page.locator('a.pay').count()).toBe(0);
    expect(await settled.isDisabled()).toBe(true);

    // The history a reload replays ends with the receipt: the button is paid there too.
    await page.reload();
    await page.locator('body[data-ready="true"]').waitFor();
    await page.locator('.msg.order .status', { hasText: 'paid' }).waitFor();
    expect(await page.locator('a.pay').count()).toBe(0);
    expect(await page.locator('.pay', { hasText: 'Paid' }).isDisabled()).toBe(true);
    await page.close();
  });

  it.skipIf(!hasChromium)('fits a small phone: the header, the cart and its buttons stay inside the screen', async () => {
    const page = await openPage(base, { width: 320, height: 640 });
    await shopAtHackney(page);
    await tap(page, 'View cart');
    await page.locator('.msg.bot[data-kind="cart"] table.cart').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-small-phone.png') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await expect.poll(() => page.locator('.chat-header .brand').textContent()).toBe('Hackney Bread Co.');
    await page.close();
  });
});
