/** @module @cartrita/sdk: a typed client for the Cartrita API. */

export type { ClientOptions } from './client.js';
// The client
export { CartritaClient } from './client.js';
// Transport, errors and streams
export * from './core/index.js';
// Realtime: `/ws/chat`
export * from './realtime/index.js';
export type {
  ChatCreateParams,
  ChatFinalFrame,
  ChatStartFrame,
  ChatStreamEvent,
  ChatStreamGetParams,
  ChatStreamOptions,
  ChatStreamParams,
  ChatStreamRequest,
  ChatStreamResult,
} from './resources/chat.js';
export { Chat, ChatReplyError, ChatStream, decodeChatFrame, isFinalChatFrame } from './resources/chat.js';
export type { ChatKitStreamEvent, StreamCallOptions, UploadFile } from './resources/chatkit.js';
// Resources
export {
  ChatKit,
  ChatKitAttachments,
  ChatKitInput,
  ChatKitItems,
  ChatKitThreads,
  decodeChatKitEvent,
} from './resources/chatkit.js';
export type { RequestCallOptions } from './resources/health.js';
export { Health, System } from './resources/health.js';
export type { StudioChatCreateParams } from './resources/studio.js';
export { Studio, StudioChat } from './resources/studio.js';
export { routeMethods } from './route-methods.js';
