import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, chromiumFor, servedInChromium } from '../support/browser.ts';

const hasChromium = chromiumFor('the sandbox payment browser test');

describe('a test payment in a real browser', () => {
  const served = servedInChromium(hasChromium);

  it.skipIf(!hasChromium)('checks out in the web chat, pays on the TEST MODE page in a new tab and shows the receipt in the chat', async () => {
    const context = await served.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', deviceScaleFactor: 2 });
    // Links carry PUBLIC_URL (localhost:3000); this server listens elsewhere on loopback.
    await context.route(/^http:\/\/localhost:3000\//, (route) => route.continue({ url: route.request().url().replace('http://localhost:3000', served.base) }));
    await context.route(/^https?:\/\/(?!127\.0\.0\.1|localhost:3000)/, (route) => route.abort());
    const chat = await context.newPage();
    await chat.goto(served.base);
    await chat.locator('body[data-ready="true"]').waitFor();
    await chat.locator('.msg.bot', { hasText: 'What are you looking for?' }).waitFor();
    await chat.fill('#input', 'bakery london');
    await chat.click('#send');
    await chat.locator('.options button:not([disabled])', { hasText: 'Hackney Bread Co.' }).click();
    await chat.fill('#input', 'sausage roll');
    await chat.click('#send');
    await chat.locator('button.card:not([disabled])', { hasText: 'Sausage roll' }).first().click();
    await chat.locator('.options button:not([disabled])', { hasText: 'Add 1' }).click();
    await chat.locator('.options button:not([disabled])', { hasText: 'View cart' }).click();
    await chat.locator('.options button:not([disabled])', { hasText: 'Check out' }).click();
    const pay = chat.locator('a.pay');
    await pay.waitFor();
    expect(await pay.textContent()).toMatch(/^Pay £\d+\.\d\d \(test\)/);
    const number = (await chat.locator('.msg.order').first().textContent())?.match(/[A-Z]+-[A-Z0-9]+/)?.[0] ?? '';

    const [sandbox] = await Promise.all([context.waitForEvent('page'), pay.click()]);
    await sandbox.waitForLoadState();
    await sandbox.locator('.banner', { hasText: 'TEST MODE — no money moves' }).waitFor();
    expect(await sandbox.locator('h1').textContent()).toBe(`Order ${number} at Hackney Bread Co.`);
    expect(await sandbox.locator('table').textContent()).toMatch(/1 × Sausage roll£\d+\.\d\dTotal£\d+\.\d\d/);
    await sandbox.screenshot({ path: path.join(ARTIFACTS, 'sandbox-page.png') });
    await sandbox.getByRole('button', { name: 'Pay (test)' }).click();
    await sandbox.locator('h1', { hasText: 'Paid (test)' }).waitFor();
    await sandbox.screenshot({ path: path.join(ARTIFACTS, 'sandbox-paid.png') });

    await chat.bringToFront();
    await chat.locator('.msg.bot', { hasText: `Receipt for order ${number}` }).waitFor();
    await chat.locator('.msg.bot', { hasText: 'Payment received, thank you!' }).waitFor();
    await chat.screenshot({ path: path.join(ARTIFACTS, 'sandbox-receipt-in-chat.png') });
    expect((await served.rt.db.order.findUniqueOrThrow({ where: { number } })).status).toBe('paid');
    await context.close();
  });
});
