/**
 * @module @cartrita/sdk/realtime: the WebSockets: chat over `/ws/chat` with its runs, a session's event
 * stream, and what they share (reconnects, URLs and credentials, errors).
 */

// Reconnects, URLs and credentials, errors
export type { ReconnectOptions } from './backoff.js';
export { DEFAULT_RECONNECT, reconnectDelay } from './backoff.js';
// Chat over `/ws/chat`
export type {
  ChatRunMessage,
  ChatRunResult,
  ChatRunStatus,
  ChatStageUpdate,
  RealtimeChatInput,
} from './chat-run.js';
export { ChatRun } from './chat-run.js';
export type { RealtimeErrorOptions } from './errors.js';
export {
  ClientSecretExpiredError,
  isClientSecretExpiredError,
  isRealtimeError,
  RealtimeError,
} from './errors.js';
// A session's event stream
export type {
  EventStreamMessage,
  EventStreamOptions,
  EventStreamReady,
  EventStreamReconnectEvent,
  EventStreamState,
  SessionStreamEvent,
} from './event-stream.js';
export { EventStream } from './event-stream.js';
export { Realtime } from './realtime.js';
export type {
  RealtimeChatOptions,
  RealtimeEventMap,
  RealtimeSendOptions,
  RealtimeState,
} from './realtime-chat.js';
export { RealtimeChat, realtimeUrl } from './realtime-chat.js';
export type { WebSocketConstructor } from './socket-url.js';
export { authorizeSocket, isClientSecret, socketUrl } from './socket-url.js';
export type { StudioSocketOptions, StudioSocketState, StudioUpdate } from './studio-socket.js';
export { StudioSocket } from './studio-socket.js';
