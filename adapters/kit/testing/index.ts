/**
 * `vitrine/testing`: what a developer tests a channel or a bot with. The
 * adapter conformance suite (run with vitest) checks that a channel adapter
 * renders every outbound message within its limits; the test channel drives
 * whole conversations through an engine as a customer would; the fakes are
 * local HTTP servers that speak the WhatsApp Cloud API and Stripe's API, so a
 * test runs the real server, the real `stripe` SDK and real HTTP on loopback.
 *
 * @example
 * ```ts
 * import { createTestConversation, runAdapterConformance, startFakeGraph, startFakeStripe } from 'vitrine/testing';
 * runAdapterConformance('my-channel', () => createMyAdapter(), { describe: shapeOfMyMessage, valid: [sampleWebhook] });
 * const chat = createTestConversation(engine, { botId: 'corner-bakery', customerId: 'c1' });
 * const graph = await startFakeGraph();   // WHATSAPP_GRAPH_URL=graph.graphUrl
 * const stripe = await startFakeStripe(); // STRIPE_API_URL=stripe.url
 * ```
 *
 * @packageDocumentation
 */

// The adapter conformance suite
export { runAdapterConformance, SAMPLE_MESSAGES, LONG_CHOICE } from '../conformance.ts';
export type { ConformanceSamples, RenderedShape } from '../conformance.ts';

// The test channel: conversations driven in code, on the console adapter
export { createTestConversation } from '../../console/test-channel.ts';
export type { TestConversation } from '../../console/test-channel.ts';
export { createConsoleAdapter, CONSOLE_CAPABILITIES } from '../../console/console-adapter.ts';
export type { ConsoleAdapterOptions, ConsoleInput } from '../../console/console-adapter.ts';

// Fakes of the platforms Vitrine talks to, on 127.0.0.1
export { startFakeGraph, FakeGraphApi, describeCalls, messageKey } from './fake-graph-api.ts';
export type { FakeGraphOptions, GraphAnswer, GraphCall, GraphMessage, MessageShape } from './fake-graph-api.ts';
export { orderDetailsProblem, orderStatusProblem } from './graph-order-checks.ts';
export type { GraphProblem } from './graph-order-checks.ts';
export { startFakeStripe, stripeSignature, parseStripeForm } from './fake-stripe.ts';
export type { FakeCharge, FakeRefund, FakeSession, FakeStripe } from './fake-stripe.ts';
