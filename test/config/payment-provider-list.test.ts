import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../engine/index.ts';
import { PAYMENT_PROVIDERS } from '../../server/payments.ts';
import { createRuntime } from '../../server/runtime.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const dirs: string[] = [];

/** A copy of the corner bakery paying with `provider`, and a database file beside it. */
function bakeryPaying(provider: string): { bot: string; databaseUrl: string } {
  const dir = mkdtempSync(path.join(tmpdir(), `vitrine-${provider}-`));
  dirs.push(dir);
  const bot = path.join(dir, 'corner-bakery');
  cpSync(path.join(ROOT, 'bots', 'corner-bakery'), bot, { recursive: true });
  const file = path.join(bot, 'bot.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('provider: sandbox', `provider: ${provider}`));
  return { bot, databaseUrl: `file:${path.join(dir, 'test.db')}` };
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('one list of payment providers for every command', () => {
  it('loads a bot paying cash in the runtime chat, setup, start and orders build, as validate accepts it', async () => {
    const { bot, databaseUrl } = bakeryPaying('cash');
    const checked = await run(process.execPath, ['--import', 'tsx', 'scripts/validate.ts', bot], { cwd: ROOT });
    expect(checked.stdout).toContain('ok (1 bot checked)');
    const runtime = await createRuntime({ botDirs: [bot], databaseUrl, logger: pino({ level: 'silent' }), engine: { workers: false } });
    try {
      expect(runtime.bots.map((b) => b.runtime.paymentProvider)).toEqual(['cash']);
      expect(runtime.payments.map((p) => p.id)).toEqual(expect.arrayContaining(['record', 'cash']));
      expect(PAYMENT_PROVIDERS.map((d) => d.id)).toEqual(['record', 'cash', 'stripe', 'sandbox']);
    } finally {
      await runtime.close();
    }
  }, 60_000);

  it('says what to set when a bot asks for a provider this environment has not turned on', async () => {
    const { bot, databaseUrl } = bakeryPaying('stripe');
    const saved = process.env['STRIPE_SECRET_KEY'];
    delete process.env['STRIPE_SECRET_KEY'];
    try {
      const failure = await createRuntime({ botDirs: [bot], databaseUrl, logger: pino({ level: 'silent' }), engine: { workers: false } }).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as ConfigError).problems.map((p) => [p.path, p.line, p.message])).toEqual([[
        'payments.provider', 12,
        'payment provider "stripe" is not configured here: it is set up from the environment (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_URL; see docs/payments.md); configured: record, cash, sandbox',
      ]]);
    } finally {
      if (saved !== undefined) process.env['STRIPE_SECRET_KEY'] = saved;
    }
  }, 60_000);

  it('turns the test payment sandbox off in production: a bot naming it does not load and is told what to configure instead', async () => {
    const { bot, databaseUrl } = bakeryPaying('sandbox');
    const saved = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      const failure = await createRuntime({ botDirs: [bot], databaseUrl, logger: pino({ level: 'silent' }), engine: { workers: false } }).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as ConfigError).problems.map((p) => [p.path, p.line, p.message])).toEqual([[
        'payments.provider', 12,
        'payment provider "sandbox" is not configured here: the test payment sandbox is off here (it never runs when NODE_ENV is production); configure a real provider instead, such as stripe (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET) or cash (see docs/payments.md); configured: record, cash',
      ]]);
    } finally {
      if (saved === undefined) delete process.env['NODE_ENV'];
      else process.env['NODE_ENV'] = saved;
    }
  }, 60_000);
});
