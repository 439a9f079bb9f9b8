import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../server/runtime.ts';

// What one customer's search of the directory and opening of a shop cost in SQL on SQLite,
// counted at the driver: every statement better-sqlite3 runs, whoever prepared it. A turn
// that grows a query, or goes back to one built by the Prisma client (several times the
// CPU of a prepared statement: Prisma's SQLite SQL quotes names with backticks), fails here.

const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-statements-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Prepare = (this: Database.Database, sql: string) => Database.Statement;
const proto = Database.prototype as unknown as { prepare: Prepare };
const original = proto.prepare;
afterEach(() => {
  proto.prepare = original;
});

/** Counts the statements run on every connection opened after this call, by SQL text. */
function countStatements(): { on: boolean; runs: Map<string, number> } {
  const counter = { on: false, runs: new Map<string, number>() };
  proto.prepare = function prepare(this: Database.Database, sql: string) {
    const statement = original.call(this, sql);
    for (const method of ['run', 'get', 'all', 'iterate'] as const) {
      const call = statement[method] as (...args: unknown[]) => unknown;
      Object.defineProperty(statement, method, {
        value(...args: unknown[]) {
          if (counter.on) counter.runs.set(sql, (counter.runs.get(sql) ?? 0) + 1);
          return call.apply(this, args);
        },
      });
    }
    return statement;
  };
  return counter;
}

const SCRIPT = ['oi', 'padaria', '1'];
/**
 * Statements for the three messages (39 at the time of writing). The journal's scans for
 * waiting events are not counted: they also run on a timer, so how many run depends on how
 * long the machine takes, not on what a turn does.
 */
const BUDGET = 42;
/** The journal's scan for waiting events. */
const isJournalScan = (sql: string) => sql.includes('"conversationKey", "leaseUntil" FROM "InboundEvent" WHERE "status" = \'admitted\'');

async function converse(runtime: Runtime, customer: string): Promise<string[]> {
  const replies: string[] = [];
  for (const [i, text] of SCRIPT.entries()) {
    const turn = await runtime.engine.process({ kind: 'text', text, messageId: `${customer}-${i}`, channel: 'console', botId: 'directory', customer: { id: customer } });
    replies.push(...turn.replies.map((r) => JSON.stringify(r)));
  }
  return replies;
}

describe('statements per turn on SQLite', () => {
  it(`searches the directory and opens a shop in at most ${BUDGET} prepared statements, none built by the Prisma client`, async () => {
    const counter = countStatements();
    const runtime = await createRuntime({ databaseUrl: `file:${path.join(dir, 'count.db')}`, logger: pino({ level: 'silent' }) });
    try {
      // The first customer warms the caches (search index, statements).
      await converse(runtime, 'warm');
      counter.on = true;
      const replies = await converse(runtime, 'counted');
      counter.on = false;
      // The turns did their work: the search found the bakery and its categories were shown.
      expect(replies.join('\n')).toContain('Padaria');
      const all = [...counter.runs].filter(([sql]) => !isJournalScan(sql)).reduce((n, [, count]) => n + count, 0);
      // The scan ran: the filter names a statement that exists.
      expect([...counter.runs.keys()].some(isJournalScan)).toBe(true);
      const byPrisma = [...counter.runs.keys()].filter((sql) => sql.includes('`'));
      expect(byPrisma).toEqual([]);
      expect(all, [...counter.runs].map(([sql, n]) => `${n} × ${sql.replace(/\s+/g, ' ').slice(0, 100)}`).join('\n')).toBeLessThanOrEqual(BUDGET);
      expect(all).toBeGreaterThan(SCRIPT.length * 5);
    } finally {
      await runtime.close();
    }
  });

  it('reads the directory\'s change stamp once for the turns that share a transaction, and a business renamed since in the next', async () => {
    const counter = countStatements();
    const runtime = await createRuntime({ databaseUrl: `file:${path.join(dir, 'stamps.db')}`, logger: pino({ level: 'silent' }) });
    try {
      await converse(runtime, 'warm');
      const stamp = (sql: string) => sql.includes('MAX("updatedAt")') && sql.includes('"Business"');
      counter.on = true;
      const customers = Array.from({ length: 8 }, (_, i) => `batch-${i}`);
      // Admitted together while no worker is free: they run as one batch, one transaction.
      await runtime.engine.admit(customers.map((c) => ({ kind: 'text', text: 'padaria', messageId: `${c}-0`, channel: 'console', botId: 'directory', customer: { id: c } })));
      await runtime.engine.idle(20_000);
      counter.on = false;
      const transactions = counter.runs.get('COMMIT') ?? 0;
      const stamps = [...counter.runs].filter(([sql]) => stamp(sql)).reduce((n, [, count]) => n + count, 0);
      expect(stamps).toBeGreaterThan(0);
      // One per transaction the turns ran in, not one per turn.
      expect(stamps).toBeLessThan(customers.length);
      expect(transactions).toBeGreaterThan(0);

      const bakery = await runtime.db.business.findFirstOrThrow({ where: { botId: 'directory', slug: 'padaria-sao-jorge' } });
      await runtime.db.business.update({ where: { id: bakery.id }, data: { name: 'Padaria Estrela' } });
      const turn = await runtime.engine.process({ kind: 'text', text: 'padaria', messageId: 'late-0', channel: 'console', botId: 'directory', customer: { id: 'late' } });
      expect(JSON.stringify(turn.replies)).toContain('Padaria Estrela');
    } finally {
      await runtime.close();
    }
  });
});
