import { staffChatChannel, staffNoticeText, type ChannelAdapter, type ChannelSender, type I18n, type ShopNoticeBody, type STAFF_CHAT_CHANNELS } from '../../engine/index.ts';
import { channelSender } from '../kit/route-support.ts';

/**
 * The outbox's sender of notices to a business's staff chat on a channel
 * (`staff:telegram`, `staff:whatsapp`; `noticeShop` queues them): words each
 * notice in the business's language and sends it with the channel's adapter,
 * with that channel's pacing and its answers' meaning (retried, or a dead
 * letter) as for any reply.
 *
 * @example
 * ```ts
 * runtime.engine.outbox.register(staffChatSender('telegram', telegramAdapter, runtime.i18n));
 * ```
 */
export function staffChatSender(channel: (typeof STAFF_CHAT_CHANNELS)[number], adapter: ChannelAdapter<unknown>, i18n: I18n): ChannelSender {
  const send = channelSender(adapter);
  return {
    channel: staffChatChannel(channel),
    async deliver(entry) {
      if (entry.message.kind !== 'text') return { kind: 'failed', reason: `a notice is a text message, not "${entry.message.kind}"` };
      const body = JSON.parse(entry.message.text) as ShopNoticeBody;
      const text = staffNoticeText(body, i18n.t(entry.botId, entry.locale), entry.locale);
      return send.deliver({ ...entry, message: { kind: 'text', text } });
    },
  };
}
