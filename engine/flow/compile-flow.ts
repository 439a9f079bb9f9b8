import { assign, fromPromise, setup, type AnyStateMachine } from 'xstate';
import type { ChoiceMessage, OutboundMessage } from '../messages.ts';
import type { FlowDefinition } from './flow-schema.ts';
import type { ConversationData, StepInput, StepResult } from './step.ts';

/** What the step runner actor receives. */
export interface RunStepInput {
  phase: 'enter' | 'handle';
  stateId: string;
  data: ConversationData;
  input?: StepInput;
}

/** What the step runner actor returns: the step's result and the outcome to route on. */
export interface RunStepOutput {
  result: StepResult;
  /** A step outcome, or `global:<intent>` for a global intent. */
  outcome?: string;
}

/** The events a flow machine takes. */
export type FlowEvent = { type: 'INPUT'; input: StepInput };

/** Machine context: the conversation data plus the input being handled. */
export interface FlowContext extends ConversationData {
  pending?: StepInput;
  /** Set when a step threw past the runner; the engine reports it and apologises. */
  failure?: string;
}

/** The one actor a compiled flow invokes; the engine binds it per turn with the turn's services. */
export type StepRunner = (input: RunStepInput) => Promise<RunStepOutput>;

/** The step runner of each running actor system (one per turn), so a machine is compiled once and shared. */
const runners = new WeakMap<object, StepRunner>();

/**
 * Binds the step runner a flow actor's states will call. Call it after
 * `createActor` and before `start()`; the binding goes with the actor.
 *
 * @example
 * ```ts
 * const actor = createActor(machine, { input: data });
 * bindStepRunner(actor, runner);
 * actor.start();
 * ```
 */
export function bindStepRunner(actor: { system: object }, runner: StepRunner): void {
  runners.set(actor.system, runner);
}

/**
 * Unbinds an actor's step runner (and with it the turn's services) when the
 * actor outlives its turn; the next turn binds its own.
 *
 * @example
 * ```ts
 * unbindStepRunner(actor); // the actor waits for the next message
 * ```
 */
export function unbindStepRunner(actor: { system: object }): void {
  runners.delete(actor.system);
}

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
 * a compound state `enter → wait → handle` around the step runner actor;
 * outcomes route by guards to the flow's targets. The machine is compiled
 * once; each turn binds its own step runner with {@link bindStepRunner}.
 *
 * @example
 * ```ts
 * const machine = compileFlow(flow);
 * const actor = createActor(machine, { input: data });
 * bindStepRunner(actor, runner);
 * actor.start();
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

  return setup({
    types: {} as { context: FlowContext; events: FlowEvent; input: ConversationData },
    actors: {
      runStep: fromPromise<RunStepOutput, RunStepInput>(async ({ input, system }) => {
        const runner = runners.get(system);
        if (!runner) throw new Error('No step runner is bound to this flow actor (see bindStepRunner)');
        return runner(input);
      }),
    },
    actions: {
      applyResult: assign(({ context, event }) => applyResult(context, (event as unknown as { output: RunStepOutput }).output)),
      enterState: assign(({ context }, params: { state: string }) => ({
        scratch: {},
        hops: context.hops + 1,
        trail: context.trail.at(-1) === params.state ? context.trail : [...context.trail, params.state].slice(-MAX_TRAIL),
      })),
      popTrail: assign(({ context }) => ({ trail: context.trail.slice(0, -2) })),
      beginTurn: assign(({ event }) => ({ outbox: [] as OutboundMessage[], hops: 0, pending: event.input, failure: undefined })),
      stepFailed: assign(({ event }) => ({ failure: String((event as { error?: unknown }).error) })),
    },
    guards: {
      outcomeIs: ({ event }, params: { outcome: string }) => (event as unknown as { output: RunStepOutput }).output.outcome === params.outcome,
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
          enter: {
            invoke: {
              src: 'runStep' as const,
              input: ({ context }: { context: FlowContext }): RunStepInput => ({ phase: 'enter', stateId, data: context }),
              onDone: routes(stateId),
              onError,
            },
          },
          wait: {
            tags: ['waiting'],
            on: { INPUT: { target: 'handle', actions: 'beginTurn' as const } },
          },
          handle: {
            invoke: {
              src: 'runStep' as const,
              input: ({ context }: { context: FlowContext }): RunStepInput => ({
                phase: 'handle', stateId, data: context, ...(context.pending ? { input: context.pending } : {}),
              }),
              onDone: routes(stateId),
              onError,
            },
          },
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
