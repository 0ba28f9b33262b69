/** @module @cartrita/sdk/realtime: chat over the `/ws/chat` WebSocket, its runs and its errors. */

// The client, its runs and its errors
export type { ReconnectOptions } from './backoff.js';
export { DEFAULT_RECONNECT, reconnectDelay } from './backoff.js';
export type { ChatRunMessage, ChatRunResult, ChatRunStatus, RealtimeChatInput } from './chat-run.js';
export { ChatRun } from './chat-run.js';
export type { RealtimeErrorOptions } from './errors.js';
export { isRealtimeError, RealtimeError } from './errors.js';
export { Realtime } from './realtime.js';
export type {
  RealtimeChatOptions,
  RealtimeEventMap,
  RealtimeSendOptions,
  RealtimeState,
  WebSocketConstructor,
} from './realtime-chat.js';
export { RealtimeChat, realtimeUrl } from './realtime-chat.js';
