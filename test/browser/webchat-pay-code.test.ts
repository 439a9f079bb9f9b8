import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PaymentProvider } from '../../engine/index.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { ARTIFACTS, chromiumFor, servedInChromium } from '../support/browser.ts';

const hasChromium = chromiumFor('the web chat payment code browser test');
const CODE = '00020101021226830014br.gov.bcb.pix2561pix.example/qr/v2/abc52040000530398654043.205802BR5910VITRINE PG6009SAO PAULO62070503***6304B14F';

describe('a payment code in the web chat', () => {
  const botRoot = mkdtempSync(path.join(tmpdir(), 'vitrine-code-bot-'));
  afterAll(() => rmSync(botRoot, { recursive: true, force: true }));
  const served = servedInChromium(hasChromium, () => {
    const botDir = path.join(botRoot, 'directory');
    cpSync(path.join(BOTS_DIR, 'directory'), botDir, { recursive: true });
    const yaml = path.join(botDir, 'bot.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/ {2}provider: \w+/, '  provider: codes\n  inChat: [pix]'));
    // A provider of this test whose payments are codes for the chat; its QR picture is one the server serves.
    const codes: PaymentProvider = {
      id: 'codes', inChat: ['pix'],
      async createPayment(order) {
        return {
          kind: 'redirect', providerRef: `codes_${order.id}`, url: `${served.base}/paid`, expiresAt: new Date(Date.now() + 30 * 60_000),
          code: { method: 'pix', value: CODE, imageUrl: `${served.base}/media/directory/images/hackney-bread-co/sausage-roll.jpg` },
        };
      },
    };
    return { botDirs: [botDir], payments: [codes] };
  });

  it.skipIf(!hasChromium)('shows the QR and the whole code with a button that copies it', async () => {
    const context = await served.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', deviceScaleFactor: 2 });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.base });
    const page = await context.newPage();
    await page.goto(`${served.base}/b/hackney-bread-co`);
    const say = async (text: string) => {
      await page.fill('#input', text);
      await page.click('#send');
    };
    await page.locator('.msg.bot', { hasText: 'What would you like to see' }).waitFor();
    await say('sausage roll');
    await page.locator('button.card:not([disabled])').filter({ has: page.locator('.name', { hasText: /^Sausage roll$/ }) }).click();
    await page.locator('.options button:not([disabled])', { hasText: 'Add 1' }).click();
    await page.locator('.msg.bot', { hasText: '1 × Sausage roll' }).waitFor();
    await say('cart');
    await page.locator('.options button:not([disabled])', { hasText: 'Check out' }).last().click();

    const box = page.locator('.pay-code');
    await box.waitFor();
    expect(await box.locator('code').textContent()).toBe(CODE);
    await expect.poll(() => box.locator('img.qr').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await page.locator('.msg.bot', { hasText: 'with Pix' }).last().textContent()).toContain('It is valid for 30 minutes.');
    await box.locator('button.copy').click();
    await expect.poll(() => box.locator('button.copy').textContent()).toBe('Copied ✓');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(CODE);
    await page.screenshot({ path: path.join(ARTIFACTS, 'webchat-pay-code.png') });
    await context.close();
  });
});
