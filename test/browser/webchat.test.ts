import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, chromiumFor, servedInChromium } from '../support/browser.ts';

const hasChromium = chromiumFor('the web chat browser test');

describe('web chat in a real browser', () => {
  const served = servedInChromium(hasChromium);

  /** A phone-sized page of the web chat in a browser set to `locale`. */
  async function openPage(locale: string, url = served.base): Promise<Page> {
    const page = await served.browser.newPage({ viewport: { width: 390, height: 844 }, locale, deviceScaleFactor: 2 });
    // Only the test server answers: a request anywhere else gets nothing (product pictures are the server's own).
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    await page.goto(url);
    return page;
  }

  it.skipIf(!hasChromium)('lets a customer on a phone find a bakery, fill a cart and check out', async () => {
    const page = await openPage('en-GB');
    await page.locator('body[data-ready="true"]').waitFor();
    await expect.poll(() => page.locator('#input').getAttribute('placeholder')).toBe('Type a message');
    // The language menu lists the bot's locales, each named in itself.
    expect(await page.locator('#language option').allTextContents()).toEqual(['English', 'Português (Brasil)', 'Español de México', 'Español (Colombia)', 'Indonesia']);
    await page.locator('.msg.bot', { hasText: 'What are you looking for?' }).waitFor();

    await page.fill('#input', 'bakery london');
    await page.click('#send');
    await page.locator('.options button:not([disabled])', { hasText: 'Hackney Bread Co.' }).click();
    await page.locator('.options button:not([disabled])').first().click();
    const product = page.locator('button.card:not([disabled])').first();
    const productName = (await product.locator('.name').textContent()) ?? '';
    await product.click();
    await page.locator('.msg.bot[data-kind="product"] .name', { hasText: productName }).waitFor();
    await page.locator('.options button:not([disabled])', { hasText: 'Add 1' }).click();
    await page.locator('.msg.bot', { hasText: `1 × ${productName}` }).waitFor();
    await page.locator('.options button:not([disabled])', { hasText: 'View cart' }).click();
    await page.locator('table.cart td', { hasText: productName }).first().waitFor();
    await page.locator('.options button:not([disabled])', { hasText: 'Check out' }).click();

    const order = page.locator('.msg.order');
    await order.waitFor();
    expect(await order.textContent()).toMatch(/Order [A-Z]+-[A-Z0-9]+ is placed/);
    const pay = page.locator('a.pay');
    if ((await pay.count()) > 0) expect(await pay.getAttribute('target')).toBe('_blank');
    else await page.locator('.msg.bot', { hasText: 'Payment pending' }).waitFor();

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat.png') });
    const number = (await order.textContent())?.match(/[A-Z]+-[A-Z0-9]+/)?.[0] ?? '';
    const stored = await served.rt.db.order.findUniqueOrThrow({ where: { number } });
    expect(stored.status).toBe('awaiting_payment');
  });

  it.skipIf(!hasChromium)('speaks Colombian Spanish to a Colombian browser, with $ 8.000 prices throughout', async () => {
    const page = await openPage('es-CO');
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.locator('#language').inputValue()).toBe('es-CO');
    // The page's own greeting ("Hola") must not turn the conversation Mexican.
    await page.locator('.msg.bot', { hasText: 'Qué bueno tenerte por acá' }).waitFor();
    await page.fill('#input', 'arepas medellín');
    await page.click('#send');
    await page.locator('.options button:not([disabled])', { hasText: 'Arepería Doña Rosa' }).click();
    await page.locator('.options button:not([disabled])', { hasText: 'Arepas' }).first().click();
    const prices = page.locator('button.card:not([disabled]) .price');
    await prices.first().waitFor();
    const shown = (await prices.allTextContents()).map((p) => p.replace(/[\u00a0\u202f]/g, ' '));
    expect(shown.length).toBeGreaterThan(0);
    for (const price of shown) expect(price).toMatch(/^\$ \d{1,3}(\.\d{3})+$/);
    await page.locator('button.card:not([disabled])').first().click();
    await page.locator('.options button:not([disabled])', { hasText: /Agregar 1|Añadir 1/ }).click();
    const added = page.locator('.msg.bot', { hasText: '1 ×' });
    await added.waitFor();
    expect((await added.textContent())?.replace(/[\u00a0\u202f]/g, ' ')).toMatch(/canasta: 1 artículo, \$ \d{1,3}\.\d{3}/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-es-co.png') });
    await page.close();
  });

  it.skipIf(!hasChromium)('shows the recent conversation and the current question again after a reload', async () => {
    const page = await openPage('en-GB');
    await page.locator('.msg.bot', { hasText: 'What are you looking for?' }).waitFor();
    await page.fill('#input', 'bakery london');
    await page.click('#send');
    await page.locator('.options button:not([disabled])', { hasText: 'Hackney Bread Co.' }).click();
    const question = page.locator('.msg.bot', { hasText: 'What would you like to see' });
    await question.waitFor();

    await page.reload();
    await page.locator('body[data-ready="true"]').waitFor();
    await page.locator('.msg.me', { hasText: 'bakery london' }).waitFor({ timeout: 5000 });
    await page.locator('.msg.bot', { hasText: 'What are you looking for?' }).waitFor();
    await question.waitFor();
    // Only the current question can be answered; older buttons are spent.
    await page.locator('.options button[disabled]', { hasText: 'Hackney Bread Co.' }).waitFor();
    expect(await page.locator('.options button:not([disabled])', { hasText: 'Hackney Bread Co.' }).count()).toBe(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-reloaded.png') });
    await question.locator('.options button:not([disabled])').first().click();
    await page.locator('button.card:not([disabled])').first().waitFor();
    await page.close();
  });

  it.skipIf(!hasChromium)('shows each product card with its picture, loaded from the server', async () => {
    const page = await openPage('en-GB');
    await page.locator('.msg.bot', { hasText: 'What are you looking for?' }).waitFor();
    await page.fill('#input', 'bakery london');
    await page.click('#send');
    await page.locator('.options button:not([disabled])', { hasText: 'Hackney Bread Co.' }).click();
    await page.locator('.options button:not([disabled])').first().click();
    const pictures = page.locator('button.card:not([disabled]) img');
    await pictures.first().waitFor();
    expect(await pictures.count()).toBeGreaterThan(1);
    for (const picture of await pictures.all()) {
      await picture.scrollIntoViewIfNeeded();
      // Decoded, so it came whole from the server: requests elsewhere get nothing.
      await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(400);
      expect(await picture.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(new RegExp(`^${served.base}/media/directory/images/hackney-bread-co/[a-z-]+\\.jpg$`));
    }
    // Every card of a product with a picture shows it; the others are cards without one.
    const names = await page.locator('button.card:not([disabled]) .name').allTextContents();
    const stored = await served.rt.db.product.findMany({ where: { name: { in: names }, business: { slug: 'hackney-bread-co' } } });
    const withPicture = await page.locator('button.card:not([disabled]):has(img) .name').allTextContents();
    expect(withPicture.sort()).toEqual(stored.filter((p) => p.imageUrl !== null).map((p) => p.name).sort());
    await page.locator('.msg.bot').last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-product-images.png') });

    // The product's own message shows the same picture, larger than in the list.
    await page.locator('button.card:not([disabled])').first().click();
    const shown = page.locator('.msg.bot[data-kind="product"] .card img');
    await shown.waitFor();
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(400);
    expect((await shown.boundingBox())?.width).toBeGreaterThan(150);
    await page.close();
  });
});
