import { describe, expect, it } from 'vitest';
import { compileFlow, type RunStepInput, type RunStepOutput, type StepRunner } from '../../engine/flow/compile-flow.ts';
import { FlowInterpreter } from '../../engine/flow/flow-interpreter.ts';
import type { FlowDefinition } from '../../engine/flow/flow-schema.ts';
import type { ConversationData } from '../../engine/flow/step.ts';
import { isVitrineError } from '../../engine/errors.ts';

// The flow machine runs with XState's pure transitions: the interpreter runs each step the
// machine rests in and sends its result back. These check that the machine, not the
// interpreter, routes: outcomes, `$back`, a failing step, and a step that never ends.

const flow: FlowDefinition = {
  id: 'ask', version: 1, description: '', initial: 'name', file: 'ask.flow.yaml', global: { restart: 'name' },
  states: {
    name: { step: 'askName', params: {}, on: { done: 'city' } },
    city: { step: 'askCity', params: {}, on: { done: 'name' } },
  },
};

const data: ConversationData = {
  botId: 'b', locale: 'en', conversationId: 'c1', customerId: 'u1', channel: 'console',
  choices: [], trail: [], scratch: {}, vars: {}, outbox: [], numbered: true, hops: 0,
};

/** Asks for a name, then a city; "back" goes back, "restart" restarts, "boom" throws, "hang" never ends. */
const runner = (calls: RunStepInput[] = []): StepRunner => async (step) => {
  calls.push(step);
  if (step.phase === 'enter') return { result: { replies: [{ kind: 'text', text: `${step.stateId}?` }] } };
  const text = step.input?.kind === 'text' ? step.input.text : '';
  if (text === 'back') return { result: {}, outcome: 'back' };
  if (text === 'restart') return { result: {}, outcome: 'global:restart' };
  if (text === 'boom') throw new Error('the step broke');
  if (text === 'hang') return new Promise<RunStepOutput>(() => {});
  return { result: { set: { vars: { ...step.data.vars, [step.stateId]: text } } }, outcome: 'done' };
};

const text = (t: string) => ({ type: 'INPUT' as const, input: { kind: 'text' as const, text: t, messageId: t, channel: 'console', botId: 'b', customer: { id: 'u1' } } });

describe('the flow interpreter', () => {
  const interpreter = new FlowInterpreter(compileFlow(flow));

  it('runs the first step, waits, and routes each outcome where the flow says', async () => {
    const calls: RunStepInput[] = [];
    let s = await interpreter.settle(interpreter.initial(data), runner(calls), 1000);
    expect(s.value).toEqual({ name: 'wait' });
    expect(s.context.outbox).toEqual([{ kind: 'text', text: 'name?' }]);
    s = await interpreter.settle(interpreter.send(s, text('Ana')), runner(calls), 1000);
    expect(s.value).toEqual({ city: 'wait' });
    expect(s.context.vars).toEqual({ name: 'Ana' });
    expect(s.context.outbox).toEqual([{ kind: 'text', text: 'city?' }]);
    expect(s.context.trail).toEqual(['name', 'city']);
    expect(calls.map((c) => `${c.stateId}.${c.phase}`)).toEqual(['name.enter', 'name.handle', 'city.enter']);

    s = await interpreter.settle(interpreter.send(s, text('back')), runner(calls), 1000);
    expect(s.value).toEqual({ name: 'wait' });
    expect(s.context.trail).toEqual(['name']);
    s = await interpreter.settle(interpreter.send(s, text('Bia')), runner(calls), 1000);
    s = await interpreter.settle(interpreter.send(s, text('restart')), runner(calls), 1000);
    expect(s.value).toEqual({ name: 'wait' });
    expect(s.context.vars).toEqual({ name: 'Bia' });
  });

  it('keeps a stored snapshot: restored, it waits where it was with the same data', async () => {
    let s = await interpreter.settle(interpreter.initial(data), runner(), 1000);
    s = await interpreter.settle(interpreter.send(s, text('Ana')), runner(), 1000);
    const stored = JSON.parse(JSON.stringify(interpreter.persisted(s))) as Parameters<FlowInterpreter['restore']>[0];
    // The same text XState's own persisted form gives.
    expect(stored).toEqual(JSON.parse(JSON.stringify(interpreter.machine.getPersistedSnapshot(s))));
    const back = interpreter.restore(stored);
    expect(back.value).toEqual({ city: 'wait' });
    expect(back.context.vars).toEqual({ name: 'Ana' });
    const next = await interpreter.settle(interpreter.send(back, text('Lisbon')), runner(), 1000);
    expect(next.context.vars).toEqual({ name: 'Ana', city: 'Lisbon' });
    expect(() => interpreter.restore({ ...(stored as object), value: { nowhere: 'wait' } } as unknown as typeof stored)).toThrow();
  });

  it('records a step that throws as the turn\'s failure and waits in the same state', async () => {
    let s = await interpreter.settle(interpreter.initial(data), runner(), 1000);
    s = await interpreter.settle(interpreter.send(s, text('boom')), runner(), 1000);
    expect(s.value).toEqual({ name: 'wait' });
    expect(s.context.failure).toContain('the step broke');
    s = await interpreter.settle(interpreter.send(s, text('Ana')), runner(), 1000);
    expect(s.context.failure).toBeUndefined();
    expect(s.value).toEqual({ city: 'wait' });
  });

  it('gives up on a step that never ends once the time is up', async () => {
    const s = await interpreter.settle(interpreter.initial(data), runner(), 1000);
    const started = performance.now();
    const error = await interpreter.settle(interpreter.send(s, text('hang')), runner(), 100).catch((err: unknown) => err);
    expect(isVitrineError(error, 'VT_ERR_FLOW_STUCK')).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('sets no limit for an infinite time, where a timer would fire at once', async () => {
    const slow: StepRunner = async (step) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return runner()(step);
    };
    const s = await interpreter.settle(interpreter.initial(data), slow, Number.POSITIVE_INFINITY);
    expect(s.value).toEqual({ name: 'wait' });
  });
});
