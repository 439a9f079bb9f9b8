import { execFile } from 'node:child_process';
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
