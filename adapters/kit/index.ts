export { degradeChoice, numberedText, shorten, charLength, type DegradedChoice, type DegradedButton, type DegradedRow, type DegradeLimits } from './degrade.ts';
export { textOf, splitText } from './text.ts';
export { OptionIds, type OptionIdsOptions, type ResolvedOption } from './option-ids.ts';
export { OutboundQueue, type OutboundQueueOptions, type AttemptOutcome } from './outbound-queue.ts';
export { PendingWork } from './pending-work.ts';
export { jsonBodyParser, rawBodyOf, safeEqual, MAX_WEBHOOK_BODY } from './webhook-body.ts';
export { admitThroughEngine, channelSender, RecentIds, type RouteRuntime } from './route-support.ts';
export { channelEnv, botForChannel, sendRate } from './env.ts';
