/**
 * @module @cartrita/engine: what the Cartrita server does, minus HTTP and SQL. Services per area over
 * ports (repositories, blob store, signer, providers, clock, event bus), in-memory implementations of
 * those ports, and the rules every area shares. It runs in Node and in browsers: the reference server
 * runs it over SQL, `@cartrita/msw` over memory.
 */

export { AgentService, type AgentServiceDeps } from './agents/service.js';
export {
  type AnonymousAuth,
  type ApiKeyAuth,
  type AuthContext,
  actingUserHeader,
  type Caller,
  type ClientSecretAuth,
  type CredentialCheck,
  type CredentialSource,
  checkAuth,
  credentialOf,
  identify,
  providerAllowed,
  resolveAuth,
  serviceUserId,
  userIdOf,
} from './auth.js';
// Ports
export { type BlobSource, type BlobStore, checkBlobKey, chunksOf, createMemoryBlobStore } from './blobs.js';
// The chat area
export {
  type AgentChoice,
  ChatService,
  type ChatServiceOptions,
  type ChatTurnHooks,
  type ChatTurnRequest,
  type FrameSubscription,
  parseLastEventId,
  type ResumePoint,
} from './chat/chat-service.js';
export { ChatConnection, type ChatConnectionOptions } from './chat/connection.js';
export {
  cancelReply,
  chatReply,
  type DoorCaller,
  type DoorInput,
  fromChatRequest,
  fromSessionRequest,
  fromStreamQuery,
  replyFrames,
  sessionChatReply,
  websocketOnly,
} from './chat/doors.js';
export { type FrameContext, FrameMapper, toFrames } from './chat/frames.js';
export {
  type FrameListener,
  LiveResponse,
  type LiveResponseOptions,
  type SequencedFrame,
} from './chat/live-response.js';
export { createMemoryChatRepositories, type MemoryResponseStore } from './chat/memory.js';
export { type ParsedClientMessage, parseClientMessage, type WsErrorData } from './chat/messages.js';
export type {
  ChatRepositories,
  ChatResponseStatus,
  ResponseStore,
  StoredChatResponse,
  StoredFrame,
} from './chat/repositories.js';
// The ChatKit area
export {
  type AttachmentUrlProblem,
  type AttachmentUrlPurpose,
  AttachmentUrlSigner,
} from './chatkit/attachment-urls.js';
export type { IncomingFile } from './chatkit/attachments.js';
export {
  type ClientSecretFailure,
  type ClientSecretPayload,
  type ClientSecretVerification,
  clientSecretPrefix,
  isClientSecretLike,
  type SigningKey,
  signClientSecret,
  verifyClientSecret,
} from './chatkit/client-secret.js';
export type { ChatKitContext, ChatKitDeps } from './chatkit/deps.js';
export { toChatMessages } from './chatkit/history.js';
export { createMemoryChatKitRepositories } from './chatkit/memory.js';
export { applyUpdate, cancelledNote, persistEvents } from './chatkit/persist.js';
export { ChatKitProcessor, type ChatKitResult } from './chatkit/processor.js';
export type {
  AttachmentCreateParams,
  AttachmentStore,
  ChatKitRepositories,
  DeletedThread,
  FeedbackKind,
  FeedbackStore,
  ItemListOptions,
  ItemStore,
  NewSession,
  SessionStore,
  StoredAttachment,
  StoredFeedback,
  StoredItem,
  StoredSession,
  StoredThread,
  ThreadCreateParams,
  ThreadStore,
  ThreadUpdateParams,
} from './chatkit/repositories.js';
export { type RespondInput, respond, type TurnStats } from './chatkit/respond.js';
export { createSession, type SessionDeps } from './chatkit/sessions.js';
export { TITLE_LENGTH, titleFrom } from './chatkit/threads.js';
export type { StartedTurn, TurnInput } from './chatkit/turns.js';
export { findValue, setComponentValue } from './chatkit/widgets.js';
export { type Clock, systemClock } from './clock.js';
// Computer use (seed 000)
export type { MemoryComputerUseRepositories } from './computer-use/memory.js';
export { createMemoryComputerUseRepositories } from './computer-use/memory.js';
export type { ComputerUseModel, ComputerUseTurn, ComputerUseTurnRequest } from './computer-use/model.js';
export type {
  ComputerUseRepositories,
  ComputerUseRunStore,
  StoredComputerUseRun,
} from './computer-use/repositories.js';
export {
  type ComputerUseLimits,
  ComputerUseService,
  type ComputerUseServiceOptions,
  defaultComputerUseLimits,
  toComputerUseRun,
} from './computer-use/service.js';
// Memory and configuration (seed 004)
export { type ContextSettings, contextSettings } from './config/context.js';
export {
  createInMemoryConfigAreaRepositories,
  type InMemoryConfigAreaRepositories,
} from './config/memory.js';
export type {
  ConfigAreaRepositories,
  ConfigSectionStore,
  StoredConfigSection,
} from './config/repositories.js';
export {
  ConfigService,
  type ConfigServiceOptions,
  defaultConfigSections,
  type FileSections,
  type RawSection,
  type SectionCheck,
} from './config/service.js';
// Seed 003's conversations and messages
export {
  type ConversationDeps,
  ConversationService,
  conversationUserOf,
  messageExtrasField,
  withoutMessageExtras,
} from './conversations/service.js';
// Composition
export { createEngine, type Engine, type EngineOptions, type Repositories } from './engine.js';
// Engines (seed 001)
export {
  DummyCommandParameters,
  dummyCommandType,
  dummyEngineType,
  dummyReply,
  dummyStatusEvent,
} from './engines/dummy.js';
export { EngineService, type EngineServiceOptions } from './engines/engine-service.js';
export { createMemoryEngineAreaRepositories, type MemoryEngineAreaRepositories } from './engines/memory.js';
export type {
  EngineAreaRepositories,
  EngineStore,
  EngineUpdate,
  StoredEngine,
} from './engines/repositories.js';
// Shared rules
export {
  errorEnvelope,
  fieldIssuesFromZod,
  HttpError,
  type HttpErrorOptions,
  isHttpError,
  toHttpError,
} from './errors.js';
export {
  type BusListener,
  type BusMessage,
  compareIds,
  createInProcessEventBus,
  type EventBus,
  type InProcessEventBusOptions,
  isBusId,
  type PublishOptions,
  type SubscribeOptions,
} from './events.js';
// Files (seed 004)
export { chunking, chunkText } from './files/chunker.js';
export {
  ExtractionError,
  type ExtractionInput,
  isPlainText,
  plainTextOnly,
  type TextExtractor,
  withPlainText,
} from './files/extractor.js';
export {
  type AcceptedFileType,
  acceptedFileTypes,
  detectFileType,
  type ExtractionKind,
} from './files/file-types.js';
export { createMemoryFileAreaRepositories, type MemoryFileAreaRepositories } from './files/memory.js';
export {
  FileProcessingQueue,
  type FileQueueDeps,
  type FileQueueOptions,
  filesTopic,
  processingUpdate,
} from './files/processing-queue.js';
export type {
  ChunkHit,
  ChunkIndex,
  ChunkQuery,
  ChunkRecord,
  FileAreaRepositories,
  FileStore,
  FileUpdate,
  StoredFile,
} from './files/repositories.js';
export { maxQueryTerms, queryTerms } from './files/search-terms.js';
export {
  defaultFileMaxBytes,
  type FileLimits,
  type FileSearchHit,
  FileService,
  type FileServiceDeps,
  type FileUploadOptions,
  toFileInfo,
  toProcessingStatus,
} from './files/service.js';
export { bestSource, maxSources, sourcesHeading, sourcesPrompt } from './files/sources.js';
// The GitHub proxy (seed 000)
export type { GitHubAnswer, GitHubClient, GitHubRateLimit, GitHubRead } from './github/client.js';
export {
  GitHubService,
  gitHubAnswerHeaders,
  gitHubPathOf,
  gitHubRoutePrefix,
  rateLimitHeaders,
} from './github/service.js';
// Hugging Face inference (seed 000)
export type { HuggingFaceClient, HuggingFaceRun } from './huggingface/client.js';
export { HuggingFaceService } from './huggingface/service.js';
export { newId, now, randomHex } from './ids.js';
export { jsonDepth, maxJsonDepth, type ParseJsonOptions, parseJson } from './json.js';
export { type EngineLogger, type LogMethod, silentLogger } from './logger.js';
export {
  createInMemoryMemoryAreaRepositories,
  type InMemoryMemoryAreaRepositories,
} from './memory/memory.js';
export {
  memoryPrompt,
  type RecallRequest,
  recallForPrompt,
  recallMemories,
  relevance,
} from './memory/recall.js';
export type {
  MemoryAreaRepositories,
  MemoryChange,
  MemoryClearFilter,
  MemoryStore,
  StoredMemory,
} from './memory/repositories.js';
export {
  type ChatExchange,
  MemoryService,
  type MemoryServiceOptions,
  memoryUserOf,
} from './memory/service.js';
export { createMemoryRepositories, type MemoryRepositories } from './memory.js';
// The observability area
export { type LogInput, levelsFrom, newLogEntry, withoutNulls } from './observability/log-entries.js';
export {
  createMemoryObservabilityRepositories,
  type MemoryObservabilityRepositories,
} from './observability/memory.js';
export { createMemoryMetrics, type MemoryMetrics } from './observability/memory-metrics.js';
export {
  createRecordingTelemetry,
  type RecordingTelemetry,
  type RecordingTelemetryOptions,
} from './observability/recording-telemetry.js';
export type {
  LogFilter,
  LogStore,
  ObservabilityRepositories,
  SpanStore,
  SpanTotalsRow,
  StoredLog,
  StoredSpan,
} from './observability/repositories.js';
export {
  requestSpanAttributes,
  requestSpanName,
  routeSpanAttributes,
  statusSpanAttributes,
  untracedRoutes,
} from './observability/request-spans.js';
export {
  ObservabilityService,
  type ObservabilityServiceOptions,
  type PendingCommandCounts,
  type PendingCommands,
} from './observability/service.js';
export {
  type ActiveSpan,
  type SpanContextStore,
  synchronousSpanContext,
} from './observability/span-context.js';
export { type SpanFacts, spanFacts } from './observability/span-facts.js';
export {
  DEFAULT_PAGE_SIZE,
  type ListOptions,
  type ListOrder,
  type Page,
  pageSize,
  toPage,
} from './paging.js';
// Personas, modules and templates (seed 003)
export {
  MalformedImageError,
  type PersonaImageType,
  stripImageMetadata,
} from './personas/image-metadata.js';
export {
  createMemoryPersonaAreaRepositories,
  type MemoryPersonaAreaRepositories,
} from './personas/memory.js';
export {
  checkScript,
  type PreparedScript,
  pluginFunctions,
  pluginFunctionsUsed,
  prepareScript,
  runScript,
  type ScriptForm,
  type ScriptRun,
  type ScriptRunOptions,
} from './personas/module-script.js';
export { ModuleService, type ModuleServiceDeps } from './personas/module-service.js';
export { ownerOf } from './personas/owner.js';
export {
  defaultMaxImageBytes,
  imageExtensions,
  imagePathPrefix,
  type PersonaImageBytes,
  PersonaImages,
} from './personas/persona-images.js';
export { PersonaService } from './personas/persona-service.js';
export type {
  ModuleChanges,
  ModuleStore,
  PersonaAreaRepositories,
  PersonaChanges,
  PersonaStore,
  StoredModule,
  StoredPersona,
} from './personas/repositories.js';
export {
  maxModuleDepth,
  maxResolvedChars,
  type ResolvedTemplate,
  resolveTemplate,
  type TemplateSources,
  textOf,
} from './personas/template-resolver.js';
export {
  createMemoryProviderCache,
  defaultProviderCacheOptions,
  normalJson,
  type ProviderCache,
  type ProviderCacheOptions,
  providerCacheKey,
} from './providers/cache.js';
export {
  createProviderCalls,
  type ProviderCacheSpec,
  type ProviderCallOptions,
  type ProviderCallSpec,
  type ProviderCalls,
  type ProviderCallsOptions,
  type ProviderStreamOptions,
  type TokenCounts,
} from './providers/calls.js';
export { completeWith } from './providers/complete.js';
// Providers
export { createDemoProvider, type DemoProviderOptions, demoReply } from './providers/demo.js';
export { gateChatProvider } from './providers/gated.js';
export {
  createMemoryProviderLimiter,
  decideTurn,
  defaultProviderLimits,
  type LimitDecision,
  type LimitRequest,
  type ProviderLimit,
  type ProviderLimiter,
} from './providers/limits.js';
export { ProviderRegistry } from './providers/registry.js';
export type {
  ChatMessage,
  ChatProvider,
  ProviderChunk,
  ProviderCompletion,
  ProviderRequest,
  Usage,
  WidgetAction,
} from './providers/types.js';
export { directCall, type UpstreamCall, type UpstreamCallSpec } from './providers/upstream-call.js';
export type {
  Sandbox,
  SandboxFailure,
  SandboxFailureKind,
  SandboxHost,
  SandboxRequest,
  SandboxResult,
  SandboxStats,
} from './sandbox.js';
export { sandboxFailure } from './sandbox.js';
export { FairQueue } from './sandbox-queue.js';
// Search (seed 000)
export { maxSnippetLength, SearchService } from './search/service.js';
export type { WebSearchProvider, WebSearchRequest } from './search/web-provider.js';
// LLMGine sessions (seed 001): commands, events, tools, handlers
export { reaches, type SessionCaller, sessionCallerOf, sessionStatus } from './sessions/access.js';
export {
  type CommandQueueOptions,
  CommandService,
  toCommand,
} from './sessions/command-service.js';
export { type SessionAreaDeps, sessionTopic } from './sessions/deps.js';
export {
  type BusNote,
  EventService,
  type EventSink,
  type FollowOptions,
  toSessionEvent,
} from './sessions/event-service.js';
export { HandlerService } from './sessions/handler-service.js';
export {
  createMemorySessionAreaRepositories,
  emptyCommandCounts,
  type MemorySessionAreaRepositories,
} from './sessions/memory.js';
export type {
  CommandCounts,
  CommandStore,
  CommandTransition,
  EventStore,
  HandlerKind,
  HandlerStore,
  NewCommand,
  SessionAreaRepositories,
  StoredCommand,
  StoredEvent,
  StoredHandler,
  StoredTool,
  ToolStore,
} from './sessions/repositories.js';
export { SessionService } from './sessions/session-service.js';
export { checkArguments, checkToolSchema, objectSchemaOf } from './sessions/tool-schema.js';
export { ToolService } from './sessions/tool-service.js';
export { maxHandlerDepth, UserCode, type UserCodeDeps, type UserCodeRun } from './sessions/user-code.js';
export { constantTimeEqual, createSigner, fromBase64Url, type Signer, toBase64Url } from './signer.js';
// Seed 004's live updates: `WS /ws/{client_id}`
export {
  maxStudioSubscriptions,
  StudioConnection,
  type StudioConnectionOptions,
} from './studio/connection.js';
export { studioSessionTopic } from './studio/topics.js';
export { chatUpdateIntervalMs, TurnUpdates, type TurnUpdatesOptions } from './studio/turn-updates.js';
export {
  type Attributes,
  type MetricDefinition,
  type MetricType,
  metricLabels,
  metrics,
  metricsByName,
  noTelemetry,
  type SpanKind,
  type SpanOptions,
  spanAttributes,
  type Telemetry,
  type TelemetryLog,
  type TelemetrySpan,
} from './telemetry.js';
export { tokenize } from './text.js';
export { toIso } from './time.js';
// Uploads
export {
  type ContentCheck,
  checkContent,
  essence,
  isText,
  isTextType,
  sniffBytes,
} from './uploads/content-type.js';
export { checkedBytes, checkUpload, mimeAllowed, type UploadLimits } from './uploads/policy.js';
// Voice (seed 000)
export { acceptedAudioFormats, audioTypeOf } from './voice/audio-types.js';
export type { Audio, TranscribeOptions, Transcription, VoiceProvider } from './voice/provider.js';
export {
  defaultVoiceMaxBytes,
  type VoiceRequest,
  VoiceService,
  type VoiceServiceOptions,
} from './voice/service.js';
