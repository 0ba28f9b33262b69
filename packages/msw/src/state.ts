/**
 * @module The mock's state: the engine the reference server runs, over memory, with a provider that
 * plays scripted replies. The mocks answer by the server's own rules because they run its code.
 */
import { defaultUploadTypes, type Scope } from '@cartrita/contracts';
import {
  type BlobStore,
  type Caller,
  type ChatProvider,
  type ComputerUseLimits,
  type ComputerUseModel,
  constantTimeEqual,
  createDemoProvider,
  createEngine,
  createMemoryBlobStore,
  createMemoryRepositories,
  createRecordingTelemetry,
  createSigner,
  type Engine,
  type GitHubClient,
  type HuggingFaceClient,
  identify,
  type MemoryRepositories,
  type RecordingTelemetry,
  type Sandbox,
  type SpanContextStore,
  type TextExtractor,
  type VoiceProvider,
  type WebSearchProvider,
} from '@cartrita/engine';
import { createScriptedProvider, type ReplyScript, type ScriptedProvider } from './scripted.js';

/** An API key the mock accepts, with what it may do. */
export interface MockApiKey {
  /** The secret a caller sends. */
  key: string;
  /** Its name, as the server reports it (default `mock-key-<n>`). */
  name?: string;
  /** Its scopes (default `admin`, every scope). */
  scopes?: readonly Scope[];
}

/** Options of {@link createStore}. */
export interface StoreOptions {
  /** Origin (and optional path prefix) that upload and preview URLs point at. Default `http://localhost:8000`. */
  baseURL?: string;
  /** Milliseconds between the demo provider's tokens. Default 0. */
  paceMs?: number;
  /** Lifetime of a client secret, in seconds. Default 3600. */
  sessionTtlSeconds?: number;
  /** API keys the mock accepts: a string is a key with every scope. Default none. */
  apiKeys?: readonly (string | MockApiKey)[];
  /** Whether only callers with an API key get sessions. Default false. */
  requireApiKeyForSessions?: boolean;
  /** Largest attachment accepted. Default 20 MiB, as the reference server. */
  maxUploadBytes?: number;
  /** MIME types accepted for attachments (`image/*` wildcards allowed). Default: the server's. */
  acceptedMimeTypes?: readonly string[];
  /** `version` of the health routes. Default `0.0.0-mock`. */
  version?: string;
  /** A `: keep-alive` comment is sent on a chat stream after this many silent milliseconds. Default 15 000. */
  heartbeatMs?: number;
  /** How long a streamed reply runs on with nobody listening. Default 120 000. */
  resumeGraceMs?: number;
  /** Providers besides the (scripted) demo provider, each under its own name. */
  providers?: readonly ChatProvider[];
  /**
   * Where tools and handlers run. Default: none, so user code is refused with 422;
   * `setupCartritaServer` passes `createQuickJsSandbox()` of `@cartrita/engine/quickjs`, which a
   * browser may pass too (it loads QuickJS's WebAssembly on the first call).
   */
  sandbox?: Sandbox;
  /** A command's timeout when its metadata names none, in seconds. Default 30, as the server. */
  commandTimeoutSeconds?: number;
  /**
   * Which span is active while a mock runs, so the spans it starts nest under its request's. Default:
   * synchronous calls only (what browsers allow); `asyncSpanContext()` of `@cartrita/msw/node`
   * follows every `await`, as the server does.
   */
  spanContext?: SpanContextStore;
  /**
   * How the files area gets the text of PDF, Office, HTML and images. Default: none, so such files
   * are accepted and then end `failed`, saying no extractor is configured (text formats are read).
   */
  fileExtractor?: TextExtractor;
  /** The GitHub proxy's client. Default: none, so `/api/github/...` answers 503 `PROVIDER_NOT_CONFIGURED`. */
  github?: GitHubClient;
  /** Hugging Face's inference client. Default: none, so `/api/huggingface/inference` answers 503. */
  huggingface?: HuggingFaceClient;
  /** The computer-use model and the runs' bounds. Default: no model, so new runs answer 503. */
  computerUse?: { model?: ComputerUseModel; limits?: Partial<ComputerUseLimits> };
  /**
   * Web search providers of `POST /api/search` (`tavily`). Default: none, so they answer 503 as a
   * server without their keys does; pass a stand-in to script results.
   */
  webSearch?: readonly WebSearchProvider[];
  /**
   * Voice providers of `POST /api/voice/process` and ChatKit's `input.transcribe`. Default: none, so
   * both answer 503 and sessions report no `transcription`; pass a stand-in to script transcripts.
   */
  voiceProviders?: readonly VoiceProvider[];
  /** Largest audio taken. Default 25 MiB, as the reference server. */
  maxVoiceBytes?: number;
}

/** The mock's state: seed it, script replies, look inside. */
export interface CartritaStore {
  readonly baseURL: string;
  readonly version: string;
  readonly heartbeatMs: number;
  /** When the mock started, for `/api/health`'s uptime. */
  readonly startedAt: number;
  /** The engine the handlers run: the reference server's, over memory. */
  readonly engine: Engine;
  /** Every record, by area: read them to check what a test did, or seed them. */
  readonly repositories: MemoryRepositories;
  /** Where the engine records spans, log entries and metrics: each request is a span, as on the server. */
  readonly telemetry: RecordingTelemetry;
  readonly blobs: BlobStore;
  /** The `demo` provider with a queue of scripted replies in front of it. */
  readonly provider: ScriptedProvider;
  /** Queues the next assistant replies, one per turn (see `ReplyScript`). */
  respondWith(...scripts: ReplyScript[]): void;
  /** Who sent a request, by the server's rules: the credential it carries, or why it was refused. */
  identify(request: Request): Promise<Caller>;
  /** The settings the mock runs with, as `GET /api/config` shows them. */
  readonly config: Record<string, unknown>;
  /** Open mocked sockets by door, as `GET /api/status` reports them. */
  readonly sockets: { chat: number; events: number; studio: number };
  /** Set by `POST /api/shutdown`: every request then gets 503 until `reset()`. */
  stopping: boolean;
  /** Forgets every record and scripted reply, stops running replies, and serves again after a shutdown. */
  reset(): void;
}

const randomSecret = () => crypto.getRandomValues(new Uint8Array(32));

/**
 * The mock's state over a fresh engine.
 *
 * @example
 * const store = createStore({ baseURL: 'http://localhost:8000', apiKeys: ['test-key-0123456789'] });
 * store.respondWith('Hello from the mock');
 */
export const createStore = (options: StoreOptions = {}): CartritaStore => {
  const baseURL = (options.baseURL ?? 'http://localhost:8000').replace(/\/+$/, '');
  const repositories = createMemoryRepositories();
  const blobs = createMemoryBlobStore();
  const provider = createScriptedProvider(createDemoProvider({ paceMs: options.paceMs ?? 0 }));
  const signer = createSigner(randomSecret());
  const telemetry = createRecordingTelemetry({
    repositories: repositories.observability,
    ...(options.spanContext ? { context: options.spanContext } : {}),
  });
  const engine = createEngine({
    repositories,
    blobs,
    signer,
    providers: { list: [provider, ...(options.providers ?? [])], default: provider.name },
    uploads: {
      maxBytes: options.maxUploadBytes ?? 20 * 1024 ** 2,
      allowedTypes: options.acceptedMimeTypes ?? defaultUploadTypes,
    },
    sessions: {
      ttlSeconds: options.sessionTtlSeconds ?? 3600,
      requireApiKey: options.requireApiKeyForSessions ?? false,
    },
    ...(options.resumeGraceMs === undefined ? {} : { resumeGraceMs: options.resumeGraceMs }),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    commands: { defaultTimeoutSeconds: options.commandTimeoutSeconds ?? 30 },
    telemetry,
    files: {
      maxBytes: options.maxUploadBytes ?? 20 * 1024 ** 2,
      ...(options.fileExtractor ? { extractor: options.fileExtractor } : {}),
    },
    ...(options.github ? { github: options.github } : {}),
    ...(options.huggingface ? { huggingface: options.huggingface } : {}),
    ...(options.computerUse ? { computerUse: options.computerUse } : {}),
    search: { web: options.webSearch ?? [] },
    voice: {
      providers: options.voiceProviders ?? [],
      ...(options.maxVoiceBytes === undefined ? {} : { maxBytes: options.maxVoiceBytes }),
    },
  });
  const keys = (options.apiKeys ?? []).map((entry, index) =>
    typeof entry === 'string'
      ? { key: entry, id: `mock-key-${index + 1}`, scopes: ['admin'] as readonly string[] }
      : { key: entry.key, id: entry.name ?? `mock-key-${index + 1}`, scopes: entry.scopes ?? ['admin'] },
  );
  const version = options.version ?? '0.0.0-mock';
  const store: CartritaStore = {
    baseURL,
    version,
    config: {
      mock: true,
      version,
      baseURL,
      sessions: { ttlSeconds: options.sessionTtlSeconds ?? 3600 },
      security: {
        apiKeys: keys.map(({ id, scopes }) => ({ id, scopes, hash: '[REDACTED]' })),
        requireApiKeyForSessions: options.requireApiKeyForSessions ?? false,
      },
      commands: { defaultTimeoutSeconds: options.commandTimeoutSeconds ?? 30 },
      providers: { default: provider.name },
    },
    sockets: { chat: 0, events: 0, studio: 0 },
    stopping: false,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    startedAt: Date.now(),
    engine,
    repositories,
    telemetry,
    blobs,
    provider,
    respondWith: (...scripts) => provider.respondWith(...scripts),
    identify: (request) => {
      const url = new URL(request.url);
      return identify(
        {
          method: request.method,
          header: (name) => request.headers.get(name)?.trim() || undefined,
          query: (name) => url.searchParams.getAll(name),
        },
        {
          apiKey: (token) => keys.find((candidate) => constantTimeEqual(candidate.key, token)),
          verifyClientSecret: (token) => engine.chatkitSessions.verify(token),
        },
      );
    },
    reset() {
      void engine.chat.stopAll();
      repositories.clear();
      engine.config.forget();
      telemetry.metrics.reset();
      blobs.clear();
      provider.clear();
      store.stopping = false;
    },
  };
  return store;
};
