import { assign, setup, type AnyStateMachine } from 'xstate';
import type { ChoiceMessage, OutboundMessage } from '../messages.ts';
import type { FlowDefinition } from './flow-schema.ts';
import type { ConversationData, StepInput, StepResult } from './step.ts';
import type { FlowInterpreter } from './flow-interpreter.ts';

/** What the step runner receives. */
export interface RunStepInput {
  phase: 'enter' | 'handle';
  stateId: string;
  data: ConversationData;
  input?: StepInput;
}

/** What the step runner returns: the step's result and the outcome to route on. */
export interface RunStepOutput {
  result: StepResult;
  /** A step outcome, or `global:<intent>` for a global intent. */
  outcome?: string;
}

/**
 * The events a flow machine takes: the customer's input (or an event from
 * outside the chat), and the result of the step it rests in, which the
 * {@link FlowInterpreter} runs and sends back.
 */
export type FlowEvent =
  | { type: 'INPUT'; input: StepInput }
  | { type: 'STEP.DONE'; output: RunStepOutput }
  | { type: 'STEP.FAILED'; error: unknown };

/** Machine context: the conversation data plus the input being handled. */
export interface FlowContext extends ConversationData {
  pending?: StepInput;
  /** Set when a step threw past the runner; the engine reports it and apologises. */
  failure?: string;
}

/** Runs a state's step (its `enter` or `handle`) for the {@link FlowInterpreter}, with the turn's services. */
export type StepRunner = (input: RunStepInput) => Promise<RunStepOutput>;

const MAX_TRAIL = 20;

function applyResult(context: FlowContext, output: RunStepOutput): Partial<FlowContext> {
  const { result } = output;
  const replies = result.replies ?? [];
  const choices = [...replies].reverse().find((r): r is ChoiceMessage => r.kind === 'choice');
  return {
    ...(result.set ?? {}),
    outbox: [...context.outbox, ...replies],
    scratch: { ...context.scratch, ...(result.scratch ?? {}) },
    ...(choices ? { choices: choices.options, numbered: choices.numbered !== false } : {}),
    ...(result.skipped ? { trail: context.trail.slice(0, -1) } : {}),
  };
}

function targetOf(target: string, stateId: string): { target: string; reenter: true } {
  if (target === '$back') return { target: '#flow.__back', reenter: true };
  return { target: `#flow.${target === '$stay' ? stateId : target}`, reenter: true };
}

/**
 * Compiles a validated flow into an XState v5 machine. Each flow state becomes
 * a compound state `enter → wait → handle`: in `enter` and `handle` the
 * machine rests until the step's result arrives (`STEP.DONE`), whose outcome
 * routes by guards to the flow's targets; in `wait` it waits for the
 * customer (`INPUT`). The machine is compiled once and run by a
 * {@link FlowInterpreter}, which runs the steps with each turn's services.
 *
 * @example
 * ```ts
 * const flow = new FlowInterpreter(compileFlow(definition));
 * const snapshot = await flow.settle(flow.initial(data), runner, 30_000);
 * ```
 */
export function compileFlow(flow: FlowDefinition): AnyStateMachine {
  const stateNames = Object.keys(flow.states);
  const routes = (stateId: string) => {
    const state = flow.states[stateId];
    const on: Record<string, string> = { ...(state?.on ?? {}) };
    if (on['back'] === undefined) on['back'] = '$back';
    for (const [intent, target] of Object.entries(flow.global)) if (target !== undefined) on[`global:${intent}`] = target;
    on['global:language'] ??= '$stay';
    // A greeting in the middle of a conversation shows the current question again.
    on['global:greeting'] ??= '$stay';
    return [
      ...Object.entries(on).map(([outcome, target]) => ({
        guard: { type: 'outcomeIs' as const, params: { outcome } },
        ...targetOf(target, stateId),
        actions: 'applyResult' as const,
      })),
      { target: 'wait', actions: 'applyResult' as const },
    ];
  };
  const onError = { target: 'wait', actions: 'stepFailed' as const };
  /** A phase that runs the state's step: it rests until the step's result (or failure) arrives. */
  const stepPhase = (stateId: string) => ({ on: { 'STEP.DONE': routes(stateId), 'STEP.FAILED': onError } });

  return setup({
    types: {} as { context: FlowContext; events: FlowEvent; input: ConversationData },
    actions: {
      applyResult: assign(({ context, event }) => (event.type === 'STEP.DONE' ? applyResult(context, event.output) : {})),
      enterState: assign(({ context }, params: { state: string }) => ({
        scratch: {},
        hops: context.hops + 1,
        trail: context.trail.at(-1) === params.state ? context.trail : [...context.trail, params.state].slice(-MAX_TRAIL),
      })),
      popTrail: assign(({ context }) => ({ trail: context.trail.slice(0, -2) })),
      beginTurn: assign(({ event }) => (event.type === 'INPUT' ? { outbox: [] as OutboundMessage[], hops: 0, pending: event.input, failure: undefined } : {})),
      stepFailed: assign(({ event }) => ({ failure: String(event.type === 'STEP.FAILED' ? event.error : event.type) })),
    },
    guards: {
      outcomeIs: ({ event }, params: { outcome: string }) => event.type === 'STEP.DONE' && event.output.outcome === params.outcome,
      previousIs: ({ context }, params: { state: string }) => context.trail.at(-2) === params.state,
    },
  }).createMachine({
    id: 'flow',
    context: ({ input }) => ({ ...input }),
    initial: flow.initial,
    states: {
      ...Object.fromEntries(stateNames.map((stateId) => [stateId, {
        // Read by diagrams (flowGraph), so a picture of the flow shows what runs.
        meta: { step: flow.states[stateId]?.step },
        initial: 'enter',
        entry: { type: 'enterState' as const, params: { state: stateId } },
        states: {
          enter: stepPhase(stateId),
          wait: {
            tags: ['waiting'],
            on: { INPUT: { target: 'handle', actions: 'beginTurn' as const } },
          },
          handle: stepPhase(stateId),
        },
      }])),
      __back: {
        always: [
          ...stateNames.map((stateId) => ({
            guard: { type: 'previousIs' as const, params: { state: stateId } },
            target: stateId,
            actions: 'popTrail' as const,
          })),
          { target: flow.initial, actions: 'popTrail' as const },
        ],
      },
    },
  });
}
