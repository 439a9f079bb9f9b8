export { createWebchatAdapter, WEBCHAT_CAPABILITIES, type WebchatAdapter, type WebchatInbound, type WebchatSocket } from './webchat-adapter.ts';
export {
  parseClientFrame, safeUrl, WEBCHAT_PROTOCOL_VERSION, WEBCHAT_MAX_FRAME_BYTES,
  type WebchatClientFrame, type WebchatFrame, type WebchatMessage, type WebchatOption, type WebchatProductCard,
  type WebchatErrorCode, type ClientFrameResult,
} from './webchat-protocol.ts';
