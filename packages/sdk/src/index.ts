/** @module @cartrita/sdk: a typed client for the Cartrita API, with every resource. */

// The client
export { CartritaClient } from './client.js';
// Transport, errors, streams, `createClient`
export * from './core/index.js';
// Realtime: `/ws/chat`
export * from './realtime/index.js';
// Resources
export type {
  ChatCancelResponseId,
  ChatCancelResult,
  ChatCreateParams,
  ChatCreateResult,
  ChatFinalFrame,
  ChatFrame,
  ChatStartFrame,
  ChatStreamEvent,
  ChatStreamGetParams,
  ChatStreamOptions,
  ChatStreamParams,
  ChatStreamRequest,
  ChatStreamResult,
} from './resources/chat.js';
export { Chat, ChatReplyError, ChatStream, decodeChatFrame, isFinalChatFrame } from './resources/chat.js';
export type {
  ChatKitAttachmentsCreateParams,
  ChatKitAttachmentsDeleteParams,
  ChatKitAttachmentsUploadBytesResult,
  ChatKitAttachmentsUploadResult,
  ChatKitCreateSessionParams,
  ChatKitCreateSessionResult,
  ChatKitEvent,
  ChatKitInputTranscribeParams,
  ChatKitItemsFeedbackParams,
  ChatKitItemsListParams,
  ChatKitParams,
  ChatKitRequestParams,
  ChatKitStreamEvent,
  ChatKitThreadsAddClientToolOutputParams,
  ChatKitThreadsAddStructuredInputParams,
  ChatKitThreadsAddUserMessageParams,
  ChatKitThreadsCreateParams,
  ChatKitThreadsCustomActionParams,
  ChatKitThreadsDeleteParams,
  ChatKitThreadsListParams,
  ChatKitThreadsRetrieveParams,
  ChatKitThreadsRetryAfterItemParams,
  ChatKitThreadsSyncCustomActionParams,
  ChatKitThreadsUpdateParams,
  StreamCallOptions,
  UploadFile,
} from './resources/chatkit.js';
export {
  ChatKit,
  ChatKitAttachments,
  ChatKitInput,
  ChatKitItems,
  ChatKitThreads,
  decodeChatKitEvent,
} from './resources/chatkit.js';
export type { HealthCheckResult } from './resources/health.js';
export { Health } from './resources/health.js';
export type {
  ObservabilityLogsCreateParams,
  ObservabilityLogsCreateResult,
  ObservabilityLogsListParams,
  ObservabilityLogsListResult,
  ObservabilityMetricsParams,
  ObservabilityMetricsResult,
  ObservabilityTracesGetResult,
} from './resources/observability.js';
export { Observability, ObservabilityLogs, ObservabilityTraces } from './resources/observability.js';
export type {
  StudioChatCreateParams,
  StudioChatCreateResult,
  StudioChatStreamParams,
} from './resources/studio.js';
export { Studio, StudioChat } from './resources/studio.js';
export type { SystemHealthResult } from './resources/system.js';
export { System } from './resources/system.js';
// The method of each route
export { routeMethods } from './route-methods.js';
