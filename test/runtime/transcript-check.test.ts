import { describe, expect, it } from 'vitest';
import type { GraphCall } from '../../adapters/kit/testing/index.ts';
import { unexplainedCalls, type RepeatExplanations } from '../support/transcript-check.ts';

// The checker the crash tests trust: a repeat it explains must be one a kill can cause, and no other.

const call = (seq: number, key: string, by: string, receivedAt: number): GraphCall => ({
  seq, path: `/${by}/v21.0/1/messages`, message: { to: '5511', type: 'text' }, key, receivedAt, status: 200, state: 'answered',
});
const sentBy = (c: GraphCall) => c.path.split('/')[1] ?? '';

/** One kill of i2 at time 100, usable once, as the PostgreSQL instances test explains repeats. */
function oneKill(): RepeatExplanations {
  let used = false;
  const use = (killedCopy: GraphCall, after: GraphCall) => {
    if (used || sentBy(killedCopy) !== 'i2' || after.receivedAt <= 100) return false;
    used = true;
    return true;
  };
  return {
    resentAfterKill: (first, repeat) => use(first, repeat),
    arrivedLateFromKilled: (first, late) => sentBy(first) !== sentBy(late) && use(late, late),
    sender: sentBy,
  };
}

describe('unexplainedCalls', () => {
  const expected = ['a', 'b', 'c'];

  it('finds nothing wrong in the expected messages, in order', () => {
    expect(unexplainedCalls([call(1, 'a', 'i1', 10), call(2, 'b', 'i2', 20), call(3, 'c', 'i3', 30)], expected, oneKill())).toEqual([]);
  });

  it('explains one copy of the killed instance arriving late, after the kill, out of order', () => {
    const calls = [call(1, 'a', 'i1', 10), call(2, 'b', 'i3', 120), call(3, 'c', 'i3', 130), call(4, 'b', 'i2', 140)];
    expect(unexplainedCalls(calls, expected, oneKill())).toEqual([]);
  });

  it('explains the killed instance copy followed by the resend after its lease', () => {
    const calls = [call(1, 'a', 'i1', 10), call(2, 'b', 'i2', 90), call(3, 'b', 'i3', 120), call(4, 'c', 'i3', 130)];
    expect(unexplainedCalls(calls, expected, oneKill())).toEqual([]);
  });

  it('reports a late repeat by a live instance', () => {
    const calls = [call(1, 'a', 'i1', 10), call(2, 'b', 'i1', 20), call(3, 'c', 'i3', 130), call(4, 'b', 'i3', 140)];
    expect(unexplainedCalls(calls, expected, oneKill())).toEqual([
      'unexpected #4 "b" (expected "(nothing)", a repeat of #2 sent by i1, 120 ms later, by i3)',
    ]);
  });

  it('reports a second repeat: a killed instance has one send in flight per customer', () => {
    const calls = [call(1, 'a', 'i1', 10), call(2, 'b', 'i3', 120), call(3, 'c', 'i3', 130), call(4, 'b', 'i2', 140), call(5, 'a', 'i2', 150)];
    expect(unexplainedCalls(calls, expected, oneKill())).toHaveLength(1);
  });

  it('reports a missing message', () => {
    expect(unexplainedCalls([call(1, 'a', 'i1', 10)], expected, oneKill())).toEqual(['missing "b" and 1 more']);
  });
});
