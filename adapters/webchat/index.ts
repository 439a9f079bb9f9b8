export { createWebchatAdapter, WEBCHAT_CAPABILITIES, type WebchatAdapter, type WebchatInbound, type WebchatMessageFrame, type WebchatPlaceLookup, type WebchatSocket } from './webchat-adapter.ts';
export {
  parseClientFrame, safeUrl, closeReason, WEBCHAT_PROTOCOL_VERSION, WEBCHAT_MAX_FRAME_BYTES, WEBCHAT_ERROR_CODES,
  type WebchatClientFrame, type WebchatFrame, type WebchatHistoryEntry, type WebchatMessage, type WebchatOption, type WebchatPlace, type WebchatProductCard,
  type WebchatErrorCode, type ClientFrameResult,
} from './webchat-protocol.ts';
export { WebchatConnection, type WebchatConnectionOptions, type WebchatSession } from './webchat-connection.ts';
export { FrameBudget, SharedFrameBudgets, DEFAULT_WEBCHAT_LIMITS, type WebchatLimits, type FrameVerdict, type HeldBudget } from './frame-budget.ts';
export { webchatRoutes, webSocketSupport, WEBCHAT_PUBLIC_DIR, type WebchatRoutesOptions } from './routes.ts';
export { webchatChannel, webchatPageBot, type WebchatSettings } from './channel.ts';
export { webchatOrigins, originAllowed, type WebchatOrigins } from './origin.ts';
export { botLinkPath, businessLinkPath, businessLinkTarget, botsHoldingBusiness, visitorLocale, notFoundPage, type LinkTarget } from './link-pages.ts';
export { qrCode, QR_FORMATS, QR_CONTENT_TYPES, type QrFormat } from './qr-code.ts';
