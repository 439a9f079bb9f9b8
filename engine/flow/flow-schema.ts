import { z } from 'zod';

/** Global intents a flow can route from any state. */
export const GLOBAL_INTENTS = ['help', 'restart', 'back', 'cart', 'switchBusiness', 'orders', 'human', 'language'] as const;

/** A global intent name. */
export type GlobalIntent = (typeof GLOBAL_INTENTS)[number];

/**
 * What a flow's `global` routes: the global intents, and `openBusiness`, a
 * message from a business's link or QR code (`#<business-slug>`, see
 * `businessLinkSlugs`), which selects that business wherever the customer is.
 */
export const GLOBAL_ROUTES = [...GLOBAL_INTENTS, 'openBusiness'] as const;

/** A name a flow's `global` may route. */
export type GlobalRoute = (typeof GLOBAL_ROUTES)[number];

/** Special targets: `$back` returns to the previous state, `$stay` re-prompts the current one. */
export const SPECIAL_TARGETS = ['$back', '$stay'] as const;

const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected a name of letters, digits and "_"');

/** One state of a flow: the step it runs and where its outcomes lead. */
export const flowStateSchema = z.object({
  step: z.string().describe('Name of a registered step, e.g. browseCatalog'),
  params: z.record(z.string(), z.unknown()).default({}).describe("The step's params"),
  next: z.string().optional().describe('Shorthand for on: { done: <state> }'),
  on: z.record(z.string(), z.string()).default({}).describe('Outcome → target state (or $back)'),
}).strict();

/**
 * A flow file (`flows/<id>.flow.yaml`): states running steps, and transitions
 * between them named by the steps' outcomes.
 *
 * @example
 * ```yaml
 * id: hello
 * version: 1
 * initial: greet
 * states:
 *   greet: { step: say, params: { text: hello.text }, next: greet }
 * ```
 */
export const flowSpecSchema = z.object({
  $schema: z.string().optional(),
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a kebab-case id'),
  version: z.number().int().positive().describe('Bump when states change: saved conversations of an older version restart politely'),
  description: z.string().default(''),
  initial: z.string(),
  global: z.partialRecord(z.enum(GLOBAL_ROUTES), z.string()).default({}).describe('Intent (or openBusiness, a business link) → target state, $back or $stay'),
  states: z.record(name, flowStateSchema).refine((s) => Object.keys(s).length > 0, 'a flow needs at least one state'),
}).strict();

/** A flow spec as written. */
export type FlowSpec = z.infer<typeof flowSpecSchema>;

/** A validated flow with the file it came from. */
export interface FlowDefinition extends FlowSpec {
  file: string;
}
