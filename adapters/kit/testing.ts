/**
 * `vitrine/testing`: what a developer tests a channel or a bot with. The
 * adapter conformance suite (run with vitest) checks that a channel adapter
 * renders every outbound message within its limits; the test channel drives
 * whole conversations through an engine as a customer would.
 *
 * @example
 * ```ts
 * import { createTestConversation, runAdapterConformance } from 'vitrine/testing';
 * runAdapterConformance('my-channel', () => createMyAdapter(), { describe: shapeOfMyMessage, valid: [sampleWebhook] });
 * const chat = createTestConversation(engine, { botId: 'corner-bakery', customerId: 'c1' });
 * ```
 *
 * @packageDocumentation
 */

// The adapter conformance suite
export { runAdapterConformance, SAMPLE_MESSAGES, LONG_CHOICE } from './conformance.ts';
export type { ConformanceSamples, RenderedShape } from './conformance.ts';

// The test channel: conversations driven in code, on the console adapter
export { createTestConversation } from '../console/test-channel.ts';
export type { TestConversation } from '../console/test-channel.ts';
export { createConsoleAdapter, CONSOLE_CAPABILITIES } from '../console/console-adapter.ts';
export type { ConsoleAdapterOptions, ConsoleInput } from '../console/console-adapter.ts';
