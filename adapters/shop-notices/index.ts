export { shopWebhookSender, signNotice, SIGNATURE_HEADER } from './shop-webhook-sender.ts';
export type { ShopWebhookSenderOptions } from './shop-webhook-sender.ts';
export { staffChatSender } from './staff-chat-sender.ts';
