import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBot, ConfigError, createI18n, formatProblem, loadBot, loadFlows, type ConfigProblem } from '../../engine/index.ts';
import { FLOWS_DIR, loadStandardFlows, standardSteps, standardTexts } from '../../flows/index.ts';
import { createStepRegistry } from '../../engine/index.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of an example bot (or of the flows folder) to break. */
function copyOf(source: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-config-'));
  dirs.push(dir);
  cpSync(source, dir, { recursive: true });
  return dir;
}

/** The 1-based line of the first line of a file containing `text`. */
function lineOf(file: string, text: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

function edit(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`nothing to replace in ${file}`);
  writeFileSync(file, next);
}

async function problemsOfBot(dir: string): Promise<ConfigProblem[]> {
  try {
    const bot = await loadBot(dir);
    const { flows, steps } = await loadStandardFlows();
    const i18n = await createI18n({ defaults: standardTexts() });
    i18n.setBotTexts(bot.runtime.id, bot.texts);
    return checkBot(bot, { flows, steps, i18n, paymentProviders: ['record', 'sandbox'] });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

async function problemsOfFlows(dir: string): Promise<ConfigProblem[]> {
  try {
    await loadFlows(dir, createStepRegistry(standardSteps));
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('the example bots and flows', () => {
  it('are valid', async () => {
    expect(await problemsOfBot(path.join(root, 'bots', 'directory'))).toEqual([]);
    expect(await problemsOfBot(path.join(root, 'bots', 'corner-bakery'))).toEqual([]);
    expect(await problemsOfFlows(FLOWS_DIR)).toEqual([]);
  });
});

describe('a broken bot', () => {
  it('names an unknown currency with file, line and path', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    edit(path.join(dir, 'bot.yaml'), 'currency: GBP', 'currency: XYZ');
    const [problem, ...rest] = await problemsOfBot(dir);
    expect(rest).toEqual([]);
    const line = lineOf(path.join(dir, 'bot.yaml'), 'currency: XYZ');
    expect(problem).toMatchObject({ file: path.join(dir, 'bot.yaml'), path: 'business.currency', line });
    expect(formatProblem(problem!)).toContain(`bot.yaml:${line}:13 business.currency: unknown currency "XYZ": expected an ISO 4217 code`);
  });

  it('names a bad price and a duplicate SKU by CSV row', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    const csv = path.join(dir, 'catalog.csv');
    edit(csv, 'bread,5.50,', 'bread,5.505,');
    edit(csv, /\nSEEDED-RYE,/, '\nWHITE-SOURDOUGH,');
    const problems = await problemsOfBot(dir);
    expect(problems.map((p) => `${path.basename(p.file)}:${p.line} ${p.path}: ${p.message}`)).toEqual([
      'catalog.csv:2 price: bad price: "5.505" has 3 decimals but GBP has 2',
      'catalog.csv:3 sku: duplicate SKU "WHITE-SOURDOUGH" (also at line 2)',
    ]);
  });

  it('names the column of a CSV as its header orders it', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    const csv = path.join(dir, 'catalog.csv');
    edit(csv, 'bread,5.50,', 'bread,5.505,');
    // The same catalog with its price column first.
    const rows = parseCsv(readFileSync(csv, 'utf8'), { skip_empty_lines: true }) as string[][];
    writeFileSync(csv, rows.map((r) => stringifyCsv([[r[4] ?? '', ...r.slice(0, 4), ...r.slice(5)]]).trimEnd()).join('\n') + '\n');
    const problems = await problemsOfBot(dir);
    expect(problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.column} ${p.path}`)).toEqual(['catalog.csv:2:1 price']);
  });

  it('reports every problem of every row in one run, in its own words, even with an unknown currency', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    edit(path.join(dir, 'bot.yaml'), 'currency: GBP', 'currency: GBX');
    const csv = path.join(dir, 'catalog.csv');
    edit(csv, /\nWHITE-SOURDOUGH,.*\n/, '\nWHITE-SOURDOUGH,White sourdough,Our loaf,bread,5.50,-3,not-a-url\n');
    edit(csv, /\nSEEDED-RYE,.*\n/, '\nSEEDED-RYE,,Dark rye,nocat,6.20,twelve,\n');
    const problems = await problemsOfBot(dir);
    expect(problems.map((p) => `${path.basename(p.file)}:${p.line}:${p.column} ${p.path}: ${p.message}`).sort()).toEqual([
      'bot.yaml:25:13 business.currency: unknown currency "GBX": expected an ISO 4217 code such as BRL, MXN, COP, IDR or GBP',
      'catalog.csv:2:6 stock: must be at least 0, got the number -3',
      'catalog.csv:2:7 image: expected a web address (https://…) or a .jpg, .jpeg or .png file inside the bot\'s folder, by its path from that folder (such as "images/bread.jpg"), got "not-a-url"',
      'catalog.csv:3:2 name: required: expected a text',
      'catalog.csv:3:4 category: unknown category "nocat": expected one of bread, pastries, cakes, drinks',
      'catalog.csv:3:6 stock: expected a number, got the text "twelve"',
    ]);
    expect(problems.map((p) => p.message).join('\n')).not.toMatch(/Invalid|received/);
  });

  it('names a business slug used by two files, after the first, whatever the files around them', async () => {
    const dir = copyOf(path.join(root, 'bots', 'directory'));
    const businesses = path.join(dir, 'businesses');
    const text = readFileSync(path.join(businesses, 'padaria-sao-jorge.yaml'), 'utf8');
    writeFileSync(path.join(businesses, 'zz-padaria-copy.yaml'), text);
    const problems = await problemsOfBot(dir);
    expect(problems.map((p) => `${path.basename(p.file)} ${p.path}: ${p.message.replace(dir, '<bot>')}`)).toEqual([
      'zz-padaria-copy.yaml slug: duplicate business slug "padaria-sao-jorge" (also in <bot>/businesses/padaria-sao-jorge.yaml)',
    ]);
  });

  it('still checks the businesses of a bot.yaml that has problems of its own', async () => {
    const dir = copyOf(path.join(root, 'bots', 'directory'));
    edit(path.join(dir, 'bot.yaml'), /^name: /m, 'colour: blue\nname: ');
    edit(path.join(dir, 'businesses', 'padaria-sao-jorge.yaml'), /price: "12.50"/, 'price: "12.505"');
    const problems = await problemsOfBot(dir);
    expect(problems.map((p) => `${path.basename(p.file)} ${p.path}: ${p.message}`)).toEqual([
      'bot.yaml : unknown key "colour"',
      expect.stringMatching(/^padaria-sao-jorge\.yaml products\[\d+\]\.price: bad price: "12\.505" has 3 decimals but BRL has 2$/),
    ]);
  });

  it('rejects a negative or non-numeric price in a business file', async () => {
    const dir = copyOf(path.join(root, 'bots', 'directory'));
    edit(path.join(dir, 'businesses', 'padaria-sao-jorge.yaml'), /price: "12.50"/, 'price: "-12.50"');
    const problems = await problemsOfBot(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: expect.stringMatching(/^products\[\d+\]\.price$/) });
    expect(problems[0]?.file).toMatch(/padaria-sao-jorge\.yaml$/);
    expect(problems[0]?.message).toContain('not a price: expected a non-negative decimal');
  });

  it('names a text key missing in one of its locales', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    edit(path.join(dir, 'bot.yaml'), 'locales: [en-GB, pt-BR, es, id]', 'locales: [en-GB, pt-BR, es, id, fr]');
    const problems = await problemsOfBot(dir);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.message.includes('for locale fr'))).toBe(true);
    expect(problems.map((p) => p.message)).toContain(`missing translation key "shopping.welcome" for locale fr (add it to the flow texts or to ${dir}/texts/fr.yaml)`);
  });

  it('names a WhatsApp orderMessages setting that is not true or false, with its line', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    edit(path.join(dir, 'bot.yaml'), '  webchat: {}', '  webchat: {}\n  whatsapp: { orderMessages: "no" }');
    const problems = (await problemsOfBot(dir)).map(formatProblem);
    expect(problems).toEqual([expect.stringMatching(/bot\.yaml:\d+:\d+ channels\.whatsapp\.orderMessages: bad orderMessages "no": expected true or false/)]);
  });

  it('names a WhatsApp number that is not in international form, with its line', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    edit(path.join(dir, 'bot.yaml'), '  webchat: {}', '  webchat: {}\n  whatsapp: { number: "020 7946 0000" }');
    const problems = (await problemsOfBot(dir)).map(formatProblem);
    expect(problems).toEqual([expect.stringMatching(/bot\.yaml:\d+:\d+ channels\.whatsapp\.number: bad WhatsApp number "020 7946 0000": expected the bot's number in international form, such as "\+55 11 99999-0000"$/)]);
  });

  it('names an unknown flow and an unknown payment provider', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    edit(path.join(dir, 'bot.yaml'), 'flow: shopping', 'flow: shoping');
    edit(path.join(dir, 'bot.yaml'), 'provider: sandbox', 'provider: paypal');
    const problems = (await problemsOfBot(dir)).map(formatProblem);
    expect(problems.some((p) => /bot\.yaml:\d+:\d+ flow: unknown flow "shoping": expected one of shopping/.test(p))).toBe(true);
    expect(problems.some((p) => /payments\.provider: unknown payment provider "paypal"/.test(p))).toBe(true);
  });

  it('reports YAML syntax errors with their line', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    edit(path.join(dir, 'bot.yaml'), 'name: Corner Bakery\n', 'name: [Corner Bakery\n');
    const [problem] = await problemsOfBot(dir);
    expect(problem?.message).toMatch(/^not valid YAML/);
    expect(problem?.line).toBeGreaterThan(0);
  });
});

describe('a hostile or mistaken bot folder', () => {
  it('reports a YAML alias bomb as a problem with its line, without expanding it', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    const bomb = ['x1: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', 'x2: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'x3: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'x4: [*c,*c,*c,*c,*c,*c,*c,*c,*c]', ''].join('\n');
    edit(path.join(dir, 'bot.yaml'), 'name: Corner Bakery\n', `name: Corner Bakery\n${bomb}`);
    const [problem, ...rest] = await problemsOfBot(dir);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: path.join(dir, 'bot.yaml'), line: lineOf(path.join(dir, 'bot.yaml'), 'x2:') });
    expect(problem?.message).toMatch(/^not usable YAML: .*alias.*expected at most 100 alias expansions/);
  });

  it('reports an alias to an anchor that does not exist with its line', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    edit(path.join(dir, 'bot.yaml'), 'name: Corner Bakery\n', 'name: Corner Bakery\nextra: [*nowhere]\n');
    const [problem] = await problemsOfBot(dir);
    expect(problem).toMatchObject({ line: lineOf(path.join(dir, 'bot.yaml'), 'extra:') });
    expect(problem?.message).toMatch(/^not usable YAML: Unresolved alias/);
  });

  it('reports a catalog path that is a directory', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    mkdirSync(path.join(dir, 'shelf'));
    edit(path.join(dir, 'bot.yaml'), 'catalog: catalog.csv', 'catalog: shelf');
    const line = lineOf(path.join(dir, 'bot.yaml'), 'catalog: shelf');
    expect((await problemsOfBot(dir)).map(formatProblem)).toEqual([`${path.join(dir, 'bot.yaml')}:${line}:12 business.catalog: "shelf" is a folder: expected a CSV or JSON catalog file`]);
  });

  it('names a text override that is not a string, with file, line and key path', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    const texts = path.join(dir, 'texts', 'en.yaml');
    edit(texts, / {2}welcome: ".*"/, '  welcome: [1, 2, 3]\n  bye: { short: 4 }');
    const problems = await problemsOfBot(dir);
    expect(problems.map((p) => `${p.path}:${p.line}: ${p.message}`)).toEqual([
      `shopping.welcome:${lineOf(texts, 'welcome:')}: expected a text (string) or a group of texts, got a list`,
      `shopping.bye.short:${lineOf(texts, 'bye:')}: expected a text (string) or a group of texts, got number`,
    ]);
    expect(problems[0]?.file).toBe(texts);
  });
});

describe('a broken flow', () => {
  it('names an unknown step, with the steps that exist', async () => {
    const dir = copyOf(FLOWS_DIR);
    edit(path.join(dir, 'shopping.flow.yaml'), 'step: browseCatalog', 'step: browzeCatalog');
    const [problem] = await problemsOfFlows(dir);
    expect(problem).toMatchObject({ path: 'states.browse.step', line: lineOf(path.join(dir, 'shopping.flow.yaml'), 'browzeCatalog') });
    expect(problem?.message).toMatch(/^unknown step "browzeCatalog": expected one of .*browseCatalog/);
  });

  it('names a transition to a state that does not exist', async () => {
    const dir = copyOf(FLOWS_DIR);
    edit(path.join(dir, 'shopping.flow.yaml'), 'on: { product: product, back: findBusiness }', 'on: { product: prodcut, back: findBusiness }');
    const [problem] = await problemsOfFlows(dir);
    expect(problem).toMatchObject({ path: 'states.browse.on.product' });
    expect(problem?.message).toContain('transition to a state that does not exist: "prodcut"');
  });

  it('names an outcome the step does not have, and bad step params', async () => {
    const dir = copyOf(FLOWS_DIR);
    edit(path.join(dir, 'shopping.flow.yaml'), 'params: { pageSize: 5 }', 'params: { pageSize: 50 }');
    edit(path.join(dir, 'shopping.flow.yaml'), 'on: { added: browse, back: browse }', 'on: { added: browse, bought: browse }');
    const problems = await problemsOfFlows(dir);
    expect(problems.map((p) => p.path)).toEqual(['states.browse.params.pageSize', 'states.product.on.bought']);
    expect(problems[1]?.message).toBe('step "showProduct" has no outcome "bought": expected one of added, back');
  });
});

describe('npm run validate', () => {
  it('prints ok for the examples and one line per problem otherwise, with exit code 1', async () => {
    const run = promisify(execFile);
    const ok = await run(process.execPath, ['--import', 'tsx', 'scripts/validate.ts'], { cwd: root });
    expect(ok.stdout.trim()).toBe('ok (2 bots checked)');
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    edit(path.join(dir, 'bot.yaml'), 'currency: GBP', 'currency: XYZ');
    const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/validate.ts', dir], { cwd: root }).catch((e: { code: number; stdout: string }) => e);
    expect('code' in failed ? failed.code : 0).toBe(1);
    expect(failed.stdout).toContain(`bot.yaml:${lineOf(path.join(dir, 'bot.yaml'), 'currency: XYZ')}:13 business.currency: unknown currency "XYZ"`);
    expect(failed.stdout).toContain('1 problem found');
  });
});

describe('product images', () => {
  it('npm run validate names the file and line of a catalog row whose image file is missing', async () => {
    const run = promisify(execFile);
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    const csv = path.join(dir, 'catalog.csv');
    edit(csv, 'images/croissant.jpg', 'images/croisant.jpg');
    const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/validate.ts', dir], { cwd: root }).catch((e: { code: number; stdout: string }) => e);
    expect('code' in failed ? failed.code : 0).toBe(1);
    expect(failed.stdout).toContain(`catalog.csv:${lineOf(csv, 'images/croisant.jpg')}:7 image: file not found: expected a JPEG or PNG file at ${path.join(dir, 'images', 'croisant.jpg')}`);
    expect(failed.stdout).toContain('1 problem found');
  });

  it('reports a business file naming a missing image at the product, and accepts the files that are there', async () => {
    const dir = copyOf(path.join(root, 'bots', 'directory'));
    const file = path.join(dir, 'businesses', 'padaria-sao-jorge.yaml');
    rmSync(path.join(dir, 'images', 'padaria-sao-jorge', 'sonho.jpg'));
    const problems = await problemsOfBot(dir);
    expect(problems.map((p) => `${path.basename(p.file)}:${p.line} ${p.path}`)).toEqual([`padaria-sao-jorge.yaml:${lineOf(file, 'images/padaria-sao-jorge/sonho.jpg')} products[15].image`]);
  });

  it('refuses an image outside the bot\'s folder, of another type, or a folder', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    const csv = path.join(dir, 'catalog.csv');
    edit(csv, 'images/croissant.jpg', '../directory/images/padaria-sao-jorge/sonho.jpg');
    edit(csv, 'images/focaccia.jpg', '/etc/hostname.png');
    edit(csv, 'images/carrot-cake.jpg', 'images/carrot-cake.svg');
    mkdirSync(path.join(dir, 'images', 'folder.png'));
    edit(csv, 'images/flat-white.jpg', 'images/folder.png');
    const problems = await problemsOfBot(dir);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message.split(':')[0]}`)).toEqual([
      `${lineOf(csv, 'hostname')}:7 image: expected a web address (https`,
      `${lineOf(csv, '../directory')}:7 image: expected a web address (https`,
      `${lineOf(csv, 'carrot-cake.svg')}:7 image: expected a web address (https`,
      `${lineOf(csv, 'folder.png')}:7 image: file not found`,
    ]);
  });
});

describe('a bot enabled on a channel', () => {
  it('is refused at load when a choice can offer more options than the channel can show', async () => {
    const dir = copyOf(path.join(root, 'bots', 'corner-bakery'));
    edit(path.join(dir, 'bot.yaml'), 'channels:\n  console: {}', 'channels:\n  kiosk: {}\n  console: {}');
    const bot = await loadBot(dir);
    const { flows, steps } = await loadStandardFlows();
    const i18n = await createI18n({ defaults: standardTexts() });
    const kiosk = { maxButtons: 3, maxButtonTitle: 20, maxListRows: 0, maxListRowTitle: 0, maxTextLength: 1000, numberedFallback: false, images: false, kinds: [] };
    const problems = checkBot(bot, { flows, steps, i18n, paymentProviders: ['record', 'sandbox'], channels: new Map([['kiosk', kiosk]]) });
    expect(problems.map((p) => `${p.path}: ${p.message.split(' (')[0]}`)).toEqual([
      'states.findBusiness.params: step "searchDirectory" can offer 6 options but channel "kiosk"',
      'states.browse.params: step "browseCatalog" can offer 8 options but channel "kiosk"',
    ]);
    expect(problems[0]?.message).toContain('shows at most 3');
    const roomy = { ...kiosk, maxListRows: 10 };
    expect(checkBot(bot, { flows, steps, i18n, paymentProviders: ['record', 'sandbox'], channels: new Map([['kiosk', roomy]]) })).toEqual([]);
  });
});
