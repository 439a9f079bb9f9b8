export { createTelegramAdapter, type TelegramAdapter, type TelegramAdapterOptions } from './telegram-adapter.ts';
export { renderTelegram, TELEGRAM_CAPABILITIES, TELEGRAM_LIMITS, type TelegramOutbound, type InlineButton } from './render.ts';
export { parseTelegramUpdate, type ParsedTelegramUpdate } from './parse-update.ts';
export { telegramRoutes, type TelegramRoutesOptions } from './routes.ts';
export { telegramChannel, type TelegramSettings } from './channel.ts';
