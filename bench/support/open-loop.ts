import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** What {@link runOpenLoop} did. */
export interface OpenLoopResult {
  sent: number;
  /** `performance.now()` of the first scheduled send. */
  startedAt: number;
  /** Largest delay between a send's scheduled time and when it was sent (the load generator lagging). */
  maxLagMs: number;
}

/**
 * Sends `rate × durationSec` messages on a fixed schedule (message `i` is due at
 * `start + i / rate`), without waiting for answers: an open loop, so a slow
 * server cannot slow the offered load down. `send(i, scheduledAt)` must not block.
 *
 * @example
 * ```ts
 * await runOpenLoop(200, 10, (i, at) => sockets[i % sockets.length].send('oi', 2, at));
 * ```
 */
export async function runOpenLoop(rate: number, durationSec: number, send: (index: number, scheduledAt: number) => void): Promise<OpenLoopResult> {
  const total = Math.round(rate * durationSec);
  const interval = 1000 / rate;
  const startedAt = performance.now();
  let next = 0;
  let maxLagMs = 0;
  while (next < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - startedAt) / interval) + 1);
    for (; next < due; next++) {
      const scheduledAt = startedAt + next * interval;
      maxLagMs = Math.max(maxLagMs, performance.now() - scheduledAt);
      send(next, scheduledAt);
    }
    await sleep(1);
  }
  return { sent: total, startedAt, maxLagMs };
}

/**
 * Runs `task(i)` for i in 0..count-1 with at most `concurrency` at a time; no
 * task starts after `until` (a `performance.now()` time, default never).
 * Resolves with how many tasks ran.
 *
 * @example
 * ```ts
 * const ran = await pool(1000, 32, async (i) => { await engine.process(messageFor(i)); }, performance.now() + 20_000);
 * ```
 */
export async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>, until = Number.POSITIVE_INFINITY): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < count && performance.now() < until) {
      const index = next++;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return next;
}

/**
 * Waits until `done()` is true, checking every `everyMs`, for at most `timeoutMs`. Returns whether it became true.
 *
 * @example
 * ```ts
 * const drained = await waitUntil(() => pending === 0, 10_000);
 * ```
 */
export async function waitUntil(done: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}
