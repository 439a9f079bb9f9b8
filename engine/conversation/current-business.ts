import type { DbClient } from '../db/db-client.ts';
import type { HistoryQuery } from './history.ts';

/**
 * The scratch key of a state that lists the directory (`searchDirectory` sets
 * it): while the conversation is in such a state it is at no business, even
 * though the shop it left is remembered (for "back"). Scratch is emptied when
 * another state is entered, so the mark ends with the state.
 */
export const IN_DIRECTORY = 'inDirectory';

/** The business a conversation is at: its id and name. */
export interface CurrentBusiness {
  id: string;
  name: string;
}

/** The business id in a saved snapshot (`context.businessId`), unless its state lists the directory. */
function businessIdOf(snapshot: string): string | undefined {
  try {
    const context = (JSON.parse(snapshot) as { context?: { businessId?: unknown; scratch?: Record<string, unknown> } }).context;
    if (context?.scratch?.[IN_DIRECTORY] === true) return undefined;
    return typeof context?.businessId === 'string' ? context.businessId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The business a customer's conversation is at, as last saved (a shop chosen
 * in the directory, or opened by its link), or undefined while they are in
 * the directory (see {@link IN_DIRECTORY}), have no conversation yet, or its
 * snapshot cannot be read. A
 * channel that shows where the customer is (the web chat page's header) reads it.
 *
 * @example
 * ```ts
 * const at = await currentBusiness(db, { botId: 'directory', channel: 'webchat', customerId });
 * at?.name; // 'Hackney Bread Co.'
 * ```
 */
export async function currentBusiness(db: DbClient, query: Omit<HistoryQuery, 'limit'>): Promise<CurrentBusiness | undefined> {
  const conversation = await db.conversation.findFirst({
    where: { botId: query.botId, channel: query.channel, customer: { channel: query.channel, externalId: query.customerId } },
    select: { snapshot: true },
  });
  const businessId = conversation ? businessIdOf(conversation.snapshot) : undefined;
  if (!businessId) return undefined;
  const business = await db.business.findUnique({ where: { id: businessId }, select: { id: true, name: true } });
  return business ?? undefined;
}
