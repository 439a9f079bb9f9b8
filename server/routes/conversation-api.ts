import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  closeHandoff, conversationDetail, HANDOFF_FILTERS, listConversations, markHandoffRead, replyToCustomer, VitrineError,
} from '../../engine/index.ts';
import type { Runtime } from '../runtime.ts';
import { callerBusiness } from './api-caller.ts';

/** Longest staff reply, in characters (WhatsApp's limit for a text message). */
export const STAFF_REPLY_MAX_LENGTH = 4096;

const listQuery = z.object({ handoff: z.enum(HANDOFF_FILTERS).default('all'), limit: z.coerce.number().int().min(1).max(200).default(50) });
const replyBody = z.object({ text: z.string().trim().min(1).max(STAFF_REPLY_MAX_LENGTH) });

/** The business of the caller: the conversations API answers business keys only. */
const businessOf = (request: FastifyRequest): string => callerBusiness(request, 'Reading and answering conversations');

/**
 * The conversations of the business API (docs/handoff.md), registered inside
 * `businessApiRoutes` so they share its Bearer-key authentication and rate
 * limits. A key sees only its business's conversations (those with a
 * hand-off, cart or order there); any other is a 404
 * (`VT_ERR_CONVERSATION_UNKNOWN`).
 * - `GET /conversations?handoff=waiting|open|all&limit=50` → `{ conversations }`, newest activity first;
 * - `GET /conversations/:id` → the summary, `messages` and `cart`;
 * - `POST /conversations/:id/messages` `{ text }` → 202 `{ id }`: the staff's reply, to the customer's channel
 *   (only while the hand-off is open: else 409 `VT_ERR_HANDOFF_NOT_OPEN`);
 * - `POST /conversations/:id/read` → 204: nothing unread;
 * - `POST /conversations/:id/close` → 200 `{ id, handoff: 'closed' }`: the bot takes over again (409 when not open).
 *
 * @example
 * ```ts
 * // inside businessApiRoutes' plugin, after its auth hooks:
 * conversationRoutes(api, runtime);
 * ```
 */
export function conversationRoutes(api: FastifyInstance, runtime: Runtime): void {
  const { db, engine, clock } = runtime;

  api.get('/conversations', async (request) => {
    const businessId = businessOf(request);
    const query = listQuery.safeParse(request.query);
    if (!query.success) throw new VitrineError('VT_ERR_REQUEST_INVALID', `handoff must be one of ${HANDOFF_FILTERS.join(', ')}; limit 1 to 200`);
    return { conversations: await listConversations(db, businessId, query.data) };
  });

  api.get<{ Params: { id: string } }>('/conversations/:id', async (request) => conversationDetail(db, { businessId: businessOf(request), conversationId: request.params.id }));

  api.post<{ Params: { id: string } }>('/conversations/:id/messages', async (request, reply) => {
    const businessId = businessOf(request);
    const body = replyBody.safeParse(request.body);
    if (!body.success) throw new VitrineError('VT_ERR_REQUEST_INVALID', `Send {"text": "…"}: 1 to ${STAFF_REPLY_MAX_LENGTH} characters`);
    const sent = await replyToCustomer(db, { businessId, conversationId: request.params.id, text: body.data.text }, clock, runtime.i18n);
    engine.outbox.wake();
    request.log.info({ conversationId: request.params.id, outboxId: sent.id }, 'staff reply queued');
    return reply.code(202).send(sent);
  });

  api.post<{ Params: { id: string } }>('/conversations/:id/read', async (request, reply) => {
    await markHandoffRead(db, { businessId: businessOf(request), conversationId: request.params.id });
    return reply.code(204).send();
  });

  api.post<{ Params: { id: string } }>('/conversations/:id/close', async (request) => {
    const conversationId = request.params.id;
    await closeHandoff(db, { businessId: businessOf(request), conversationId }, (id, event, options) => engine.notify(id, event, options), clock);
    engine.wake();
    request.log.info({ conversationId }, 'hand-off closed by the staff');
    return { id: conversationId, handoff: 'closed' };
  });
}
