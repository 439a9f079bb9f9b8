import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestConversation } from '../../adapters/console/index.ts';
import { createEngine, createI18n, defineStep, loadBot, seedBot, type AnyStep } from '../../engine/index.ts';
import { openDatabase } from '../../engine/db/index.ts';
import { jsonSchemas } from '../../engine/config/json-schemas.ts';
import { FLOWS_DIR, loadStandardFlows, standardTexts } from '../../flows/index.ts';
import { createTestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'vitrine-flows-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A custom step, written as a developer would: asks a name, then greets by it. */
const askName = defineStep({
  name: 'askName',
  description: 'Asks the customer for their name and keeps it in vars.name',
  params: z.object({ prompt: z.string() }).strict(),
  outcomes: ['done'],
  textKeys: (p) => [p.prompt, 'greeter.hello'],
  enter: (ctx) => ({ replies: [{ kind: 'text', text: ctx.t(ctx.params.prompt) }] }),
  handle: (ctx, input) =>
    input.kind === 'text'
      ? { replies: [{ kind: 'text', text: ctx.t('greeter.hello', { name: input.text.trim() }) }], set: { vars: { ...ctx.data.vars, name: input.text.trim() } }, outcome: 'done' }
      : {},
});

describe('a custom step', () => {
  it('runs in a flow of its own, with texts from the bot folder', async () => {
    const flows = path.join(tmp, 'custom-flows');
    mkdirSync(flows);
    writeFileSync(path.join(flows, 'greeter.flow.yaml'), [
      'id: greeter', 'version: 1', 'initial: name',
      'states:',
      '  name: { step: askName, params: { prompt: greeter.prompt }, next: shop }',
      '  shop: { step: searchDirectory, on: { selected: browse } }',
      '  browse: { step: browseCatalog, on: { product: shop } }',
    ].join('\n'));
    const botDir = path.join(tmp, 'greeter-bot');
    cpSync(path.join(root, 'bots', 'corner-bakery'), botDir, { recursive: true });
    const yaml = readFileSync(path.join(botDir, 'bot.yaml'), 'utf8').replace('flow: shopping', 'flow: greeter').replace('locales: [en-GB, pt-BR, es, id]', 'locales: [en-GB]')
      // Its flow takes no payment: the engine's built-in provider will do.
      .replace('provider: sandbox', 'provider: record');
    writeFileSync(path.join(botDir, 'bot.yaml'), yaml);
    writeFileSync(path.join(botDir, 'texts', 'en.yaml'), 'greeter:\n  prompt: "Hello! What is your name?"\n  hello: "Nice to meet you, {{name}}."\n');

    const db = await openDatabase({ url: `file:${path.join(tmp, 'custom.db')}` });
    try {
      const bot = await loadBot(botDir);
      await seedBot(db, bot);
      const { steps, flows: loaded } = await loadStandardFlows({ dir: flows, extraSteps: [askName as AnyStep] });
      const engine = await createEngine({ db, bots: [bot], flows: loaded, steps, i18n: await createI18n({ defaults: standardTexts() }) });
      const chat = createTestConversation(engine, { botId: 'corner-bakery', customerId: 'lia' });
      expect(await chat.say('hi')).toBe('Hello! What is your name?');
      const reply = await chat.say('Lia');
      expect(reply).toContain('Nice to meet you, Lia.');
      expect(reply).toContain('What would you like to see at Corner Bakery?');
      expect(reply).not.toContain('Other shops'); // a one-shop bot has nowhere else to go
    } finally {
      await db.$disconnect();
    }
  });
});

describe('a flow that changed version', () => {
  it('restarts saved conversations politely and keeps the cart', async () => {
    const first = await createTestRuntime();
    const chat = createTestConversation(first.engine, { botId: 'directory', customerId: 'max-upgrade' });
    await chat.say('hi');
    await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
    await chat.say(optionNumber(await chat.say('sausage roll'), 'Sausage roll'));
    await chat.say('2');
    await first.close();

    const flows = path.join(tmp, 'flows-v2');
    cpSync(FLOWS_DIR, flows, { recursive: true });
    const file = path.join(flows, 'shopping.flow.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('version: 1', 'version: 2'));
    const second = await createTestRuntime({ databaseUrl: first.databaseUrl, flowsDir: flows });
    try {
      const again = createTestConversation(second.engine, { botId: 'directory', customerId: 'max-upgrade' });
      const reply = await again.say('hello');
      expect(reply).toContain("This shop's chat has been updated, so we're starting again. Your cart is kept.");
      await again.say(optionNumber(await again.say('hackney bread'), 'Hackney Bread Co.'));
      expect(plain(await again.say('cart'))).toContain('2 × Sausage roll: £6.40');
    } finally {
      await second.close();
      await first.dispose();
    }
  });
});

describe('editor schemas', () => {
  it('match the zod schemas the loaders use (run `npm run schema` after changing them)', () => {
    for (const [file, schema] of Object.entries(jsonSchemas())) {
      expect(JSON.parse(readFileSync(path.join(root, file), 'utf8')), file).toEqual(schema);
    }
  });
});

describe('texts', () => {
  it('exist for every key in every shipped language', () => {
    const texts = standardTexts();
    const keys = (tree: object, prefix = ''): string[] =>
      Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
    const en = keys(texts['en'] ?? {}).filter((k) => !k.endsWith('_one')).sort();
    for (const locale of ['pt-BR', 'es', 'id']) {
      expect(keys(texts[locale] ?? {}).filter((k) => !k.endsWith('_one')).sort(), locale).toEqual(en);
    }
    for (const locale of ['es-MX', 'es-CO']) {
      const regional = keys(texts[locale] ?? {});
      expect(regional.length, locale).toBeGreaterThan(0);
      expect(en.concat(keys(texts['en'] ?? {})), locale).toEqual(expect.arrayContaining(regional));
    }
  });
});
