/**
 * The channels Vitrine serves: the one list the server mounts from. A new
 * channel is a folder under `adapters/` exporting a `defineChannel(...)`
 * descriptor, and one line here.
 */
import type { ChannelCapabilities } from '../engine/index.ts';
import { CONSOLE_CAPABILITIES } from './console/index.ts';
import { httpJsonChannel } from './http-json/index.ts';
import type { Channel } from './kit/index.ts';
import { telegramChannel } from './telegram/index.ts';
import { webchatChannel } from './webchat/index.ts';
import { whatsappChannel } from './whatsapp/index.ts';

/**
 * Every channel the server mounts, in mounting order; each turns itself on
 * from its environment variables (the web chat is always on).
 *
 * @example
 * ```ts
 * for (const channel of CHANNELS) await channel.mount(app, { runtime, env: process.env });
 * ```
 */
export const CHANNELS: readonly Channel[] = [webchatChannel, whatsappChannel, telegramChannel, httpJsonChannel];

/**
 * What each channel can show, by channel name: the listed channels and the
 * console (a command-line channel with no routes). Bots are checked against
 * the channels they are enabled on when they load.
 *
 * @example
 * ```ts
 * const runtime = await createRuntime({ channels: channelCapabilities() });
 * ```
 */
export function channelCapabilities(channels: readonly Channel[] = CHANNELS): ReadonlyMap<string, ChannelCapabilities> {
  return new Map([['console', CONSOLE_CAPABILITIES], ...channels.map((c): [string, ChannelCapabilities] => [c.name, c.capabilities])]);
}
