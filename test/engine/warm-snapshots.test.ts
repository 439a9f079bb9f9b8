import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngine, createI18n, defineStep, loadBot, seedBot, type AnyStep, type Engine } from '../../engine/index.ts';
import { defaultStore, openDatabase } from '../../engine/db/index.ts';
import { loadStandardFlows, standardTexts } from '../../flows/index.ts';

// A conversation's flow state is kept between its turns (restoring it from the saved snapshot
// costs CPU on every message). What the customer sees must not depend on it: a state whose
// conversation moved on without it, or whose turn was not committed, is never used.

const root = path.resolve(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'vitrine-warm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Counts the customer's messages in `vars.n` and says the count. */
const counter = defineStep({
  name: 'countMessages',
  description: 'Says how many messages the customer sent',
  params: z.object({}).strict(),
  outcomes: [],
  textKeys: () => ['counter.said'],
  handle: (ctx, input) => {
    const n = Number(ctx.data.vars['n'] ?? 0) + 1;
    return input.kind === 'system' ? {} : { replies: [{ kind: 'text', text: ctx.t('counter.said', { n }) }], set: { vars: { ...ctx.data.vars, n } } };
  },
});

async function counterEngine(name: string, failSaves: { next: number }): Promise<{ engine: Engine; db: Awaited<ReturnType<typeof openDatabase>> }> {
  const flows = path.join(tmp, `${name}-flows`);
  mkdirSync(flows);
  writeFileSync(path.join(flows, 'counter.flow.yaml'), ['id: counter', 'version: 1', 'initial: count', 'states:', '  count: { step: countMessages }'].join('\n'));
  const db = await openDatabase({ url: `file:${path.join(tmp, `${name}.db`)}` });
  const botDir = path.join(tmp, `${name}-bot`);
  cpSync(path.join(root, 'bots', 'corner-bakery'), botDir, { recursive: true });
  const yaml = readFileSync(path.join(botDir, 'bot.yaml'), 'utf8').replace('flow: shopping', 'flow: counter').replace('locales: [en-GB, pt-BR, es, id]', 'locales: [en-GB]')
    // Its flow takes no payment: the engine's built-in provider will do.
    .replace('provider: sandbox', 'provider: record');
  writeFileSync(path.join(botDir, 'bot.yaml'), yaml);
  writeFileSync(path.join(botDir, 'texts', 'en.yaml'), 'counter:\n  said: "message {{n}}"\n');
  const counting = await loadBot(botDir);
  await seedBot(db, counting);
  const { steps, flows: loaded } = await loadStandardFlows({ dir: flows, extraSteps: [counter as AnyStep] });
  const i18n = await createI18n({ defaults: standardTexts() });
  const store = defaultStore(db);
  // A store whose next saves fail, as a full disk would: the turn's transaction rolls back.
  const failing = {
    ...store,
    saveConversation: async (...args: Parameters<typeof store.saveConversation>) => {
      if (failSaves.next > 0) {
        failSaves.next -= 1;
        throw new Error('disk I/O error');
      }
      return store.saveConversation(...args);
    },
  };
  const engine = await createEngine({ db, bots: [counting], flows: loaded, steps, i18n, store: failing, maxAttempts: 5 });
  return { engine, db };
}

const say = async (engine: Engine, text: string, id: string) => {
  const turn = await engine.process({ kind: 'text', text, messageId: id, channel: 'console', botId: 'corner-bakery', customer: { id: 'kai' } });
  return turn.replies.map((r) => (r.kind === 'text' ? r.text : '')).join('\n');
};

describe('flow states kept between turns', () => {
  it('follow the saved conversation when it changed without them, and are dropped with a turn that did not commit', async () => {
    const failSaves = { next: 0 };
    const { engine, db } = await counterEngine('moved', failSaves);
    try {
      await say(engine, 'hi', 'm0');
      expect(await say(engine, 'one', 'm1')).toBe('message 1');
      expect(await say(engine, 'two', 'm2')).toBe('message 2');

      // Another instance answered meanwhile: the saved state says 10 messages, one version on.
      const row = await db.conversation.findFirstOrThrow({ where: { customer: { externalId: 'kai' } } });
      const snapshot = JSON.parse(row.snapshot) as { context: { vars: Record<string, unknown> } };
      snapshot.context.vars['n'] = 10;
      await db.conversation.update({ where: { id: row.id }, data: { snapshot: JSON.stringify(snapshot), version: { increment: 1 } } });
      expect(await say(engine, 'three', 'm3')).toBe('message 11');

      // A turn that ran but could not be saved is tried again from the saved state, not from
      // the state it advanced: the count goes up by one.
      failSaves.next = 1;
      expect(await say(engine, 'four', 'm4')).toBe('message 12');
      expect(await say(engine, 'five', 'm5')).toBe('message 13');
      const saved = await db.conversation.findFirstOrThrow({ where: { customer: { externalId: 'kai' } } });
      expect((JSON.parse(saved.snapshot) as { context: { vars: { n: number } } }).context.vars.n).toBe(13);
    } finally {
      await engine.stop();
      await db.$disconnect();
    }
  });
});
