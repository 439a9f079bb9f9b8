import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripePaymentProvider } from '../../adapters/payments/stripe/index.ts';
import { startFakeStripe, type FakeStripe } from '../../adapters/kit/testing/index.ts';
import { ConfigError, formatProblem } from '../../engine/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

/** A copy of the demo directory paying through `provider`, with `methods` as its bot.yaml's `payments.methods` (YAML lines). */
function directoryBot(dir: string, provider: string, methods: string[]): string {
  const bot = path.join(dir, 'directory');
  cpSync(path.join(root, 'bots', 'directory'), bot, { recursive: true });
  const file = path.join(bot, 'bot.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/ {2}provider: \w+/, [`  provider: ${provider}`, '  methods:', ...methods.map((m) => `    ${m}`)].join('\n')));
  return bot;
}

describe('payment methods per country (payments.methods)', () => {
  let fake: FakeStripe;
  let dir: string;
  const stripe = () => createStripePaymentProvider({ secretKey: 'sk_test_methods', apiBaseUrl: fake.url, successUrl: 'http://localhost/paid', cancelUrl: 'http://localhost/cancelled' });
  beforeAll(async () => {
    fake = await startFakeStripe();
    dir = mkdtempSync(path.join(tmpdir(), 'vitrine-methods-'));
  });
  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('a checkout', () => {
    let rt: TestRuntime;
    beforeAll(async () => {
      const bot = directoryBot(path.join(dir, 'ok'), 'stripe', ['BR: [card, pix, boleto]', 'MX: [card, oxxo]', '"*": [card]']);
      // One Brazilian shop takes Pix only, whatever the bot offers in Brazil.
      const acai = path.join(bot, 'businesses', 'acai-do-leme.yaml');
      writeFileSync(acai, `${readFileSync(acai, 'utf8')}paymentMethods: [pix]\n`);
      rt = await createTestRuntime({ botDirs: [bot], payments: [stripe()] });
    });
    afterAll(async () => rt?.dispose());

    /** Buys the first product of a shop opened by its link, and returns the Checkout Session its payment opened. */
    const buyAt = async (slug: string) => {
      const customer = `methods-${slug}`;
      let n = 0;
      for (const text of [`#${slug}`, '1', '1', '2', 'cart', '1']) {
        await rt.engine.process({ kind: 'text', text, messageId: `${customer}-${n++}`, channel: 'webchat', botId: 'directory', customer: { id: customer } });
      }
      const order = await rt.db.order.findFirstOrThrow({ where: { customer: { externalId: customer } } });
      for (let i = 0; i < 200 && ![...fake.sessions.values()].some((s) => s.metadata['orderId'] === order.id); i++) await new Promise((r) => setTimeout(r, 25));
      const session = [...fake.sessions.values()].find((s) => s.metadata['orderId'] === order.id);
      expect(session, `no Checkout Session for ${slug}`).toBeDefined();
      return session!;
    };

    it('offers a Brazilian shop what the bot lists for BR: cards, Pix and boleto', async () => {
      const session = await buyAt('padaria-sao-jorge');
      expect(session.currency).toBe('brl');
      expect(session.allowed_payment_method_types).toEqual(['card', 'pix', 'boleto']);
    });

    it('offers a shop that lists its own methods those, not the bot\'s for its country', async () => {
      expect((await buyAt('acai-do-leme')).allowed_payment_method_types).toEqual(['pix']);
    });

    it('offers a Mexican shop cards and OXXO', async () => {
      expect((await buyAt('taqueria-el-guero')).allowed_payment_method_types).toEqual(['card', 'oxxo']);
    });

    it('offers a shop of a country the bot does not name the "*" list', async () => {
      const session = await buyAt('hackney-bread-co');
      expect(session.currency).toBe('gbp');
      expect(session.allowed_payment_method_types).toEqual(['card']);
    });
  });

  describe('a bot whose methods cannot work', () => {
    const problemsOf = async (name: string, provider: string, methods: string[]) => {
      const bot = directoryBot(path.join(dir, name), provider, methods);
      const error = await createTestRuntime({ botDirs: [bot], payments: [stripe()] }).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems.map(formatProblem);
    };

    it('is refused with file and line: a method that does not take the currency of a shop it applies to', async () => {
      const problems = await problemsOf('currency', 'stripe', ['"*": [card, pix]']);
      expect(problems).toEqual([expect.stringMatching(/directory\/bot\.yaml:14:\d+ payments\.methods\.\*\[1\]: pix takes BRL only, but .+ \((MX|CO|ID|GB)\) sells in (MXN|COP|IDR|GBP)$/)]);
    });

    it('is refused: a method the provider does not offer', async () => {
      const problems = await problemsOf('unknown', 'stripe', ['BR: [card, bitcoin]']);
      expect(problems).toEqual([expect.stringContaining('payments.methods.BR[1]: payment provider "stripe" does not offer "bitcoin": expected one of card, pix, boleto, oxxo')]);
    });

    it('is refused in the business\'s own file: its own method that does not take its currency', async () => {
      const bot = directoryBot(path.join(dir, 'own'), 'stripe', ['"*": [card]']);
      const taqueria = path.join(bot, 'businesses', 'taqueria-el-guero.yaml');
      const lines = readFileSync(taqueria, 'utf8').split('\n').length;
      writeFileSync(taqueria, `${readFileSync(taqueria, 'utf8')}paymentMethods: [card, pix]\n`);
      const error = await createTestRuntime({ botDirs: [bot], payments: [stripe()] }).catch((err: unknown) => err);
      expect((error as ConfigError).problems.map(formatProblem)).toEqual([
        expect.stringMatching(new RegExp(`taqueria-el-guero\\.yaml:${lines}:\\d+ paymentMethods\\[1\\]: pix takes BRL only, but .+ \\(MX\\) sells in MXN$`)),
      ]);
    });

    it('is refused: a provider that offers no choice', async () => {
      const problems = await problemsOf('record', 'record', ['BR: [pix]']);
      expect(problems).toEqual([expect.stringContaining('payments.methods: payment provider "record" offers no choice of payment methods')]);
    });
  });
});
