import type { Actor, AnyStateMachine } from 'xstate';

/** A running flow actor. */
export type FlowActor = Actor<AnyStateMachine>;

/** How many conversations' flow actors are kept between their turns. */
const WARM_ACTORS = 500;

/**
 * The flow actors of the conversations that took a turn last, each with the
 * conversation version its state belongs to: a customer's next message
 * usually follows within seconds, and restoring an actor from its snapshot is
 * a good part of a turn's CPU. Bounded (the least recent go first); an actor
 * whose conversation moved on elsewhere (another instance, a failed turn) is
 * not used, since its version no longer matches.
 *
 * @example
 * ```ts
 * const warm = new WarmActors();
 * const actor = warm.take(conversation.id, conversation.version, 'shopping@1') ?? restore(conversation.snapshot);
 * // … the turn runs and its transaction commits (the save made it version + 1):
 * warm.keep(conversation.id, conversation.version + 1, 'shopping@1', actor);
 * ```
 */
export class WarmActors {
  private readonly actors = new Map<string, { version: number; flowKey: string; actor: FlowActor }>();

  /** The actor kept for this conversation at this version and flow, taken out (a turn changes it). */
  take(conversationId: string, version: number, flowKey: string): FlowActor | undefined {
    const kept = this.actors.get(conversationId);
    if (!kept) return undefined;
    this.actors.delete(conversationId);
    if (kept.version === version && kept.flowKey === flowKey) return kept.actor;
    kept.actor.stop();
    return undefined;
  }

  keep(conversationId: string, version: number, flowKey: string, actor: FlowActor): void {
    this.actors.get(conversationId)?.actor.stop();
    this.actors.delete(conversationId);
    this.actors.set(conversationId, { version, flowKey, actor });
    if (this.actors.size <= WARM_ACTORS) return;
    const [oldest] = this.actors;
    if (!oldest) return;
    oldest[1].actor.stop();
    this.actors.delete(oldest[0]);
  }
}
