import { LRUMapWithDelete } from 'mnemonist';

/** How many conversations' flow states are kept between their turns. */
const WARM_STATES = 500;

/**
 * The flow states of the conversations that took a turn last, each with the
 * conversation version it belongs to: a customer's next message usually
 * follows within seconds, and restoring a state from its stored JSON is a
 * good part of a turn's CPU. Bounded (the least recent go first); a state
 * whose conversation moved on elsewhere (another instance, a failed turn) is
 * not used, since its version no longer matches.
 *
 * @example
 * ```ts
 * const warm = new WarmSnapshots<FlowSnapshot>();
 * const state = warm.take(conversation.id, conversation.version, 'shopping@1') ?? flow.restore(stored);
 * // … the turn runs and its transaction commits (the save made it version + 1):
 * warm.keep(conversation.id, conversation.version + 1, 'shopping@1', next);
 * ```
 */
export class WarmSnapshots<S> {
  /** Least recently kept first out when full. */
  private readonly states = new LRUMapWithDelete<string, { version: number; flowKey: string; state: S }>(WARM_STATES);

  /** The state kept for this conversation at this version and flow, taken out (a turn changes it). */
  take(conversationId: string, version: number, flowKey: string): S | undefined {
    const kept = this.states.remove(conversationId, undefined);
    return kept && kept.version === version && kept.flowKey === flowKey ? kept.state : undefined;
  }

  keep(conversationId: string, version: number, flowKey: string, state: S): void {
    this.states.set(conversationId, { version, flowKey, state });
  }
}
