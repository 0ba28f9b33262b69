/**
 * @module The engine's composition root: every area's services over the ports it is given. The server
 * builds one over SQL, blobs on disk and its configured providers; the mocks over memory.
 */
import type { ChatKitSession, SessionCreateParams } from '@cartrita/contracts';
import { AgentService } from './agents/service.js';
import type { Caller } from './auth.js';
import type { BlobStore } from './blobs.js';
import { ChatService } from './chat/chat-service.js';
import { ChatConnection, type ChatConnectionOptions } from './chat/connection.js';
import { ReplySlots } from './chat/reply-slots.js';
import type { ChatRepositories } from './chat/repositories.js';
import { AttachmentUrlSigner } from './chatkit/attachment-urls.js';
import {
  attachmentBytes,
  completeUpload,
  type IncomingFile,
  signedAttachment,
  uploadAttachment,
} from './chatkit/attachments.js';
import {
  type ClientSecretVerification,
  rememberingVerifier,
  verifyClientSecret,
} from './chatkit/client-secret.js';
import type { ChatKitContext, ChatKitDeps } from './chatkit/deps.js';
import { ChatKitProcessor } from './chatkit/processor.js';
import type { ChatKitRepositories, StoredAttachment } from './chatkit/repositories.js';
import type { TurnStats } from './chatkit/respond.js';
import { createSession } from './chatkit/sessions.js';
import { type Clock, systemClock } from './clock.js';
import type { ComputerUseModel } from './computer-use/model.js';
import type { ComputerUseRepositories } from './computer-use/repositories.js';
import {
  type ComputerUseLimits,
  ComputerUseService,
  defaultComputerUseLimits,
} from './computer-use/service.js';
import type { ConfigAreaRepositories } from './config/repositories.js';
import { ConfigService, type FileSections } from './config/service.js';
import { ConversationService } from './conversations/service.js';
import { EngineService, type EngineServiceOptions } from './engines/engine-service.js';
import type { EngineAreaRepositories } from './engines/repositories.js';
import { createInProcessEventBus, type EventBus } from './events.js';
import { plainTextOnly, type TextExtractor, withPlainText } from './files/extractor.js';
import { FileProcessingQueue, type FileQueueOptions } from './files/processing-queue.js';
import type { FileAreaRepositories } from './files/repositories.js';
import { defaultFileMaxBytes, FileService } from './files/service.js';
import { maxSources } from './files/sources.js';
import type { GitHubClient } from './github/client.js';
import { GitHubService } from './github/service.js';
import type { HuggingFaceClient } from './huggingface/client.js';
import { HuggingFaceService } from './huggingface/service.js';
import { randomHex } from './ids.js';
import { type EngineLogger, silentLogger } from './logger.js';
import { recallForPrompt } from './memory/recall.js';
import type { MemoryAreaRepositories } from './memory/repositories.js';
import { MemoryService } from './memory/service.js';
import { createRecordingTelemetry } from './observability/recording-telemetry.js';
import type { ObservabilityRepositories } from './observability/repositories.js';
import { ObservabilityService } from './observability/service.js';
import { runAfterReply } from './personas/after-reply.js';
import { ModuleService } from './personas/module-service.js';
import { PersonaImages } from './personas/persona-images.js';
import { PersonaService } from './personas/persona-service.js';
import type { PersonaAreaRepositories } from './personas/repositories.js';
import { isAfterReply, triggerMatches } from './personas/triggers.js';
import { createProviderCalls, type ProviderCalls } from './providers/calls.js';
import { gateChatProvider } from './providers/gated.js';
import { composerTools, ProviderRegistry } from './providers/registry.js';
import type { ChatProvider } from './providers/types.js';
import type { UpstreamCall } from './providers/upstream-call.js';
import type { Sandbox } from './sandbox.js';
import { SearchService } from './search/service.js';
import type { WebSearchProvider } from './search/web-provider.js';
import { type CommandQueueOptions, CommandService } from './sessions/command-service.js';
import type { SessionAreaDeps } from './sessions/deps.js';
import { EventService } from './sessions/event-service.js';
import { HandlerService } from './sessions/handler-service.js';
import type { SessionAreaRepositories } from './sessions/repositories.js';
import { SessionService } from './sessions/session-service.js';
import { ToolService } from './sessions/tool-service.js';
import { UserCode } from './sessions/user-code.js';
import type { Signer } from './signer.js';
import type { Telemetry } from './telemetry.js';
import type { UploadLimits } from './uploads/policy.js';
import type { VoiceProvider } from './voice/provider.js';
import { VoiceService } from './voice/service.js';

/** The repositories of every area. */
export interface Repositories {
  chatkit: ChatKitRepositories;
  chat: ChatRepositories;
  /** LLMGine sessions' commands, events, tools and handlers (the sessions are ChatKit's rows). */
  sessions: SessionAreaRepositories;
  engines: EngineAreaRepositories;
  observability: ObservabilityRepositories;
  /** Memories and the stored configuration sections (seed 004). */
  memory: MemoryAreaRepositories;
  config: ConfigAreaRepositories;
  files: FileAreaRepositories;
  /** Personas and modules (seed 003). */
  personas: PersonaAreaRepositories;
  /** Computer-use runs (seed 000). */
  computerUse: ComputerUseRepositories;
}

/** What {@link createEngine} is built over. */
export interface EngineOptions {
  repositories: Repositories;
  blobs: BlobStore;
  /** Signs client secrets and attachment URLs. */
  signer: Signer;
  /** The chat providers, and the name of the one a request gets when it names none. */
  providers: { list: readonly ChatProvider[]; default: string };
  uploads: UploadLimits;
  sessions: {
    /** Lifetime of a client secret when the request names none, in seconds. */
    ttlSeconds: number;
    /** Whether only callers with an API key get sessions. */
    requireApiKey?: boolean;
  };
  /** How long a streamed reply runs on with nobody listening; default 120 s. */
  resumeGraceMs?: number;
  /**
   * Replies that may run at once, over every door, in all and per user (`0`: no limit). Past them a
   * new reply is refused with 503 and `Retry-After` before it starts. Default no limit.
   */
  replies?: { maxConcurrent?: number; maxConcurrentPerUser?: number };
  /** Where session events fan out; default this process's bus (give a shared one to scale out). */
  bus?: EventBus;
  /** Where tools and handlers run; without one, user code is refused. */
  sandbox?: Sandbox;
  /** The command queue's settings; the runner id defaults to a new one per engine. */
  commands?: Partial<CommandQueueOptions>;
  engines?: EngineServiceOptions;
  /** Hosts user code may `fetch`; none by default. */
  fetchAllowlist?: readonly string[];
  logger?: EngineLogger;
  clock?: Clock;
  /**
   * Where spans, counters and log entries go. Default: the recording telemetry over
   * `repositories.observability` (`createRecordingTelemetry`), so traces and metrics work over
   * memory too.
   */
  telemetry?: Telemetry;
  /** Persona images' size limit (default 5 MiB) and module scripts' deadline (the sandbox's default). */
  personas?: { maxImageBytes?: number; scriptTimeoutMs?: number };
  /** Called after every assistant turn, for metrics. */
  onTurn?(stats: TurnStats & { threadId: string }): void;
  /** Reads the configuration file's sections (seed 004), at start and on reload; default none. */
  readConfigFile?: () => FileSections | Promise<FileSections>;
  /**
   * The files area: the extractor of PDF, Office, HTML and images (text formats are read without
   * one; without it the others fail, saying so), the size limit (default 20 MiB) and the queue's limits.
   */
  files?: { extractor?: TextExtractor; maxBytes?: number } & Partial<FileQueueOptions>;
  /** The GitHub proxy's client (seed 000); without one its routes answer 503 `PROVIDER_NOT_CONFIGURED`. */
  github?: GitHubClient;
  /** Hugging Face's Inference API (seed 000); without it `/api/huggingface/inference` answers 503. */
  huggingface?: HuggingFaceClient;
  /**
   * Computer use (seed 000): the model (without it, runs answer 503 `PROVIDER_NOT_CONFIGURED`) and the
   * bounds of every run (default {@link defaultComputerUseLimits}).
   */
  computerUse?: { model?: ComputerUseModel; limits?: Partial<ComputerUseLimits> };
  /**
   * The wrapper every upstream provider call goes through (limits, cache, spans, metrics). Default:
   * the seed's limits counted in memory, no cache, over `telemetry`.
   */
  providerCalls?: ProviderCalls;
  /** The web search providers of `POST /api/search` (`tavily`); a provider left out answers 503. */
  search?: { web?: readonly WebSearchProvider[] };
  /**
   * The voice providers of `POST /api/voice/process` and ChatKit's `input.transcribe`, the one a
   * request gets when it names none (default the first), and the largest audio (default 25 MiB).
   * Without providers, both answer 503 and ChatKit sessions report no `transcription`.
   */
  voice?: { providers?: readonly VoiceProvider[]; default?: string; maxBytes?: number };
  /**
   * What every web search and transcription calls its upstream provider through (limits, cache,
   * spans, metrics); default a direct call.
   */
  callProvider?: UpstreamCall;
}

/** Every area's services. */
export interface Engine {
  readonly providers: ProviderRegistry;
  /** The wrapper every upstream provider call goes through: areas that call a provider use it. */
  readonly providerCalls: ProviderCalls;
  /** `GET /api/agents`: personas and configured providers, and what `agent` on a chat door picks. */
  readonly agents: AgentService;
  /** The ChatKit protocol. */
  readonly chatkit: ChatKitProcessor;
  /** The chat doors' replies: detached, logged, resumable. */
  readonly chat: ChatService;
  /** Seed 003's conversations and messages: ChatKit threads and their items. */
  readonly conversations: ConversationService;
  /** Logs, metrics and traces. */
  readonly observability: ObservabilityService;
  /** Where the engine's spans, counters and log entries go. */
  readonly telemetry: Telemetry;
  /** ChatKit session bootstrap and client secrets. */
  readonly chatkitSessions: {
    create(params: SessionCreateParams, caller: Caller): Promise<ChatKitSession>;
    verify(token: string): Promise<ClientSecretVerification>;
  };
  /** LLMGine sessions (seed 001). */
  readonly sessions: SessionService;
  /** Each session's command queue. */
  readonly commands: CommandService;
  readonly events: EventService;
  readonly tools: ToolService;
  readonly handlers: HandlerService;
  readonly engines: EngineService;
  /** Memories of each user (seed 004): profile entries, facts and every chat exchange. */
  readonly memory: MemoryService;
  /** The configuration sections (seed 004): `orchestrator`, `planner`, `agent_generator`, `context`, `memory`. */
  readonly config: ConfigService;
  /** Personas (seed 003), their images, and modules with the templates resolved over them. */
  readonly personas: PersonaService;
  readonly personaImages: PersonaImages;
  readonly modules: ModuleService;
  /** The bus session events fan out on. */
  readonly bus: EventBus;
  readonly sandbox: Sandbox;
  /** Resolves when the event handlers started so far have run. */
  idle(): Promise<void>;
  /** Attachment bytes: direct and signed uploads, previews. */
  readonly attachments: {
    upload(
      file: IncomingFile,
      ctx: Pick<ChatKitContext, 'userId' | 'baseUrl'>,
    ): ReturnType<typeof uploadAttachment>;
    signed(
      id: string,
      purpose: 'upload' | 'preview',
      signature: { expires: string; sig: string },
    ): Promise<StoredAttachment>;
    complete(
      attachment: StoredAttachment,
      bytes: AsyncIterable<Uint8Array>,
      baseUrl: string,
    ): ReturnType<typeof completeUpload>;
    bytes(attachment: StoredAttachment): Promise<AsyncIterable<Uint8Array>>;
  };
  /** Uploaded files, their processing and search over their text. */
  readonly files: FileService;
  /** The files' processing queue: `recover()` after a start, `stop()` before closing. */
  readonly fileQueue: FileProcessingQueue;
  /** `POST /api/search`: the caller's files offline (`local`), or a web provider. */
  readonly search: SearchService;
  /** The read-only GitHub proxy (seed 000). */
  readonly github: GitHubService;
  /** Hugging Face inference (seed 000). */
  readonly huggingface: HuggingFaceService;
  /** Computer-use runs (seed 000). */
  readonly computerUse: ComputerUseService;
  /** `POST /api/voice/process` and ChatKit's `input.transcribe`: speech to text. */
  readonly voice: VoiceService;
  /** One `/ws/chat` connection over the chat service. */
  connect(options: Omit<ChatConnectionOptions, 'chat' | 'logger'>): ChatConnection;
}

/**
 * Builds the engine over its ports.
 *
 * @example
 * const engine = createEngine({
 *   repositories: createMemoryRepositories(),
 *   blobs: createMemoryBlobStore(),
 *   signer: createSigner(secret),
 *   providers: { list: [createDemoProvider({ paceMs: 0 })], default: 'demo' },
 *   uploads: { maxBytes: 20 * 1024 ** 2, allowedTypes: defaultUploadTypes },
 *   sessions: { ttlSeconds: 3600 },
 * });
 */
export const createEngine = (options: EngineOptions): Engine => {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const telemetry =
    options.telemetry ??
    createRecordingTelemetry({ repositories: options.repositories.observability, clock });
  const providerCalls = options.providerCalls ?? createProviderCalls({ telemetry });
  const providers = new ProviderRegistry(
    options.providers.list.map((provider) => gateChatProvider(provider, providerCalls)),
    options.providers.default,
  );
  const observability = new ObservabilityService({
    repositories: options.repositories.observability,
    telemetry,
    clock,
    pendingCommands: async (sessionId) => {
      const counts = await commands.counts(sessionId);
      return { queued: counts.queued, executing: counts.executing };
    },
  });
  // Seed 004's memory and configuration: what chat turns recall, keep and default to.
  const config = new ConfigService({
    repository: options.repositories.config.configSections,
    ...(options.readConfigFile ? { readFile: options.readConfigFile } : {}),
    check: (type, section) =>
      type === 'orchestrator' &&
      typeof section.default_provider === 'string' &&
      !providers.names.includes(section.default_provider)
        ? [
            {
              path: 'default_provider',
              message: `No provider is named ${section.default_provider} here; the providers are ${providers.names.join(', ')}`,
            },
          ]
        : [],
    clock,
  });
  const memory = new MemoryService({ repository: options.repositories.memory.memories, config, clock });
  // Web search and transcription call their providers through the same limits, cache, spans and metrics.
  const callProvider: UpstreamCall = options.callProvider ?? ((spec, run) => providerCalls.call(spec, run));
  const voice = new VoiceService({ ...options.voice, call: callProvider });
  let personaPrompt: NonNullable<ChatKitDeps['systemPrompt']> = async () => undefined;
  const slots = new ReplySlots({
    maxReplies: options.replies?.maxConcurrent ?? 0,
    maxRepliesPerUser: options.replies?.maxConcurrentPerUser ?? 0,
  });
  const deps: ChatKitDeps = {
    slots,
    systemPrompt: (request) => personaPrompt(request),
    checkPersona: async (userId, personaId) => {
      await personas.stored(personaId, userId);
    },
    findAgent: (agentId, userId) => agents.find(agentId, userId),
    // Seed 003's stages 4–5; the modules service is built below, and a turn asks for it only later.
    afterReply: (turn) =>
      runAfterReply(
        {
          modules,
          items: options.repositories.chatkit.items,
          logger,
          now: () => clock.now().toISOString(),
        },
        turn,
      ),
    // A recall that fails costs the prompt its memories, not the turn.
    recall: async (request) => {
      try {
        await config.ready();
        return await recallForPrompt(options.repositories.memory.memories, config.current('memory'), request);
      } catch (error) {
        logger.warn({ err: error }, 'Recalling memories for a prompt failed');
        return [];
      }
    },
    repositories: options.repositories.chatkit,
    blobs: options.blobs,
    urls: new AttachmentUrlSigner(options.signer),
    limits: options.uploads,
    providers,
    ...(options.onTurn ? { onTurn: options.onTurn } : {}),
    onStreamError: (error) => logger.error({ err: error }, 'A ChatKit stream failed'),
    ...(voice.available ? { transcribe: (audio, signal) => voice.transcribeBase64(audio, signal) } : {}),
    // `/chatkit` turns are kept by the rule the chat doors' exchanges are; a failure costs the memory, not the turn.
    onExchange: ({ threadId, ...exchange }) =>
      memory
        .recordExchange({ ...exchange, sessionId: threadId })
        .catch((error: unknown) =>
          logger.error({ err: error, threadId }, 'Keeping a ChatKit exchange failed'),
        ),
  };
  const chatkit = new ChatKitProcessor(deps);
  const bus = options.bus ?? createInProcessEventBus();
  const chat = new ChatService({
    resolveAgent: (agentId, userId) => agents.resolve(agentId, userId),
    bus,
    slots,
    processor: chatkit,
    store: { responses: options.repositories.chat.responses, items: options.repositories.chatkit.items },
    logger,
    ...(options.resumeGraceMs === undefined ? {} : { resumeGraceMs: options.resumeGraceMs }),
    hooks: {
      defaults: () => {
        const orchestrator = config.current('orchestrator');
        return {
          ...(orchestrator.default_provider ? { provider: orchestrator.default_provider } : {}),
          ...(orchestrator.default_model ? { model: orchestrator.default_model } : {}),
          timeoutMs: orchestrator.reply_timeout_seconds * 1000,
        };
      },
      onExchange: ({ threadId, ...exchange }) => memory.recordExchange({ ...exchange, sessionId: threadId }),
      planner: () => {
        const planner = config.current('planner');
        return {
          enabled: planner.enabled,
          maxSteps: planner.max_steps,
          timeoutMs: planner.timeout_seconds * 1000,
        };
      },
    },
    // The files service is built below; a reply asks it only once the engine is running.
    findSources: async (userId, text, fileIds) =>
      (await files.search(userId, text, { fileIds, limit: maxSources })).map((hit) => ({
        file_id: hit.file_id,
        filename: hit.filename,
        chunk: hit.text,
        score: hit.score,
      })),
  });
  const sessionDeps = {
    repositories: options.repositories.chatkit,
    signer: options.signer,
    limits: options.uploads,
    ttlSeconds: options.sessions.ttlSeconds,
    requireApiKey: options.sessions.requireApiKey ?? false,
    transcription: voice.available,
    // Each provider's own model; a message that names none gets the default provider's.
    models: providers.all.map((provider) => ({
      id: provider.defaultModel,
      label: `${provider.defaultModel} (${provider.name})`,
      ...(provider.name === options.providers.default ? { default: true } : {}),
    })),
    tools: composerTools(providers.all),
    clock,
  };
  const sandbox = options.sandbox ?? refusingSandbox;
  const personaImages = new PersonaImages(options.blobs, options.personas?.maxImageBytes);
  const personas = new PersonaService(options.repositories.personas.personas, clock, personaImages);
  const agents = new AgentService({
    personas,
    providers,
    providerCalls,
    defaultProvider: () => config.current('orchestrator').default_provider ?? options.providers.default,
  });
  const modules = new ModuleService({
    store: options.repositories.personas.modules,
    sandbox,
    clock,
    ...(options.personas?.scriptTimeoutMs === undefined
      ? {}
      : { scriptTimeoutMs: options.personas.scriptTimeoutMs }),
  });
  // Seed 003's pipeline, stages 1–2: a conversation's persona template, resolved over the user's
  // modules, and the user's modules whose trigger the message meets, make the system prompt of its
  // turns on every door. What cannot be resolved (a cycle, a persona deleted since) costs the turn
  // that part of its system prompt, not its reply.
  personaPrompt = async ({ userId, thread, text, signal, failed }) => {
    const parts: string[] = [];
    const personaId = thread.metadata.persona_id;
    // A cancelled turn's scripts end as cancelled: that is the cancel's to report, not a failure.
    const scriptFailed = (module: string, error: string) => {
      if (!signal?.aborted) failed?.(`@${module}: ${error}`);
    };
    try {
      if (typeof personaId === 'string') {
        const persona = await personas.stored(personaId, userId);
        parts.push((await modules.resolve(persona.template, {}, userId, signal, scriptFailed)).resolved);
      }
      const { modules: active } = await modules.list({ active: true }, userId);
      for (const module of active) {
        if (!module.trigger_pattern || isAfterReply(module.execution_stage)) continue;
        if (!triggerMatches(module.trigger_pattern, text)) continue;
        parts.push((await modules.resolve(`@${module.name}`, {}, userId, signal, scriptFailed)).resolved);
      }
    } catch (error) {
      logger.warn({ err: error, threadId: thread.id }, 'A persona template could not be resolved for a turn');
      if (!signal?.aborted) failed?.(error instanceof Error ? error.message : String(error));
    }
    return parts.length > 0 ? parts.join('\n\n') : undefined;
  };
  const areaDeps: SessionAreaDeps = {
    sessions: options.repositories.chatkit.sessions,
    repositories: options.repositories.sessions,
    engines: options.repositories.engines.engines,
    bus,
    sandbox,
    telemetry,
    logger,
    clock,
  };
  const sessions = new SessionService(areaDeps);
  // User code emits events, and events run user code: each reaches the other once both exist.
  let code: UserCode | undefined;
  const userCode = () => code as UserCode;
  const events = new EventService(areaDeps, sessions, userCode);
  code = new UserCode({
    sandbox,
    telemetry,
    logger,
    emit: (sessionId, event, depth) =>
      events.emit(sessionId, { ...event, metadata: { source: 'code' } }, depth),
    ...(options.fetchAllowlist ? { fetchAllowlist: options.fetchAllowlist } : {}),
  });
  const commands = new CommandService(areaDeps, sessions, events, userCode, {
    runnerId: `run_${randomHex(8)}`,
    ...options.commands,
  });
  const { extractor, maxBytes, ...queueOptions } = options.files ?? {};
  const fileQueue = new FileProcessingQueue(
    {
      repositories: options.repositories.files,
      blobs: options.blobs,
      extractor: extractor ? withPlainText(extractor) : plainTextOnly,
      bus,
      clock,
      logger,
    },
    queueOptions,
  );
  const files = new FileService({
    repositories: options.repositories.files,
    blobs: options.blobs,
    queue: fileQueue,
    clock,
    limits: { maxBytes: maxBytes ?? defaultFileMaxBytes },
  });
  return {
    providers,
    providerCalls,
    agents,
    chatkit,
    chat,
    conversations: new ConversationService({
      repositories: options.repositories.chatkit,
      blobs: options.blobs,
      memories: options.repositories.memory.memories,
      checkPersona: async (userId, personaId) => {
        await personas.stored(personaId, userId);
      },
    }),
    observability,
    telemetry,
    chatkitSessions: {
      create: (params, caller) => createSession(sessionDeps, params, caller),
      verify: rememberingVerifier(
        (token) => verifyClientSecret(token, options.signer, clock.now().getTime()),
        () => clock.now().getTime(),
      ),
    },
    sessions,
    commands,
    events,
    tools: new ToolService(areaDeps, sessions, userCode),
    handlers: new HandlerService(areaDeps, sessions, userCode),
    engines: new EngineService(areaDeps, sessions, events, providers, options.engines),
    memory,
    config,
    personas,
    personaImages,
    modules,
    bus,
    sandbox,
    idle: () => events.idle(),
    attachments: {
      upload: (file, ctx) => uploadAttachment(deps, file, ctx),
      signed: (id, purpose, signature) => signedAttachment(deps, id, purpose, signature),
      complete: (attachment, bytes, baseUrl) => completeUpload(deps, attachment, bytes, baseUrl),
      bytes: (attachment) => attachmentBytes(deps, attachment),
    },
    files,
    fileQueue,
    github: new GitHubService(options.github),
    huggingface: new HuggingFaceService(options.huggingface),
    computerUse: new ComputerUseService({
      runs: options.repositories.computerUse.computerUseRuns,
      ...(options.computerUse?.model ? { model: options.computerUse.model } : {}),
      limits: { ...defaultComputerUseLimits, ...options.computerUse?.limits },
      clock,
    }),
    search: new SearchService(files, options.search?.web, callProvider, options.repositories.memory.memories),
    voice,
    connect: (connection) => new ChatConnection({ ...connection, chat, logger }),
  };
};

export { triggerMatches };

/** The sandbox of an engine given none: it refuses user code, saying why. */
const refusingSandbox: Sandbox = {
  run: async () => ({
    ok: false,
    error: { kind: 'busy', message: 'This server runs no user code: it has no sandbox' },
    durationMs: 0,
  }),
  check: async () => ({ kind: 'syntax', message: 'This server runs no user code: it has no sandbox' }),
  stats: () => ({ workers: 0, busy: 0, queued: 0, calls: 0, totalMs: 0 }),
  close: async () => {},
};
