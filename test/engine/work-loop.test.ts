import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { WorkLoop } from '../../engine/conversation/work-loop.ts';

/** Work items that end when the test says so. */
function gate() {
  const open = new Map<number, () => void>();
  return {
    run: (item: number) => new Promise<void>((resolve) => open.set(item, resolve)),
    finish(item: number) {
      open.get(item)?.();
      open.delete(item);
    },
    get running() {
      return [...open.keys()];
    },
  };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
};

describe('a work loop', () => {
  it('claims again only once enough slots are free, and at once when nothing runs', async () => {
    let next = 0;
    const backlog = 40;
    const limits: number[] = [];
    const items = gate();
    const loop = new WorkLoop<number>({
      name: 'test', concurrency: 8, claimWhenFree: 4, pollMs: 60_000, logger: pino({ level: 'silent' }),
      claim: async (limit) => {
        limits.push(limit);
        const out: number[] = [];
        while (out.length < limit && next < backlog) out.push(next++);
        return out;
      },
      run: (item) => items.run(item),
    });
    loop.start();
    await until(() => items.running.length === 8);
    expect(limits).toEqual([8]);
    // One, two, three items end: no claim for so few slots.
    for (const item of [0, 1, 2]) items.finish(item);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(limits).toEqual([8]);
    expect(items.running).toHaveLength(5);
    // The fourth frees enough: one claim fills the four.
    items.finish(3);
    await until(() => items.running.length === 8);
    expect(limits).toEqual([8, 4]);
    // Everything ends: the rest is claimed without waiting for the poll.
    while (next < backlog || items.running.length > 0) {
      for (const item of items.running) items.finish(item);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(limits.every((limit) => limit >= 4)).toBe(true);
    await loop.stop();
  });

  it('keeps claiming when the items it waited for end together', async () => {
    // Items end in pairs, the second while the loop lets I/O in: it must not wait on nothing.
    let next = 0;
    const done: number[] = [];
    const loop = new WorkLoop<number>({
      name: 'test', concurrency: 2, claimWhenFree: 2, pollMs: 60_000, logger: pino({ level: 'silent' }),
      claim: async (limit) => Array.from({ length: Math.min(limit, 10 - next) }, () => next++),
      run: async (item) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await new Promise((resolve) => setImmediate(resolve));
        done.push(item);
      },
    });
    loop.start();
    await until(() => done.length === 10);
    await loop.stop();
  });
});

