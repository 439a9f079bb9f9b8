import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { pageLanguages } from '../../adapters/webchat/page-texts.ts';
import { FLOWS_DIR, standardTexts } from '../../flows/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const fixture = path.join(root, 'test', 'fixtures', 'french');
const botDir = path.join(fixture, 'bot');

/** A copy of the shipped locale folder with one more file: French. */
function localesWithFrench(): { dir: string; locales: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-fr-'));
  const locales = path.join(dir, 'locales');
  cpSync(path.join(FLOWS_DIR, 'locales'), locales, { recursive: true });
  copyFileSync(path.join(fixture, 'locales', 'fr.json'), path.join(locales, 'fr.json'));
  return { dir, locales };
}

const keys = (tree: object, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

describe('a fifth locale added as files alone', () => {
  const { dir, locales } = localesWithFrench();
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime({ localesDir: locales, botDirs: [botDir] });
  });
  afterAll(async () => {
    await rt.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has every text English has', () => {
    const texts = standardTexts(locales);
    expect(keys(texts['fr'] ?? {})).toEqual(expect.arrayContaining(keys(texts['en'] ?? {})));
  });

  it('is offered on the web chat page, named in French, with the page in French', () => {
    const [french, english] = pageLanguages(rt.i18n, 'chez-nous', ['fr', 'en']);
    // Named by Intl, the page's labels from fr.json.
    expect(french).toEqual({ locale: 'fr', name: 'Français', labels: expect.objectContaining({ send: 'Envoyer', greeting: 'Bonjour' }) });
    expect(english?.name).toBe('English');
  });

  it('holds a whole French conversation: greeting, search with a stop word, a quantity with a unit, intents with a polite word', async () => {
    expect(rt.i18n.locales).toContain('fr');
    const chat = createTestConversation(rt.engine, { botId: 'chez-nous', customerId: 'amelie' });
    // The bot starts in English: the French greeting is what switches it.
    const welcome = plain(await chat.say('Bonjour !'));
    expect(welcome).toContain('Bienvenue chez Chez Nous');
    expect(welcome).toContain('Que cherchez-vous ?');

    // "dans" is a French stop word: it does not fuzzy-match the Dansk Café.
    const found = plain(await chat.say('boulangerie dans lyon'));
    expect(found).toContain('Voici ce que j\'ai trouvé pour « boulangerie dans lyon »');
    expect(found).not.toContain('Dansk Café');
    expect(optionNumber(found, 'Boulangerie Lumière')).toBe('1');
    expect(found).toContain('boulangerie · Lyon');

    const shop = plain(await chat.say(optionNumber(found, 'Boulangerie Lumière')));
    expect(shop).toContain('Bienvenue chez Boulangerie Lumière (Lyon) !');
    expect(shop).toContain('Que voulez-vous voir chez Boulangerie Lumière ?');
    const pastries = plain(await chat.say(optionNumber(shop, 'Viennoiseries')));
    const product = plain(await chat.say(optionNumber(pastries, 'Croissant au beurre')));
    expect(product).toContain('Combien en voulez-vous ?');

    // "pièces" is a French unit: the quantity is understood.
    const added = plain(await chat.say('3 pièces'));
    expect(added).toContain('3 × Croissant au beurre ajouté. Votre panier : 3 articles, 4,20 €.');

    // Intent words in French, with a French polite word after them.
    const cart = plain(await chat.say('panier s\'il vous plaît'));
    expect(cart).toContain('Votre panier chez Boulangerie Lumière');
    expect(cart).toContain('3 × Croissant au beurre: 4,20 €');
    expect(plain(await chat.say('aide svp'))).toContain('Je peux vous trouver une boutique');

    const conversation = await rt.db.conversation.findFirstOrThrow({ where: { customer: { externalId: 'amelie' } } });
    expect(conversation.locale).toBe('fr');
  });

  it('passes `npm run validate` with the locale folder that has it, and only with it', async () => {
    const run = promisify(execFile);
    const ok = await run(process.execPath, ['--import', 'tsx', 'scripts/validate.ts', '--locales', locales, botDir], { cwd: root });
    expect(ok.stdout.trim()).toBe('ok (1 bot checked)');
    const without = await run(process.execPath, ['--import', 'tsx', 'scripts/validate.ts', botDir], { cwd: root }).catch((e: { code: number; stdout: string }) => e);
    expect('code' in without ? without.code : 0).toBe(1);
    expect(without.stdout).toContain('missing translation key "shopping.welcome" for locale fr');
  });
});
