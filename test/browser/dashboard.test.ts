import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { hashApiKey } from '../../server/routes/business-api.ts';
import { ARTIFACTS, chromiumFor, launchChromium, listenOnLoopback } from '../support/browser.ts';
import { cashBakery } from '../support/cash-bakery.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { Client, optionId } from '../support/webchat-client.ts';

const hasChromium = chromiumFor('the staff dashboard browser test');
const KEY = 'vt_test-dashboard-browser-key';
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

describe('the staff dashboard in a real browser', () => {
  let rt: TestRuntime;
  let app: FastifyInstance;
  let base = '';
  let browser: Browser;

  beforeAll(async () => {
    if (!hasChromium) return;
    // The corner bakery takes cash: the shop marks its orders paid itself.
    rt = await createTestRuntime({ botDirs: [cashBakery()] });
    app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
    base = await listenOnLoopback(app);
    browser = await launchChromium();
    const bakery = await rt.db.business.findFirstOrThrow({ where: { botId: 'corner-bakery' } });
    await rt.db.apiKey.create({ data: { businessId: bakery.id, hash: hashApiKey(KEY) } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await rt?.dispose();
  });

  /** The dashboard in a browser set to English, at a size; only the test server answers. */
  async function dashboard(viewport: { width: number; height: number }): Promise<Page> {
    const page = await browser.newPage({ viewport, locale: 'en-GB', deviceScaleFactor: 1 });
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    await page.goto(`${base}/dashboard`);
    await page.locator('body[data-ready="true"]').waitFor();
    return page;
  }

  async function signIn(page: Page, key = KEY): Promise<void> {
    await page.fill('#key', key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** A customer buys two white sourdough loaves over the web chat socket and checks out to pick them up (cash: the order waits). */
  async function customerBuys(): Promise<Client> {
    const client = await Client.open(`${base.replace('http', 'ws')}/ws`);
    client.send({ type: 'hello', botId: 'corner-bakery' });
    await client.until((f) => f.type === 'welcome');
    const categories = await client.say('hi');
    const bread = await client.tap(optionId(categories, (l) => l.includes('Bread')));
    const product = await client.tap(optionId(bread, (l) => l.includes('White sourdough')));
    expect(product.map((m) => m.kind)).toContain('product');
    await client.say('2');
    const cart = await client.say('cart');
    const how = await client.tap(optionId(cart, (l) => l === 'Check out'));
    await client.tap(optionId(how, (l) => l === 'Pick up'), 'text');
    // A person types slower than the web chat's flood limit (10 messages at once, then one a second).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await client.say('Ana Souza', 'text');
    await client.say('020 7946 0000');
    const summary = await client.say('skip');
    // Confirmed without waiting: the page must show the order as it arrives.
    client.send({ type: 'choice', optionId: optionId(summary, (l) => l === 'Confirm order') });
    return client;
  }
  /** Waits for a bot text to the customer that contains `text`. */
  const told = (client: Client, text: string) => client.until((f) => f.type === 'message' && JSON.stringify(f.message).includes(text));

  it.skipIf(!hasChromium)('signs in with a key, shows a web chat order as it arrives, marks it paid then fulfilled with its buttons, and the customer is told', async () => {
    const page = await dashboard(LAPTOP);
    expect(await page.locator('#language option').allTextContents()).toEqual(['English', 'português (Brasil)', 'español', 'Indonesia']);
    await signIn(page);
    await page.locator('#business-name', { hasText: 'Corner Bakery' }).waitFor();
    await page.locator('#orders-empty').waitFor();

    // Nothing reloads the list but the live channel: the order shows up because the server said so.
    const client = await customerBuys();
    const row = page.locator('#order-list .row').first();
    await row.waitFor({ timeout: 10_000 });
    const number = (await row.getAttribute('data-order')) ?? '';
    expect(number).toMatch(/^CB-/);
    expect(await row.textContent()).toContain('Awaiting payment');
    expect(await row.textContent()).toContain('£11.00');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-orders-laptop.png') });

    await row.click();
    const detail = page.locator('#order-detail');
    await detail.locator('h2', { hasText: `Order ${number}` }).waitFor();
    expect(await detail.locator('.items').textContent()).toContain('2 ×White sourdough£11.00');
    // Who ordered and how it reaches them.
    const block = (title: string) => detail.locator('section', { has: page.getByRole('heading', { name: title, exact: true }) });
    expect(await block('Customer').textContent()).toBe('CustomerNameAna SouzaPhone02079460000ChannelWeb chat');
    expect(await block('How it reaches the customer').textContent()).toBe('How it reaches the customerMethodPickup');
    // The buttons are the marks the order machine allows for an unpaid cash order.
    expect(await detail.locator('[data-mark]').allTextContents()).toEqual(['Mark paid', 'Cancel order']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-order-laptop.png') });
    // Cancelling asks first; keeping the order changes nothing.
    await detail.getByRole('button', { name: 'Cancel order' }).click();
    await detail.locator('.confirm', { hasText: `Cancel order ${number}? The customer will be told in their chat.` }).waitFor();
    await detail.getByRole('button', { name: 'Keep the order' }).click();
    expect((await rt.db.order.findUniqueOrThrow({ where: { number } })).status).toBe('awaiting_payment');

    await detail.getByRole('button', { name: 'Mark paid' }).click();
    await detail.locator('.detail-head .pill', { hasText: 'Paid' }).waitFor();
    expect(await detail.locator('[data-mark]').allTextContents()).toEqual(['Mark fulfilled', 'Refund']);
    await told(client, 'Payment received');
    await detail.getByRole('button', { name: 'Mark fulfilled' }).click();
    await detail.locator('.detail-head .pill', { hasText: 'Fulfilled' }).waitFor();
    await told(client, `Order ${number} at Corner Bakery is ready to collect at 12 Chalcot Road, London NW1.`);
    expect(await detail.locator('.history li').allTextContents()).toEqual([
      expect.stringMatching(/^Order placed → Awaiting payment\w/), expect.stringMatching(/^Payment received by the shop → Paid\w/), expect.stringMatching(/^Fulfilled \w/),
    ]);
    expect(await page.locator('#order-list .row').first().textContent()).toContain('Fulfilled');
    // A refund cannot be undone: it asks first, naming the amount.
    await detail.getByRole('button', { name: 'Refund' }).click();
    await detail.locator('.confirm', { hasText: `Refund £11.00 of order ${number}? The money goes back to the customer and this cannot be undone.` }).waitFor();
    await detail.getByRole('button', { name: 'Keep the order' }).click();
    expect((await rt.db.order.findUniqueOrThrow({ where: { number } })).status).toBe('fulfilled');
    await detail.getByRole('button', { name: 'Refund' }).click();
    await detail.getByRole('button', { name: 'Yes, refund it' }).click();
    await detail.locator('.detail-head .pill', { hasText: 'Refunded' }).waitFor();
    await told(client, 'refunded');
    client.ws.close();

    await page.getByRole('tab', { name: 'Funnel' }).click();
    await page.locator('#funnel-chart canvas').waitFor();
    expect(await page.locator('#funnel-totals .total').allTextContents()).toEqual(['1Chats started', '1Found the shop', '1Viewed a product', '1Added to cart', '1Checked out', '1Paid']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-funnel-laptop.png'), fullPage: true });
    await page.close();

    // On a phone: the list, then the order alone, then the funnel.
    const phone = await dashboard(PHONE);
    await signIn(phone);
    await phone.locator('#order-list .row').first().waitFor();
    await phone.screenshot({ path: path.join(ARTIFACTS, 'dashboard-orders-phone.png') });
    await phone.locator('#order-list .row').first().click();
    await phone.locator('#order-detail h2', { hasText: number }).waitFor();
    expect(await phone.locator('#order-list').isVisible()).toBe(false);
    await phone.screenshot({ path: path.join(ARTIFACTS, 'dashboard-order-phone.png'), fullPage: true });
    await phone.getByRole('tab', { name: 'Funnel' }).click();
    await phone.locator('#funnel-chart canvas').waitFor();
    await phone.screenshot({ path: path.join(ARTIFACTS, 'dashboard-funnel-phone.png'), fullPage: true });
    // No one asked for a person: the inbox says it is empty.
    await phone.getByRole('tab', { name: 'Conversations' }).click();
    await phone.locator('#conversations-empty').waitFor();
    // Signing out forgets the key.
    await phone.getByRole('button', { name: 'Sign out' }).click();
    await phone.locator('#signin-form').waitFor();
    expect(await phone.evaluate(() => sessionStorage.length)).toBe(0);
    await phone.close();
  });

  it.skipIf(!hasChromium)('shows a hand-off in the inbox as it arrives, reads it, answers the customer on the web chat and hands the chat back to the bot', async () => {
    const page = await dashboard(LAPTOP);
    await signIn(page);
    await page.getByRole('tab', { name: 'Conversations' }).click();
    await page.locator('#conversations-empty').waitFor();

    const client = await Client.open(`${base.replace('http', 'ws')}/ws`);
    client.send({ type: 'hello', botId: 'corner-bakery' });
    await client.until((f) => f.type === 'welcome');
    await client.say('hi');
    client.send({ type: 'text', text: 'can I talk to a person please' });
    await told(client, "I've told the team at Corner Bakery that you'd like to talk to a person.");
    client.send({ type: 'text', text: 'Is the white sourdough vegan?' });

    // Nothing reloads the page but the live channel: the waiting chat and its unread count show up.
    const row = page.locator('#conversation-list .row').first();
    await row.locator('.badge', { hasText: '1' }).waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('Waiting');
    expect(await page.locator('#inbox-badge').textContent()).toBe('1');

    await row.click();
    const detail = page.locator('#conversation-detail');
    await detail.locator('.transcript li', { hasText: 'Is the white sourdough vegan?' }).waitFor();
    // Opening it reads it: the tab's badge goes.
    await page.locator('#inbox-badge').waitFor({ state: 'hidden' });
    await detail.getByRole('textbox').fill('Yes, it is made with flour, water and salt only.');
    await detail.getByRole('button', { name: 'Send' }).click();
    await told(client, 'Corner Bakery: Yes, it is made with flour, water and salt only.');
    await detail.locator('.transcript li.from-staff', { hasText: 'flour, water and salt' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-conversation-laptop.png') });

    await detail.getByRole('button', { name: 'Hand back to the bot' }).click();
    await told(client, "The team at Corner Bakery has finished the chat. I'm back to help you.");
    // The bot has the chat again: no reply box, and the page says why.
    await detail.locator('.with-bot', { hasText: 'The bot has this chat.' }).waitFor();
    expect(await detail.locator('form.reply').count()).toBe(0);
    // The bot answers again.
    const menu = await client.say('hi');
    expect(JSON.stringify(menu)).toContain('Bread');
    client.ws.close();

    const phone = await dashboard(PHONE);
    await signIn(phone);
    await phone.getByRole('tab', { name: 'Conversations' }).click();
    await phone.locator('#conversation-filters select').selectOption('all');
    await phone.locator('#conversation-list .row').first().click();
    await phone.locator('#conversation-detail .transcript li.from-staff').waitFor();
    await phone.screenshot({ path: path.join(ARTIFACTS, 'dashboard-conversation-phone.png'), fullPage: true });
    await phone.close();
    await page.close();
  });

  it.skipIf(!hasChromium)('says so when the key is wrong, and shows nothing of any shop', async () => {
    const page = await dashboard(PHONE);
    await signIn(page, 'vt_not-a-key');
    await page.locator('#signin-error', { hasText: "This key isn't valid." }).waitFor();
    expect(await page.locator('#app').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-wrong-key-phone.png') });
    await page.close();
  });

  it.skipIf(!hasChromium)('shows a banner while the server is unreachable and recovers when it is back', async () => {
    const page = await dashboard(LAPTOP);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await signIn(page);
    await page.locator('#order-list .row').first().waitFor();
    const port = new URL(base).port;
    await app.close();
    const banner = page.locator('#banner', { hasText: "Can't reach the server. Retrying…" });
    await banner.waitFor({ timeout: 10_000 });
    // The page stays as it was under the banner.
    expect(await page.locator('#order-list .row').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-unreachable-laptop.png') });

    app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
    await app.listen({ port: Number(port), host: '127.0.0.1' });
    await banner.waitFor({ state: 'hidden', timeout: 20_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
