import type { Logger } from 'pino';
import type { DbClient } from '../db/db-client.ts';
import type { SystemInput } from '../flow/step.ts';
import type { Clock } from '../services.ts';
import type { ConversationStore } from '../store/conversation-store.ts';
import { WorkLoop } from '../conversation/work-loop.ts';
import { databaseFlavour } from '../db/database-flavour.ts';
import { plainQuery } from '../db/plain-query.ts';
import { storedTime } from '../db/stored-time.ts';
import { HANDOFF_TIMEOUT_EVENT } from './handoffs.ts';

const DUE = 'SELECT "id", "conversationId" FROM "Handoff" WHERE "status" = \'waiting\' AND "timedOutAt" IS NULL AND "dueAt" <= ';
const DUE_SQLITE = `${DUE}$1 ORDER BY "dueAt" LIMIT $2`;
const DUE_POSTGRES = `${DUE}CAST($1 AS TIMESTAMP(3)) ORDER BY "dueAt" LIMIT $2`;

/** What {@link handoffTimeouts} needs from the engine. */
export interface HandoffTimeoutsDeps {
  db: DbClient;
  store: ConversationStore;
  clock: Clock;
  logger: Logger;
  /** How often to look for hand-offs past their due time (ms). */
  pollMs: number;
  /** Admits a system event into a conversation inside the transaction `tx`. */
  notify(conversationId: string, event: SystemInput, tx: DbClient, eventId: string): Promise<unknown>;
  /** Called after a commit that admitted events: the journal runs them now. */
  admitted(): void;
}

/**
 * The loop that tells customers when no one answered their hand-off in
 * time. It looks in the database for waiting hand-offs past `dueAt` (by the
 * injected clock; nothing is kept in memory, so a restart loses nothing), and
 * for each, in one transaction, marks it timed out and admits a
 * {@link HANDOFF_TIMEOUT_EVENT} into its conversation's journal, whose turn
 * asks the customer whether to carry on with the bot. The mark is
 * conditional and the event's id is the hand-off's, so it fires once, even
 * with several instances.
 *
 * @example
 * ```ts
 * const timeouts = handoffTimeouts({ db, store, clock, logger, pollMs: 5_000, notify, admitted: () => journal.wake() });
 * timeouts.start();
 * await timeouts.stop();
 * ```
 */
export function handoffTimeouts(deps: HandoffTimeoutsDeps): WorkLoop<{ id: string; conversationId: string }> {
  const { db, store, clock } = deps;
  const sqlite = databaseFlavour(db) === 'sqlite';
  return new WorkLoop({
    name: 'handoff-timeouts', concurrency: 1, pollMs: deps.pollMs, logger: deps.logger,
    // A prepared statement: it runs every poll, between the turns.
    claim: (limit) => plainQuery<{ id: string; conversationId: string }>(db, sqlite ? DUE_SQLITE : DUE_POSTGRES, [storedTime(clock.now()), limit]),
    run: async (due) => {
      const fired = await store.transaction(async (tx) => {
        const now = clock.now();
        const won = await tx.handoff.updateMany({
          where: { id: due.id, status: 'waiting', timedOutAt: null }, data: { timedOutAt: now, offerOpen: true, version: { increment: 1 } },
        });
        if (won.count !== 1) return false;
        await deps.notify(due.conversationId, { kind: 'system', event: HANDOFF_TIMEOUT_EVENT, data: { handoffId: due.id } }, tx, `${HANDOFF_TIMEOUT_EVENT}:${due.id}`);
        return true;
      });
      if (fired) deps.admitted();
    },
  });
}
