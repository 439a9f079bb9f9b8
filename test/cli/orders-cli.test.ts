import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
let rt: TestRuntime;

beforeAll(async () => {
  rt = await createTestRuntime();
});

afterAll(async () => {
  await rt?.dispose();
});

describe('npm run orders -- mark', () => {
  it('moves the order and tells the customer through the journal, which the running server delivers', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'cli-olga' });
    await chat.say('hi');
    await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
    await chat.say(optionNumber(await chat.say('sausage roll'), 'Sausage roll'));
    await chat.say('1');
    await chat.say(optionNumber(plain(await chat.say('cart')), 'Check out'));
    const placed = await rt.db.order.findFirstOrThrow({ where: { conversation: { customer: { externalId: 'cli-olga' } } } });
    const order = await rt.db.order.update({ where: { id: placed.id }, data: { status: 'paid' } });
    // Stop this engine's workers so that only the tool's admission is checked first.
    await rt.engine.stop();

    const tool = await run(process.execPath, ['--import', 'tsx', 'scripts/orders.ts', 'mark', order.number, 'fulfilled'], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: rt.databaseUrl, LOG_LEVEL: 'silent' },
    });
    expect(tool.stdout).toContain(`Order ${order.number}: paid → fulfilled.`);
    expect(tool.stdout).toContain('The customer will be told in their chat');
    expect((await rt.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('fulfilled');
    const admitted = await rt.db.inboundEvent.findMany({ where: { messageId: { startsWith: `system:order.fulfilled:${order.id}` } } });
    expect(admitted.map((e) => e.status)).toEqual(['admitted']);

    // A running server (a second engine on the same file) turns it into a message to the customer.
    const server = await createTestRuntime({ databaseUrl: rt.databaseUrl });
    try {
      await server.engine.idle();
      const done = await server.db.inboundEvent.findUniqueOrThrow({ where: { id: admitted[0]?.id ?? -1 } });
      expect(done.status).toBe('done');
      const replies = await server.db.outboxMessage.findMany({ where: { inboundEventId: done.id } });
      expect(replies.map((r) => r.message).join('\n')).toContain(`Order ${order.number} at Hackney Bread Co. is ready.`);
    } finally {
      await server.close();
    }
  }, 60_000);

});

/** A copy of the directory bot whose orders are only recorded (`provider: record`): the shop settles them. */
function recordingDirectory(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-record-'));
  const bot = path.join(dir, 'directory');
  cpSync(path.join(ROOT, 'bots', 'directory'), bot, { recursive: true });
  const file = path.join(bot, 'bot.yaml');
  const yaml = readFileSync(file, 'utf8');
  if (!yaml.includes('provider: sandbox')) throw new Error('the directory bot names another provider');
  writeFileSync(file, yaml.replace('provider: sandbox', 'provider: record'));
  return bot;
}

describe('npm run orders -- mark, for orders the shop settles itself', () => {
  let shop: TestRuntime;
  let bot: string;
  beforeAll(async () => {
    bot = recordingDirectory();
    shop = await createTestRuntime({ botDirs: [bot] });
  });
  afterAll(async () => {
    await shop?.dispose();
    rmSync(path.dirname(bot), { recursive: true, force: true });
  });

  /** Runs the command; its exit code, standard output and error. */
  async function orders(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const done = await run(process.execPath, ['--import', 'tsx', 'scripts/orders.ts', ...args], {
        cwd: ROOT, env: { ...process.env, DATABASE_URL: shop.databaseUrl, LOG_LEVEL: 'silent' },
      });
      return { code: 0, ...done };
    } catch (err) {
      const failed = err as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('records cash received for an order the shop settles itself, cancels another giving its stock back, and says why it refuses', async () => {
    const roll = await shop.db.product.findFirstOrThrow({ where: { name: 'Sausage roll', business: { name: 'Hackney Bread Co.' } } });
    await shop.db.product.update({ where: { id: roll.id }, data: { stock: 5 } });
    const buy = async (customerId: string) => {
      const chat = createTestConversation(shop.engine, { botId: 'directory', customerId });
      await chat.say('hi');
      await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
      await chat.say(optionNumber(await chat.say('sausage roll'), 'Sausage roll'));
      await chat.say('1');
      await chat.say(optionNumber(plain(await chat.say('cart')), 'Check out'));
      return shop.db.order.findFirstOrThrow({ where: { conversation: { customer: { externalId: customerId } } } });
    };
    const kept = await buy('cli-paula');
    const dropped = await buy('cli-quim');
    expect([kept.provider, kept.status]).toEqual(['record', 'awaiting_payment']);
    expect((await shop.db.product.findUniqueOrThrow({ where: { id: roll.id } })).stock).toBe(3);

    // The number typed in small letters is the same order.
    const paid = await orders('mark', kept.number.toLowerCase(), 'paid');
    expect(paid).toMatchObject({ code: 0, stdout: expect.stringContaining(`Order ${kept.number}: awaiting_payment → paid.`) });
    const cancelled = await orders('mark', dropped.number, 'cancelled');
    expect(cancelled).toMatchObject({ code: 0, stdout: expect.stringContaining(`Order ${dropped.number}: awaiting_payment → cancelled.`) });
    expect((await shop.db.product.findUniqueOrThrow({ where: { id: roll.id } })).stock).toBe(4);

    expect(await orders('mark', dropped.number, 'paid')).toMatchObject({
      code: 1, stderr: `Order ${dropped.number} is cancelled: it cannot be marked paid. Nothing changed (the attempt is recorded).\n`,
    });
    expect(await orders('mark', kept.number, 'teleported')).toMatchObject({ code: 2, stderr: '"teleported" is not a mark: use one of paid, fulfilled, shipped, cancelled, refunded.\n' });
    expect(await orders('list', '--bot', 'nope')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^No bot nope in this database\. Bots: .*directory/) });
    expect((await shop.db.product.findUniqueOrThrow({ where: { id: roll.id } })).stock).toBe(4);
    expect((await shop.db.order.findUniqueOrThrow({ where: { id: kept.id } })).status).toBe('paid');
  }, 90_000);
});
