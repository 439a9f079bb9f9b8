import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LoadProgressDisplay } from '../../server/load-progress-display.ts';

/** A stream that is not a terminal (a log file, CI), keeping what was written. */
function logStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _encoding, done) { chunks.push(chunk.toString()); done(); } });
  return { stream: Object.assign(stream, { isTTY: false }) as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

describe('the progress display of a bot load', () => {
  it('prints plain lines for each long phase when the output is not a terminal', () => {
    const { stream, text } = logStream();
    const display = new LoadProgressDisplay({ stream });
    display.onProgress({ phase: 'files parsed', done: 0, total: 10_000 });
    display.onProgress({ phase: 'files parsed', done: 10_000, total: 10_000 });
    display.onProgress({ phase: 'businesses', done: 0, total: 10_000 });
    display.onProgress({ phase: 'products', done: 50_000, total: 100_000 });
    display.onProgress({ phase: 'businesses', done: 10_000, total: 10_000 });
    display.onProgress({ phase: 'products', done: 100_000, total: 100_000 });
    display.stop();
    expect(text()).toMatch(/files parsed\s+\[[^\]]+\] 10000\/10000/);
    expect(text()).toMatch(/businesses\s+\[[^\]]+\] 10000\/10000/);
    expect(text()).toMatch(/products\s+\[[^\]]+\] 100000\/100000/);
  });

  it('shows nothing for a small bot like the demos', () => {
    const { stream, text } = logStream();
    const display = new LoadProgressDisplay({ stream });
    display.onProgress({ phase: 'files parsed', done: 15, total: 15 });
    display.onProgress({ phase: 'businesses', done: 15, total: 15 });
    display.onProgress({ phase: 'products', done: 120, total: 120 });
    display.stop();
    expect(text()).toBe('');
  });
});
