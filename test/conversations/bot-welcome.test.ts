import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { plain } from '../support/text.ts';

/** corner-bakery copied as `plain-bakery`, without its texts/ folder. */
function bakeryWithoutTexts(): { root: string; dir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'vitrine-plain-'));
  const dir = path.join(root, 'plain-bakery');
  cpSync(path.join(BOTS_DIR, 'corner-bakery'), dir, { recursive: true });
  rmSync(path.join(dir, 'texts'), { recursive: true });
  const yaml = readFileSync(path.join(dir, 'bot.yaml'), 'utf8');
  writeFileSync(path.join(dir, 'bot.yaml'), yaml.replace('id: corner-bakery', 'id: plain-bakery').replace('slug: corner-bakery', 'slug: plain-bakery'));
  return { root, dir };
}

describe('the welcome of a one-shop bot', () => {
  const plainBakery = bakeryWithoutTexts();
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime({ botDirs: [path.join(BOTS_DIR, 'corner-bakery'), plainBakery.dir] });
  });
  afterAll(async () => {
    await rt.dispose();
    rmSync(plainBakery.root, { recursive: true, force: true });
  });

  it('shows the bot\'s English welcome (texts/en.yaml) to English customers only', async () => {
    const english = plain(await createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'amy', locale: 'en-GB' }).say('hi'));
    expect(english).toContain('Morning! This is Corner Bakery');
    const spanish = plain(await createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'lucia', locale: 'es' }).say('hola'));
    expect(spanish).not.toContain('Morning!');
    expect(spanish).toContain('Corner Bakery');
    const portuguese = plain(await createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'joao', locale: 'pt-BR' }).say('olá'));
    expect(portuguese).not.toContain('Morning!');
    expect(portuguese).toContain('Corner Bakery');
  });

  it.each([
    ['en-GB', 'hi', /welcome/gi, /find a shop/i],
    ['es', 'hola', /bienvenida/gi, /encontrarte una tienda/i],
    ['pt-BR', 'olá', /boas-vindas/gi, /encontrar uma loja/i],
  ])('greets once in the words of a shop, not of a directory (%s)', async (locale, hello, welcome, directoryWords) => {
    const reply = plain(await createTestConversation(rt.engine, { botId: 'plain-bakery', customerId: `plain-${locale}`, locale }).say(hello));
    expect(reply).toContain('Corner Bakery');
    expect(reply.match(welcome)).toHaveLength(1);
    expect(reply).not.toMatch(directoryWords);
  });
});
