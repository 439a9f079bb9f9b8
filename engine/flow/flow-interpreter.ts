import { createActor, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine, type Snapshot } from 'xstate';
import type { FlowContext, FlowEvent, StepRunner } from './compile-flow.ts';
import type { ConversationData } from './step.ts';
import { isVitrineError, VitrineError } from '../errors.ts';

/** The longest delay a Node timer takes (a longer one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A flow machine's state between two of its steps: XState's own snapshot, immutable. */
export type FlowSnapshot = AnyMachineSnapshot & { context: FlowContext };

/**
 * Runs a flow machine compiled by `compileFlow` with XState's pure
 * transitions (`machine.transition`), no actor: a turn restores or starts a
 * snapshot, and while it rests in a step's `enter` or `handle` phase the
 * interpreter awaits the step runner and feeds its result back as a
 * `STEP.DONE` event (`STEP.FAILED` when the runner throws), until the flow
 * waits for the customer again. The machine decides every route (guards,
 * assignments, `$back`); the interpreter only carries steps' results to it.
 *
 * One interpreter serves every turn of its flow at once: a transition is
 * synchronous, and the scope it runs in keeps nothing.
 *
 * @example
 * ```ts
 * const flow = new FlowInterpreter(compileFlow(definition));
 * let snapshot = await flow.settle(flow.initial(data), runner, 30_000);
 * snapshot = await flow.settle(flow.send(snapshot, { type: 'INPUT', input }), runner, 30_000);
 * const saved = flow.persisted(snapshot); // JSON text to store
 * ```
 */
export class FlowInterpreter {
  /** The scope transitions run in. Only assignments run in this machine, so nothing is executed through it. */
  private readonly scope: AnyActorScope;

  constructor(readonly machine: AnyStateMachine) {
    // An actor that is never started, as XState's own pure `transition()` makes one: a `self` for assignments.
    const self = createActor(machine);
    this.scope = {
      self, id: '', sessionId: '', system: self.system, logger: () => {}, defer: () => {}, emit: () => {}, stopChild: () => {}, actionExecutor: () => {},
    } as unknown as AnyActorScope;
  }

  /** The snapshot of a new conversation, resting in its first state's `enter`. */
  initial(data: ConversationData): FlowSnapshot {
    return this.checked(this.machine.getInitialSnapshot(this.scope, data) as FlowSnapshot);
  }

  /** A stored snapshot made live again; throws when it names states the machine does not have. */
  restore(persisted: Snapshot<unknown>): FlowSnapshot {
    return this.checked(this.machine.restoreSnapshot(persisted, this.scope) as FlowSnapshot);
  }

  /** The next snapshot after `event`. */
  send(snapshot: FlowSnapshot, event: FlowEvent): FlowSnapshot {
    return this.checked(this.machine.transition(snapshot, event, this.scope) as FlowSnapshot);
  }

  /**
   * Runs steps until the flow waits for the customer: each `enter` or
   * `handle` the snapshot rests in is run by `runner` and its result sent
   * back. Rejects when the flow has not waited again within `timeoutMs`
   * (a step that never ends); `Infinity` sets no limit.
   */
  async settle(from: FlowSnapshot, runner: StepRunner, timeoutMs: number): Promise<FlowSnapshot> {
    let snapshot = from;
    let phase = stepPhase(snapshot);
    if (!phase) return snapshot;
    let timer: NodeJS.Timeout | undefined;
    // No limit for an infinite time (a timer cannot wait longer than MAX_TIMER_MS, and would fire at once).
    const expired = Number.isFinite(timeoutMs) ? new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new VitrineError('VT_ERR_FLOW_STUCK', `The flow did not wait for the customer within ${timeoutMs} ms (in ${phase?.stateId}.${phase?.phase})`)), Math.min(timeoutMs, MAX_TIMER_MS));
    }) : undefined;
    try {
      for (; phase; phase = stepPhase(snapshot)) {
        const { context } = snapshot;
        let event: FlowEvent;
        try {
          const step = runner({ phase: phase.phase, stateId: phase.stateId, data: context, ...(phase.phase === 'handle' && context.pending ? { input: context.pending } : {}) });
          const output = await (expired ? Promise.race([step, expired]) : step);
          event = { type: 'STEP.DONE', output };
        } catch (error) {
          if (isVitrineError(error, 'VT_ERR_FLOW_STUCK')) throw error;
          event = { type: 'STEP.FAILED', error };
        }
        snapshot = this.send(snapshot, event);
      }
      return snapshot;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The snapshot as stored: XState's persisted form. A flow machine has no
   * children, history states or actors in its context, so that form is its
   * status, value and context, written here without XState walking the
   * context for actors to replace (which it otherwise does on every turn).
   */
  persisted(snapshot: FlowSnapshot): Snapshot<unknown> {
    const { status, value, context, children, historyValue } = snapshot;
    const plain = Object.keys(children).length === 0 && (historyValue === undefined || Object.keys(historyValue).length === 0);
    if (!plain) return this.machine.getPersistedSnapshot(snapshot) as Snapshot<unknown>;
    return { status, value, context, children: {}, historyValue: {} } as unknown as Snapshot<unknown>;
  }

  private checked(snapshot: FlowSnapshot): FlowSnapshot {
    if (snapshot.status === 'error') throw snapshot.error instanceof Error ? snapshot.error : new Error(String(snapshot.error));
    return snapshot;
  }
}

/** The step a snapshot rests in, if it rests in one (`{ browse: 'enter' }`), not waiting for the customer. */
function stepPhase(snapshot: FlowSnapshot): { stateId: string; phase: 'enter' | 'handle' } | undefined {
  if (snapshot.status !== 'active') return undefined;
  const value = snapshot.value as Record<string, string> | string;
  if (typeof value !== 'object') return undefined;
  for (const stateId in value) {
    const phase = value[stateId];
    if (phase === 'enter' || phase === 'handle') return { stateId, phase };
  }
  return undefined;
}
