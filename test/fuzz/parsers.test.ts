import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { OptionIds } from '../../adapters/kit/index.ts';
import { parseTelegramUpdate } from '../../adapters/telegram/index.ts';
import { parseClientFrame } from '../../adapters/webchat/index.ts';
import { parseWhatsAppWebhook } from '../../adapters/whatsapp/index.ts';
import { parseSource } from '../../engine/config/problems.ts';
import { ConfigError, isVitrineError, loadBot, type ConfigProblem } from '../../engine/index.ts';

/** Fixed, so a failure is reproduced by running the test again. */
const SEED = 20_261_204;
const run = <T>(arb: fc.Arbitrary<T>, check: (value: T) => void, numRuns: number) => fc.assert(fc.property(arb, check), { seed: SEED, numRuns });
const runAsync = <T>(arb: fc.Arbitrary<T>, check: (value: T) => Promise<void>, numRuns: number) =>
  fc.assert(fc.asyncProperty(arb, check), { seed: SEED, numRuns });

/** A valid value of some shape, or anything at all in its place. */
const orAnything = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: fc.anything() });

const whatsappMessage = fc.record({
  from: orAnything(fc.constantFrom('5511987654321', '447700900123')),
  id: orAnything(fc.string({ minLength: 1, maxLength: 40 })),
  timestamp: orAnything(fc.oneof(fc.integer().map(String), fc.string())),
  type: orAnything(fc.constantFrom('text', 'interactive', 'button', 'order', 'location', 'sticker', 'image')),
  text: orAnything(fc.record({ body: orAnything(fc.string()) })),
  interactive: orAnything(fc.record({ type: fc.string(), button_reply: orAnything(fc.record({ id: orAnything(fc.string()), title: orAnything(fc.string()) })) })),
  button: orAnything(fc.record({ text: orAnything(fc.string()), payload: orAnything(fc.string()) })),
  order: orAnything(fc.record({ product_items: orAnything(fc.array(fc.record({ product_retailer_id: orAnything(fc.string()), quantity: orAnything(fc.integer()) }), { maxLength: 3 })) })),
  location: orAnything(fc.record({ latitude: orAnything(fc.double()), longitude: orAnything(fc.double()), name: orAnything(fc.string()) })),
}, { requiredKeys: [] });

const whatsappBody = orAnything(fc.record({
  object: orAnything(fc.constant('whatsapp_business_account')),
  entry: orAnything(fc.array(fc.record({
    changes: orAnything(fc.array(fc.record({
      value: orAnything(fc.record({
        metadata: orAnything(fc.record({ phone_number_id: orAnything(fc.constant('106540352242922')) })),
        contacts: orAnything(fc.array(fc.record({ wa_id: orAnything(fc.string()), profile: orAnything(fc.record({ name: orAnything(fc.string()) })) }), { maxLength: 2 })),
        messages: orAnything(fc.array(orAnything(whatsappMessage), { maxLength: 4 })),
        statuses: orAnything(fc.array(orAnything(fc.record({ id: orAnything(fc.string()), status: orAnything(fc.string()), errors: orAnything(fc.array(fc.anything(), { maxLength: 2 })) })), { maxLength: 3 })),
      }, { requiredKeys: [] })),
    }), { maxLength: 2 })),
  }), { maxLength: 2 })),
}, { requiredKeys: [] }));

const telegramUpdate = orAnything(fc.record({
  update_id: orAnything(fc.integer()),
  message: orAnything(fc.record({
    message_id: orAnything(fc.integer()),
    chat: orAnything(fc.record({ id: orAnything(fc.integer()), type: orAnything(fc.string()) })),
    from: orAnything(fc.record({ id: orAnything(fc.integer()), first_name: orAnything(fc.string()), language_code: orAnything(fc.string()) })),
    text: orAnything(fc.string()),
    location: orAnything(fc.record({ latitude: orAnything(fc.double()), longitude: orAnything(fc.double()) })),
  }, { requiredKeys: [] })),
  callback_query: orAnything(fc.record({
    id: orAnything(fc.string()), data: orAnything(fc.string()),
    from: orAnything(fc.record({ id: orAnything(fc.integer()) })),
    message: orAnything(fc.record({ chat: orAnything(fc.record({ id: orAnything(fc.integer()) })) })),
  }, { requiredKeys: [] })),
}, { requiredKeys: [] }));

const webchatFrame = fc.oneof(
  fc.string(),
  fc.anything(),
  fc.record({
    v: orAnything(fc.constant(1)),
    type: orAnything(fc.constantFrom('hello', 'text', 'choice', 'location', 'ping')),
    id: orAnything(fc.string()),
    text: orAnything(fc.string()),
    optionId: orAnything(fc.string()),
    customerId: orAnything(fc.string()),
    latitude: orAnything(fc.double()),
    longitude: orAnything(fc.double()),
  }, { requiredKeys: [] }).chain((frame) => fc.constantFrom(frame, JSON.stringify(frame) as unknown)),
);

const ALIAS_BOMB = ['x1: &a [l, l, l, l, l, l, l, l, l]', 'x2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'x3: [*b, *b, *b, *b, *b, *b, *b, *b, *b]'].join('\n');

/** Fragments of YAML that are valid, broken or hostile, joined into files. */
const yamlText = fc.array(fc.oneof(
  fc.constant(ALIAS_BOMB),
  fc.constantFrom('id: bakery', 'name: [Bakery', 'a: &a [x, x, x]', 'b: [*a, *a, *a, *a]', '*nope', 'key: !!binary zz', '? complex', '- item', '  nested: 1', 'dup: 1\ndup: 2', '{', '"unterminated', 'welcome: [1, 2, 3]', '\t', '---', '...', 'currency: XYZ', 'catalog: .'),
  fc.string(),
), { maxLength: 8 }).map((lines) => lines.join('\n'));

function expectPayloadFailure(result: { ok: boolean; error?: unknown }): void {
  if (result.ok) return;
  expect(isVitrineError(result.error)).toBe(true);
  expect((result.error as Error).message.length).toBeGreaterThan(0);
}

function expectClearProblems(problems: readonly ConfigProblem[]): void {
  for (const p of problems) {
    expect(typeof p.message).toBe('string');
    expect(p.message.trim().length).toBeGreaterThan(0);
    expect(typeof p.file).toBe('string');
  }
}

describe('parsers fed generated input', () => {
  it('the WhatsApp webhook parser never throws: a failure is a typed payload error with a message', () => {
    const ids = new OptionIds({ maxBytes: 200 });
    run(whatsappBody, (body) => {
      const parsed = parseWhatsAppWebhook(body, { ids, botFor: () => 'directory' });
      expectPayloadFailure(parsed);
      if (parsed.ok) for (const r of parsed.value.rejected) expect(r.reason.length).toBeGreaterThan(0);
    }, 1500);
  });

  it('the Telegram update parser never throws: a failure is a typed payload error with a message', () => {
    const ids = new OptionIds({ maxBytes: 64 });
    run(telegramUpdate, (update) => expectPayloadFailure(parseTelegramUpdate(update, { botId: 'directory', ids })), 1000);
  });

  it('the web chat frame parser never throws: a refusal has a catalogue code and a message', () => {
    run(webchatFrame, (frame) => {
      const r = parseClientFrame(frame);
      if (!r.ok) {
        expect(r.code).toMatch(/^VT_ERR_/);
        expect(r.message.length).toBeGreaterThan(0);
      }
    }, 1000);
  });

  it('parseSource never throws and every problem it reports has a message', () => {
    run(yamlText, (text) => {
      const src = parseSource('bot.yaml', text);
      if ('problems' in src) {
        expect(src.problems.length).toBeGreaterThan(0);
        expectClearProblems(src.problems);
      }
    }, 1000);
  });
});

describe('the config loader fed generated files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-fuzz-'));
  cpSync(path.resolve(import.meta.dirname, '..', '..', 'bots', 'corner-bakery'), dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('throws nothing but a ConfigError, whose every problem has a message', async () => {
    await runAsync(fc.tuple(yamlText, yamlText), async ([bot, texts]) => {
      writeFileSync(path.join(dir, 'bot.yaml'), bot);
      writeFileSync(path.join(dir, 'texts', 'en.yaml'), texts);
      try {
        await loadBot(dir);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expectClearProblems((err as ConfigError).problems);
      }
    }, 200);
  });
});
