export { createWhatsAppAdapter, whatsappRouting, WHATSAPP_THROUGHPUT_ERROR, type WhatsAppAdapter, type WhatsAppAdapterOptions } from './whatsapp-adapter.ts';
export { renderWhatsApp, WHATSAPP_CAPABILITIES, WHATSAPP_LIMITS, type WhatsAppOutbound, type WhatsAppInteractive, type WhatsAppRow } from './render.ts';
export { parseWhatsAppWebhook, type WhatsAppStatus, type ParsedWhatsAppWebhook, type ParseWhatsAppContext, type RejectedWhatsAppItem } from './parse-webhook.ts';
export { whatsappRoutes, isValidSignature, type WhatsAppRoutesOptions } from './routes.ts';
export { whatsappChannel, type WhatsAppSettings } from './channel.ts';
export { waMeLink } from './wa-me.ts';
