import type { FastifyInstance } from 'fastify';
import { VitrineError, type ChannelAdapter } from '../../engine/index.ts';
import type { Channel, ChannelContext } from './channel.ts';

/**
 * The channels a server turned on, by channel: mounts each listed channel
 * once, and hands back a channel's adapter with its own type.
 *
 * @example
 * ```ts
 * const channels = new MountedChannels();
 * for (const channel of CHANNELS) await channels.mount(app, channel, { runtime, env: process.env });
 * channels.get(webchatChannel)?.connections({ botId, customerId });
 * ```
 */
export class MountedChannels {
  private readonly byName = new Map<string, { channel: Channel; adapter: ChannelAdapter<unknown> }>();

  /** Mounts a channel (when its environment turns it on); two channels may not share a name. */
  async mount(app: FastifyInstance, channel: Channel, context: ChannelContext): Promise<void> {
    if (this.byName.has(channel.name)) {
      throw new VitrineError('VT_ERR_CONFIG_INVALID', `Two channels are named "${channel.name}"`, { context: { channel: channel.name } });
    }
    const adapter = await channel.mount(app, context);
    if (adapter) this.byName.set(channel.name, { channel, adapter });
  }

  /** The adapter of a mounted channel, typed as that channel's; undefined when it is off. */
  get<Adapter extends ChannelAdapter<unknown>>(channel: Channel<Adapter>): Adapter | undefined {
    const mounted = this.byName.get(channel.name);
    // The entry was stored by mount(channel), whose adapter is the channel's own type.
    return mounted?.channel === channel ? (mounted.adapter as Adapter) : undefined;
  }

  /** The adapter of the mounted channel called `name`, whatever its type; undefined when it is off. */
  adapterNamed(name: string): ChannelAdapter<unknown> | undefined {
    return this.byName.get(name)?.adapter;
  }

  /** The names of the channels that are on. */
  names(): string[] {
    return [...this.byName.keys()];
  }
}
