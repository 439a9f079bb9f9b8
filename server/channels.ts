import type { ChannelCapabilities } from '../engine/index.ts';
import { CONSOLE_CAPABILITIES } from '../adapters/console/index.ts';
import { TELEGRAM_CAPABILITIES } from '../adapters/telegram/index.ts';
import { WEBCHAT_CAPABILITIES } from '../adapters/webchat/index.ts';
import { WHATSAPP_CAPABILITIES } from '../adapters/whatsapp/index.ts';

/**
 * What each built-in channel can show, by channel name: bots are checked
 * against the channels they are enabled on when they load.
 *
 * @example
 * ```ts
 * const runtime = await createRuntime({ channels: channelCapabilities });
 * ```
 */
export const channelCapabilities: ReadonlyMap<string, ChannelCapabilities> = new Map([
  ['console', CONSOLE_CAPABILITIES],
  ['webchat', WEBCHAT_CAPABILITIES],
  ['whatsapp', WHATSAPP_CAPABILITIES],
  ['telegram', TELEGRAM_CAPABILITIES],
]);
