export { createWhatsAppAdapter, whatsappRouting, WHATSAPP_THROUGHPUT_ERROR, type WhatsAppAdapter, type WhatsAppAdapterOptions } from './whatsapp-adapter.ts';
export { renderWhatsApp, isOrderOutbound, WHATSAPP_CAPABILITIES, WHATSAPP_LIMITS, type WhatsAppOutbound, type WhatsAppInteractive, type WhatsAppRow, type WhatsAppOrderOutbound, type WhatsAppRenderOptions } from './render.ts';
export {
  orderDetails, orderStatusUpdate, ORDER_STATUS_ON_WHATSAPP, WHATSAPP_ORDER_LIMITS, WHATSAPP_ORDER_STATUSES,
  type WhatsAppOrderDetails, type WhatsAppOrderStatusUpdate, type WhatsAppOrderStatus, type WhatsAppOrderItem, type WhatsAppAmount,
} from './order-messages.ts';
export { parseWhatsAppWebhook, type WhatsAppStatus, type ParsedWhatsAppWebhook, type ParseWhatsAppContext, type RejectedWhatsAppItem } from './parse-webhook.ts';
export { whatsappRoutes, isValidSignature, type WhatsAppRoutesOptions } from './routes.ts';
export { whatsappChannel, type WhatsAppSettings } from './channel.ts';
export { waMeLink } from './wa-me.ts';
