/** @module @cartrita/sdk: a typed client for the Cartrita API, with every resource. */

// The client
export { CartritaClient } from './client.js';
// Transport, errors, streams, `createClient`
export * from './core/index.js';
// Realtime: `/ws/chat` and a session's event stream
export * from './realtime/index.js';
export type { AgentListResult } from './resources/agents.js';
export { Agents } from './resources/agents.js';
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
export type {
  CommandBatchParams,
  CommandBatchResult,
  CommandCancelResult,
  CommandCreateParams,
  CommandCreateResult,
  CommandFinishedStatus,
  CommandGetResult,
  CommandWaitOptions,
  CommandWaitResult,
} from './resources/commands.js';
export {
  Commands,
  DEFAULT_MAX_POLL_INTERVAL_MS,
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
} from './resources/commands.js';
export type {
  ComputerUseContinueParams,
  ComputerUseExecuteParams,
  ComputerUseRunResult,
} from './resources/computer-use.js';
export { ComputerUse } from './resources/computer-use.js';
export type {
  ConversationCreateParams,
  ConversationDeleteResult,
  ConversationListResult,
  ConversationResult,
  ConversationUpdateParams,
} from './resources/conversations.js';
export { Conversations } from './resources/conversations.js';
export type {
  EngineCreateParams,
  EngineCreateResult,
  EngineDeleteResult,
  EngineExecuteParams,
  EngineExecuteResult,
  EngineGetResult,
  EngineListParams,
  EngineListResult,
} from './resources/engines.js';
export { Engines } from './resources/engines.js';
export type {
  EventGetResult,
  EventListParams,
  EventListResult,
  EventPublishParams,
  EventPublishResult,
} from './resources/events.js';
export { Events } from './resources/events.js';
export type {
  FileDeleteResult,
  FileListResult,
  FileStatusResult,
  FileUploadParams,
  FileUploadProgress,
  FileUploadResult,
  FileUploadSource,
  FileWaitParams,
} from './resources/files.js';
export { Files } from './resources/files.js';
export type {
  GitHubIssueListParams,
  GitHubIssueParams,
  GitHubPullListParams,
  GitHubPullParams,
  GitHubRepositoryParams,
  GitHubSearchParams,
} from './resources/github.js';
export { GitHub } from './resources/github.js';
export type {
  HandlerListResult,
  HandlerRegisterCommandParams,
  HandlerRegisterCommandResult,
  HandlerRegisterEventParams,
  HandlerRegisterEventResult,
  HandlerUnregisterCommandResult,
  HandlerUnregisterEventResult,
} from './resources/handlers.js';
export { Handlers } from './resources/handlers.js';
export type { HealthCheckResult } from './resources/health.js';
export { Health } from './resources/health.js';
export type { HuggingFaceInferenceParams } from './resources/huggingface.js';
export { HuggingFace } from './resources/huggingface.js';
export type {
  MemoryClearParams,
  MemoryClearResult,
  MemoryCreateParams,
  MemoryCreateResult,
  MemoryDeleteResult,
  MemoryGetResult,
  MemoryListParams,
  MemoryListResult,
  MemoryUpdateParams,
  MemoryUpdateResult,
} from './resources/memory.js';
export { Memory } from './resources/memory.js';
export type {
  MessageCreateParams,
  MessageDeleteResult,
  MessageListResult,
  MessageResult,
  MessageUpdateParams,
} from './resources/messages.js';
export { Messages } from './resources/messages.js';
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
export type { SearchQueryParams, SearchQueryResult } from './resources/search.js';
export { Search } from './resources/search.js';
export type {
  SessionCreateParams,
  SessionCreateResult,
  SessionDeleteResult,
  SessionGetResult,
} from './resources/sessions.js';
export { Sessions } from './resources/sessions.js';
export type {
  StudioChatCreateParams,
  StudioChatCreateResult,
  StudioChatStreamParams,
} from './resources/studio.js';
export { Studio, StudioChat } from './resources/studio.js';
export type {
  StudioConfigGetResult,
  StudioConfigListResult,
  StudioConfigReloadResult,
  StudioConfigUpdateParams,
  StudioConfigUpdateResult,
  StudioConfigValidateResult,
} from './resources/studio-config.js';
export { StudioConfig } from './resources/studio-config.js';
export type {
  SystemConfigResult,
  SystemHealthResult,
  SystemShutdownParams,
  SystemShutdownResult,
  SystemStatusResult,
} from './resources/system.js';
export { System } from './resources/system.js';
export type {
  ToolExecuteParams,
  ToolExecuteResult,
  ToolListResult,
  ToolRegisterParams,
  ToolRegisterResult,
  ToolUnregisterResult,
} from './resources/tools.js';
export { Tools } from './resources/tools.js';
export type {
  VoiceAudioSource,
  VoiceProcessParams,
  VoiceProcessResult,
} from './resources/voice.js';
export { Voice } from './resources/voice.js';
// The method of each route
export { routeMethods } from './route-methods.js';
