import type { TFunction } from 'i18next';
import type { z } from 'zod';
import type { LocaleWords } from '../i18n/locale-words.ts';
import type { ChoiceOption, InboundKind, InboundMessage, OutboundMessage } from '../messages.ts';
import type { Services } from '../services.ts';
import type { FulfilmentChoice } from '../orders/fulfilment.ts';

/**
 * What a conversation remembers between messages. It lives in the XState
 * context and is persisted with the snapshot, so keep it small and plain JSON.
 */
export interface ConversationData {
  botId: string;
  /** The customer's locale (e.g. `pt-BR`); texts and money follow it. */
  locale: string;
  conversationId: string;
  customerId: string;
  channel: string;
  businessId?: string;
  categoryId?: string;
  /** The catalog page shown in the current category. */
  page?: number;
  productId?: string;
  orderId?: string;
  /** How the customer wants the order of `businessId` so far (the fulfilment steps fill it, checkout uses it). */
  fulfilment?: FulfilmentDraft;
  /** The options last offered, so "2" or a label can answer them. */
  choices: ChoiceOption[];
  /** States visited, for "back". */
  trail: string[];
  /** Scratch space of the current state; emptied when a state is entered. */
  scratch: Record<string, unknown>;
  /** Free values for custom steps. */
  vars: Record<string, unknown>;
  /** Replies of the current turn. */
  outbox: OutboundMessage[];
  /** Whether the options offered last may be answered by their number. */
  numbered: boolean;
  /** State entries in the current turn (guards against loops). */
  hops: number;
}

/** The fields a step may change through {@link StepResult.set}. */
export type SettableData = Partial<Pick<ConversationData, 'locale' | 'businessId' | 'categoryId' | 'page' | 'productId' | 'orderId' | 'fulfilment' | 'vars'>>;

/** A fulfilment choice being made at a business (see {@link ConversationData.fulfilment}). */
export interface FulfilmentDraft extends Partial<FulfilmentChoice> {
  businessId: string;
}

/**
 * An input as a step sees it: the inbound message, with text that answered an
 * offered option already turned into a `choice`.
 */
export type StepInput = InboundMessage | SystemInput;

/** An event from outside the chat (a payment result, an order update). */
export interface SystemInput {
  kind: 'system';
  event: string;
  data: Record<string, unknown>;
}

/** Everything a step can use. */
export interface StepContext<P = unknown> {
  /** The step's params from the flow file, already validated. */
  params: P;
  /** The flow state this step runs in. */
  stateId: string;
  data: Readonly<ConversationData>;
  /** This state's scratch values (see {@link StepResult.scratch}). */
  scratch: Readonly<Record<string, unknown>>;
  services: Services;
  /** Translate for the bot and the customer's locale. */
  t: TFunction;
  /** Formats minor units for the customer's locale. */
  money(minor: number, currency: string): string;
  /**
   * The words of every locale together (the locale files' `words`): units a
   * quantity may carry, polite words, stop words. Customers mix languages, so
   * steps accept them all.
   */
  words: LocaleWords;
  /**
   * Whether the conversation's channel can deliver an inbound message of this
   * kind (its capabilities' `inbound`, plus `text` and `choice`), so a step asks
   * for a location pin only where the customer can send one.
   */
  canReceive(kind: InboundKind): boolean;
}

/** What a step returns. */
export interface StepResult {
  /** Messages to send, in order. */
  replies?: OutboundMessage[];
  /** Names the transition to take; it must be one of the step's `outcomes`. No outcome: stay and wait. */
  outcome?: string;
  /** Conversation fields to change. */
  set?: SettableData;
  /** Values to keep for this state only (merged). */
  scratch?: Record<string, unknown>;
  /**
   * This state had nothing to do here (a question that does not apply) and
   * passes on at once: "back" from the next state skips over it.
   */
  skipped?: boolean;
}

/**
 * A reusable building block of flows. Flows refer to steps by `name` and pass
 * `params`, which are validated when the flow is loaded.
 *
 * - `enter` runs when the state is entered (ask the question, show the list).
 * - `handle` runs for each customer message while in the state.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { defineStep } from 'vitrine/engine';
 *
 * export const askName = defineStep({
 *   name: 'askName',
 *   description: 'Asks the customer for their name and stores it in vars.name',
 *   params: z.object({ prompt: z.string() }),
 *   outcomes: ['done'],
 *   textKeys: (p) => [p.prompt],
 *   enter: (ctx) => ({ replies: [{ kind: 'text', text: ctx.t(ctx.params.prompt) }] }),
 *   handle: (ctx, input) =>
 *     input.kind === 'text'
 *       ? { set: { vars: { ...ctx.data.vars, name: input.text } }, outcome: 'done' }
 *       : { replies: [{ kind: 'text', text: ctx.t(ctx.params.prompt) }] },
 * });
 * ```
 */
export interface StepDefinition<P = unknown> {
  name: string;
  description: string;
  /** Schema of the params a flow passes. */
  params: z.ZodType<P>;
  /** The outcomes this step can return; flows map them to states. A function when they depend on params. */
  outcomes: readonly string[] | ((params: P) => readonly string[]);
  /** Global intents (help, back, cart …) this step handles itself instead of the flow. */
  ownIntents?: readonly string[];
  /**
   * The most options one of this step's choices can offer with these params,
   * checked against the channels a bot is enabled on. Leave it out when the
   * number depends on data (it is then not checked).
   */
  maxOptions?(params: P): number;
  /** Translation keys the params refer to, checked against every locale of a bot. */
  textKeys?(params: P): string[];
  enter?(ctx: StepContext<P>): StepResult | Promise<StepResult>;
  handle?(ctx: StepContext<P>, input: StepInput): StepResult | Promise<StepResult>;
}

/**
 * A step with its params type erased, as stored in a registry. (Methods are
 * checked bivariantly, so any `StepDefinition<P>` is assignable.)
 */
export type AnyStep = StepDefinition<unknown>;

/**
 * Declares a step with typed params. Identity at run time; it only helps types.
 *
 * @example
 * ```ts
 * const hello = defineStep({ name: 'hello', description: 'Greets', params: z.object({}), outcomes: ['done'],
 *   enter: (ctx) => ({ replies: [{ kind: 'text', text: ctx.t('hello') }], outcome: 'done' }) });
 * ```
 */
export function defineStep<P>(step: StepDefinition<P>): StepDefinition<P> {
  return step;
}

/** Steps by name. */
export type StepRegistry = ReadonlyMap<string, AnyStep>;

/**
 * Builds a registry from step lists; later lists override earlier ones by name,
 * so a developer can replace a standard step.
 *
 * @example
 * ```ts
 * const steps = createStepRegistry(standardSteps, [askName]);
 * ```
 */
export function createStepRegistry(...lists: readonly AnyStep[][]): StepRegistry {
  const map = new Map<string, AnyStep>();
  for (const list of lists) for (const step of list) map.set(step.name, step);
  return map;
}
