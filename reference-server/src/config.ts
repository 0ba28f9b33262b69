/**
 * @module The server's configuration: defaults, a YAML file, the environment and command-line flags,
 * validated once at start-up.
 */

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { configSections, configTypes, defaultUploadTypes } from '@cartrita/contracts';
import type { FileSections, ProviderCacheOptions, ProviderLimit } from '@cartrita/engine';
import { parse as parseYaml } from 'yaml';
import type { ApiKey } from './auth/api-keys.js';
import { describeDatabase, redactDatabaseUrl } from './config/database-url.js';
import type { Secret } from './config/secret.js';
import {
  configFileSetting,
  configFlags,
  type DefaultInput,
  knownFileKeys,
  type Setting,
  settings,
} from './config/settings.js';
import type { ChatProviderName, LogLevel, TrustProxy } from './config/types.js';
import type { OpenAIParameters } from './providers/openai.js';

export { Secret } from './config/secret.js';
export { configFlags } from './config/settings.js';
export type { ChatProviderName, LogLevel, TrustProxy } from './config/types.js';
/** The MIME types accepted for uploads by default. */
export { defaultUploadTypes };

/** The `openai` provider's settings; present in {@link Config.providers} when `OPENAI_API_KEY` is set. */
export interface OpenAIProviderConfig {
  /** `OPENAI_API_KEY`, `cartrita.openai_api_key`: sent upstream only, never logged or shown. */
  apiKey: Secret;
  /** `OPENAI_BASE_URL`, `cartrita.openai_base_url`: any OpenAI-compatible server, else OpenAI's own API. */
  baseURL?: string;
  /** `OPENAI_MODEL`, `cartrita.openai_model`: the model used when a request names none. */
  model: string;
  /** `OPENAI_TEMPERATURE`, `OPENAI_TOP_P`, `OPENAI_MAX_TOKENS`: only the ones set; requests may override them. */
  parameters: OpenAIParameters;
  /**
   * `OPENAI_TIMEOUT_MS`, `cartrita.openai_timeout_ms`: the longest wait for the response headers, for a
   * whole non-streamed reply, and between two chunks of a streamed one.
   */
  timeoutMs: number;
}

/** The GitHub proxy's settings; present when `GITHUB_API_KEY` is set. */
export interface GitHubProviderConfig {
  /** `GITHUB_API_KEY`: sent to GitHub only, never logged or shown. */
  apiKey: Secret;
  /** `GITHUB_API_URL`: GitHub's REST API, else `https://api.github.com`. */
  baseURL?: string;
  /** `GITHUB_TIMEOUT_MS`. */
  timeoutMs: number;
}

/** Hugging Face's settings; present when `HUGGINGFACE_API_KEY` is set. */
export interface HuggingFaceProviderConfig {
  /** `HUGGINGFACE_API_KEY`: sent to Hugging Face only, never logged or shown. */
  apiKey: Secret;
  /** `HUGGINGFACE_INFERENCE_URL`: the Inference API, else Hugging Face's router. */
  inferenceURL?: string;
  /** `HUGGINGFACE_ROUTER_URL`: the OpenAI-compatible router of the chat provider. */
  routerURL?: string;
  /** `HUGGINGFACE_MODEL`: the chat model when a request names none. */
  model: string;
  /** `HUGGINGFACE_TIMEOUT_MS`. */
  timeoutMs: number;
}

/** Computer use's settings (it runs on the `openai` provider's key and base URL). */
export interface ComputerUseConfig {
  /** `COMPUTER_USE_MODEL`. */
  model: string;
  /** `COMPUTER_USE_MAX_STEPS`: the most model turns of one run. */
  maxSteps: number;
  /** `COMPUTER_USE_TIMEOUT_MS`: the longest one run may last. */
  timeoutMs: number;
}

/** Where spans also go when Langfuse is configured. */
export interface LangfuseConfig {
  /** `LANGFUSE_PUBLIC_KEY`. */
  publicKey: string;
  /** `LANGFUSE_SECRET_KEY`: sent to Langfuse only, never logged or shown. */
  secretKey: Secret;
  /** `LANGFUSE_BASE_URL`: the Langfuse server, without a trailing slash. */
  baseUrl: string;
}

/** The `tavily` web search provider's settings; present when `TAVILY_API_KEY` is set. */
export interface TavilyProviderConfig {
  /** `TAVILY_API_KEY`: sent upstream only, never logged or shown. */
  apiKey: Secret;
  /** `TAVILY_BASE_URL`. */
  baseUrl: string;
  /** `TAVILY_SEARCH_DEPTH`. */
  searchDepth: 'basic' | 'advanced';
  /** `TAVILY_TIMEOUT_MS`. */
  timeoutMs: number;
}

/** The `deepgram` voice provider's settings; present when `DEEPGRAM_API_KEY` is set. */
export interface DeepgramProviderConfig {
  /** `DEEPGRAM_API_KEY`: sent upstream only, never logged or shown. */
  apiKey: Secret;
  /** `DEEPGRAM_BASE_URL`. */
  baseUrl: string;
  /** `DEEPGRAM_MODEL`. */
  model: string;
  /** `DEEPGRAM_TIMEOUT_MS`. */
  timeoutMs: number;
}

/** Speech to text: which provider a request gets, and what it takes. */
export interface VoiceConfig {
  /** `VOICE_PROVIDER`, else `deepgram` when configured, else `openai` when configured; none without either. */
  default?: 'deepgram' | 'openai';
  /** `OPENAI_TRANSCRIPTION_MODEL`: the `openai` voice provider's model (on when `OPENAI_API_KEY` is set). */
  openaiModel: string;
  /** `VOICE_MAX_BYTES`: the largest audio, in bytes. */
  maxBytes: number;
}

/** The model providers. */
export interface ProvidersConfig {
  /** `CHAT_PROVIDER`, `cartrita.chat_provider`: the provider of requests that name none. */
  default: ChatProviderName;
  /** Configured when `OPENAI_API_KEY` is set (also when `demo` stays the default). */
  openai?: OpenAIProviderConfig;
  /** Configured when `GITHUB_API_KEY` is set. */
  github?: GitHubProviderConfig;
  /** Configured when `HUGGINGFACE_API_KEY` is set. */
  huggingface?: HuggingFaceProviderConfig;
  /** Computer use's limits; it is available when `openai` is configured. */
  computerUse: ComputerUseConfig;
  /** Configured when `TAVILY_API_KEY` is set. */
  tavily?: TavilyProviderConfig;
  /** Configured when `DEEPGRAM_API_KEY` is set. */
  deepgram?: DeepgramProviderConfig;
  voice: VoiceConfig;
}

/** How upstream provider calls are limited and cached. */
export interface ProviderCallsConfig {
  /** `RATE_LIMIT_<PROVIDER>_PER_MINUTE`, `RATE_LIMIT_GITHUB_PER_HOUR`: each provider's budget; 0 is unlimited. */
  limits: Record<string, ProviderLimit>;
  /** `PROVIDER_QUEUE_TIMEOUT_MS`: the longest wait for a turn. */
  queueTimeoutMs: number;
  /** `PROVIDER_CACHE_*`: the cache of identical non-streaming requests (`ttlMs` 0: off). */
  cache: ProviderCacheOptions;
}

/** Where a setting's value came from, lowest precedence first. */
export type ConfigSource = 'default' | 'file' | 'environment' | 'command line';

/**
 * The validated configuration of one server process. Paths are absolute. Each field names the setting
 * it comes from; the settings' defaults and meanings are in `config/settings.ts`, the one place that
 * describes them (docs/server.md prints its table from there).
 */
export interface Config {
  server: {
    /** `API_HOST`, `server.host`, `--host`: the address to listen on. */
    host: string;
    /** `API_PORT`, `server.port`, `--port`: the port; `0` picks a free port. */
    port: number;
    /** `API_WORKERS`, `server.workers`. */
    workers: number;
    /** `PUBLIC_URL`: the URL clients reach the server at, for absolute upload and preview links. */
    publicUrl?: string;
    /** `TRUST_PROXY`; pass to `app.set('trust proxy', ...)`. */
    trustProxy: TrustProxy;
  };
  /** `DATA_DIR`, `cartrita.data_dir`, `--data-dir`. */
  dataDir: string;
  database: {
    /** `DATABASE_URL`, `database.url`, `--database-url`. */
    url: string;
    /** `sqlite` or `postgres`, from the URL's scheme. */
    engine: 'sqlite' | 'postgres';
    /** For SQLite: the database file's absolute path, or `:memory:`. */
    sqlitePath?: string;
  };
  /**
   * `REDIS_URL`, `cartrita.redis_url`: present when set. Instances that share it share the event bus
   * and the rate limits; the URL (and so its password) is a {@link Secret}.
   */
  redis?: {
    url: Secret;
  };
  logging: {
    /** `LOG_LEVEL`, `logging.level`, `--log-level`. */
    level: LogLevel;
    /** `LOG_FILE`, `logging.file`: log to this file instead of standard output. */
    file?: string;
  };
  security: {
    /**
     * `API_KEY_SECRET`, `security.api_key_secret`: signs client secrets. When unset, a secret is made
     * once and kept in `<dataDir>/secret.key`; see {@link resolveSigningSecret}.
     */
    apiKeySecret?: Secret;
    /** `CORS_ORIGINS`, `security.cors_origins`: allowed browser origins; `*` allows any (without credentials). */
    corsOrigins: string[];
    /** `API_KEYS`, `cartrita.api_keys`: server-side keys, hashed. */
    apiKeys: ApiKey[];
    /** `REQUIRE_API_KEY_FOR_SESSIONS`: whether `POST /api/chatkit/session` needs an API key. */
    requireApiKeyForSessions: boolean;
  };
  observability: {
    /** `ENABLE_METRICS`, `observability.enable_metrics`: Prometheus metrics and `GET /metrics`. */
    enableMetrics: boolean;
    /** `ENABLE_TRACING`, `observability.enable_tracing`: spans, stored and read back by trace id. */
    enableTracing: boolean;
    /** `OBSERVABILITY_RETENTION_DAYS`: days log entries and spans are kept; 0 keeps them forever. */
    retentionDays: number;
    /** Set when both `LANGFUSE_PUBLIC_KEY` and `LANGFUSE_SECRET_KEY` are: spans also go to Langfuse. */
    langfuse?: LangfuseConfig;
  };
  sessions: {
    /** `SESSION_TTL_SECONDS`: lifetime of client secrets. */
    ttlSeconds: number;
  };
  commands: {
    /** `COMMAND_TIMEOUT_SECONDS`: a command's timeout when its metadata names none. */
    defaultTimeoutSeconds: number;
    /** `COMMAND_QUEUE_LIMIT`: most commands a session may have waiting. */
    maxQueuedPerSession: number;
    /** `SHUTDOWN_DEADLINE_SECONDS`: how long running commands may finish when the server stops. */
    shutdownDeadlineSeconds: number;
  };
  sandbox: {
    /** `SANDBOX_WORKERS`: worker threads that run user code. */
    workers: number;
    /** `SANDBOX_MEMORY_MB`: memory one call may use, in bytes. */
    memoryBytes: number;
    /** `SANDBOX_TIMEOUT_MS`: how long a tool call may run. */
    timeoutMs: number;
    /** `SANDBOX_FETCH_ALLOWLIST`: hosts user code may `fetch`; none by default. */
    fetchAllowlist: string[];
  };
  rateLimit: {
    /** `RATE_LIMIT_PER_MINUTE`: requests per minute per IP; 0 turns the limit off. */
    perMinute: number;
    /** `RATE_LIMIT_AUTHENTICATED_PER_MINUTE`: per API key or user; 0 turns it off. */
    authenticatedPerMinute: number;
    /** `AUTH_FAILURES_PER_MINUTE`: failed authentications per minute per address before it gets 429; 0 turns it off. */
    authFailuresPerMinute: number;
  };
  realtime: {
    /** `WS_CONNECTIONS_PER_MINUTE`: new `/ws/chat` connections per minute per IP; 0 turns it off. */
    connectionsPerMinute: number;
    /** `WS_HEARTBEAT_MS`: how often the server pings each socket; a peer that misses a pong is dropped. */
    heartbeatMs: number;
  };
  streaming: {
    /** `SSE_HEARTBEAT_MS`: a comment line keeps a resumable stream open after this long without a frame. */
    heartbeatMs: number;
    /** `RESUME_GRACE_MS`: how long a reply runs on after its client left, so it can resume. */
    resumeGraceMs: number;
    /** Replies that may run at once, in all and per user (`0`: no limit). */
    maxReplies: number;
    maxRepliesPerUser: number;
  };
  http: {
    /** `BODY_LIMIT`: the largest JSON body, as written (`1mb`). */
    bodyLimit: string;
    /** {@link Config.http.bodyLimit} in bytes. */
    bodyLimitBytes: number;
  };
  uploads: {
    /** `UPLOAD_MAX_BYTES`: the largest uploaded file, in bytes. */
    maxBytes: number;
    /** `UPLOAD_ALLOWED_TYPES`: accepted MIME types; `type/*` allows a whole family. */
    allowedTypes: string[];
  };
  demo: {
    /** `DEMO_PACE_MS`: delay between the demo provider's tokens. */
    paceMs: number;
  };
  providers: ProvidersConfig;
  /** Limits and cache of every upstream provider call. */
  providerCalls: ProviderCallsConfig;
  /**
   * The agent studio's sections of the YAML file (`orchestrator:`, `planner:`, `agent_generator:`,
   * `context:`, `memory:`), as written: the engine's configuration service puts them over the
   * sections' defaults. Each was checked against its schema.
   */
  agentSections: FileSections;
  /** The YAML file that was read, if any. */
  configFile?: string;
  /** Where each setting (by environment variable name) came from. */
  sources: Readonly<Record<string, ConfigSource>>;
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The environment; default `process.env`. Empty values count as unset. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Command-line arguments (without `node` and the script): `--host`, `--port`, `--data-dir`,
   * `--database-url`, `--log-level`, `--config`, as `--flag value` or `--flag=value`. Other
   * arguments are ignored. Default: none.
   */
  argv?: readonly string[];
  /** A YAML file to read; wins over `--config` and `CARTRITA_CONFIG`. */
  file?: string;
  /** Relative paths are resolved against this directory; default `process.cwd()`. */
  cwd?: string;
}

/**
 * Thrown for any invalid setting; its message names the setting and where it came from.
 *
 * @example
 * // Invalid configuration: API_PORT must be an integer between 0 and 65535 (got "80a") from the environment
 */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/**
 * The CORS origins allowed when `CORS_ORIGINS` is not set: a local development server on port 3000,
 * the server's own origin (and its `localhost` spelling when bound to a loopback or wildcard address),
 * and the origin of `PUBLIC_URL`.
 */
export const defaultCorsOrigins = (host: string, port: number, publicUrl?: string): string[] => {
  const origins = ['http://localhost:3000', 'http://127.0.0.1:3000'];
  const hostPart = host.includes(':') ? `[${host}]` : host;
  origins.push(`http://${hostPart}:${port}`);
  if (host === '0.0.0.0' || host === '::') origins.push(`http://127.0.0.1:${port}`);
  if (['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(host)) {
    origins.push(`http://localhost:${port}`);
  }
  if (publicUrl) origins.push(new URL(publicUrl).origin);
  return [...new Set(origins)];
};

/** A setting's value: its default when it has one and no source sets it, else `undefined`. */
type SettingValue<T, D> = undefined extends D ? T | undefined : T;

/** Reads one setting from the sources, highest precedence first, then its default. */
type Getter = <T, D extends DefaultInput | undefined>(entry: Setting<T, D>) => SettingValue<T, D>;

/**
 * Loads and validates the configuration. Sources, lowest to highest precedence: defaults, the YAML
 * file (seed 001's layout, plus a `cartrita:` section for the settings that have no place there), the
 * environment, command-line flags. Throws {@link ConfigError} naming the first invalid setting.
 *
 * The YAML file is `options.file`, else `--config <path>`, else `CARTRITA_CONFIG`; there is none by
 * default. Its `cartrita:` keys are the environment names in lower case (`cartrita.demo_pace_ms`,
 * `cartrita.api_keys` as a list of `name:scopes:secret` strings or `{name, scopes, secret | sha256}`).
 *
 * `API_KEYS` holds comma-separated entries `name:scope1+scope2:secret` (scopes may be empty:
 * `name::secret`; the secret is at least 16 characters, or `sha256:<64 hex>` to give its hash).
 * Secrets are hashed here and the plaintext is not kept.
 *
 * @example
 * const config = loadConfig({ argv: process.argv.slice(2) });
 * app.set('trust proxy', config.server.trustProxy);
 */
export const loadConfig = (options: LoadConfigOptions = {}): Config => {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const flags = parseFlags(options.argv ?? []);
  const fileName = options.file ?? flags[configFileSetting.flag] ?? present(env[configFileSetting.env]);
  const configFile = fileName === undefined ? undefined : resolve(cwd, fileName);
  const fileDocument = configFile === undefined ? undefined : readConfigFile(configFile);
  const fileValues = fileDocument?.values ?? {};
  const agentSections = fileDocument?.sections ?? {};
  const sectionProblem =
    configFile === undefined ? undefined : agentSectionProblem(agentSections, configFile);
  if (sectionProblem) throw new ConfigError(sectionProblem);
  const sources: Record<string, ConfigSource> = {};

  const read = <T>(entry: Setting<T>): T | undefined => {
    const candidates: [ConfigSource, unknown][] = [
      ['command line', entry.flag === undefined ? undefined : flags[entry.flag]],
      ['environment', present(env[entry.env])],
      ['file', fileValues[entry.file] ?? undefined],
    ];
    const found = candidates.find(([, value]) => value !== undefined);
    if (!found) {
      sources[entry.env] = 'default';
      return entry.default === undefined ? undefined : entry.schema.parse(entry.default);
    }
    const [source, raw] = found;
    sources[entry.env] = source;
    const result = entry.schema.safeParse(raw);
    if (result.success) return result.data;
    const name = source === 'command line' ? entry.flag : source === 'file' ? entry.file : entry.env;
    const where = source === 'file' ? (configFile as string) : `the ${source}`;
    // Issues marked `surface` carry a message written for people; others fall back to the description.
    const custom = result.error.issues.find(
      (issue) => issue.code === 'custom' && issue.params?.surface === true,
    );
    const problem = custom?.message ?? entry.schema.description ?? 'is invalid';
    const got = entry.secret ? '' : ` (got ${preview(raw)})`;
    throw new ConfigError(`Invalid configuration: ${name} ${problem}${got} from ${where}`);
  };

  // A setting with a default always has a value: its schema parsed the default.
  const get = read as Getter;

  const host = get(settings.host);
  const port = get(settings.port);
  const publicUrl = get(settings.publicUrl);
  const dataDir = resolve(cwd, get(settings.dataDir));
  const databaseUrl = get(settings.databaseUrl) ?? `sqlite:///${join(dataDir, 'cartrita.db')}`;
  const redisUrl = get(settings.redisUrl);
  const logFile = get(settings.logFile);
  const apiKeySecret = get(settings.apiKeySecret);
  const bodyLimit = get(settings.bodyLimit);
  const providers = readProviders(get);

  return {
    server: {
      host,
      port,
      workers: get(settings.workers),
      ...(publicUrl === undefined ? {} : { publicUrl }),
      trustProxy: get(settings.trustProxy),
    },
    dataDir,
    database: { url: databaseUrl, ...describeDatabase(databaseUrl, cwd) },
    ...(redisUrl === undefined ? {} : { redis: { url: redisUrl } }),
    logging: {
      level: get(settings.logLevel),
      ...(logFile === undefined ? {} : { file: resolve(cwd, logFile) }),
    },
    security: {
      ...(apiKeySecret === undefined ? {} : { apiKeySecret }),
      corsOrigins: get(settings.corsOrigins) ?? defaultCorsOrigins(host, port, publicUrl),
      apiKeys: get(settings.apiKeys) ?? [],
      requireApiKeyForSessions: get(settings.requireApiKeyForSessions),
    },
    observability: readObservability(get),
    sessions: { ttlSeconds: get(settings.sessionTtl) },
    commands: {
      defaultTimeoutSeconds: get(settings.commandTimeout),
      maxQueuedPerSession: get(settings.commandQueueLimit),
      shutdownDeadlineSeconds: get(settings.shutdownDeadline),
    },
    sandbox: {
      workers: get(settings.sandboxWorkers),
      memoryBytes: get(settings.sandboxMemory) * 1024 * 1024,
      timeoutMs: get(settings.sandboxTimeout),
      fetchAllowlist: get(settings.sandboxFetchAllowlist) ?? [],
    },
    rateLimit: {
      perMinute: get(settings.rateLimit),
      authenticatedPerMinute: get(settings.rateLimitAuthenticated),
      authFailuresPerMinute: get(settings.authFailuresPerMinute),
    },
    realtime: {
      connectionsPerMinute: get(settings.wsConnectionsPerMinute),
      heartbeatMs: get(settings.wsHeartbeat),
    },
    streaming: {
      heartbeatMs: get(settings.sseHeartbeat),
      resumeGraceMs: get(settings.resumeGrace),
      maxReplies: get(settings.maxConcurrentReplies),
      maxRepliesPerUser: get(settings.maxConcurrentRepliesPerUser),
    },
    http: { bodyLimit: bodyLimit.text, bodyLimitBytes: bodyLimit.bytes },
    uploads: {
      maxBytes: get(settings.uploadMaxBytes).bytes,
      allowedTypes: get(settings.uploadAllowedTypes),
    },
    demo: { paceMs: get(settings.demoPace) },
    providers,
    providerCalls: readProviderCalls(get),
    agentSections,
    ...(configFile === undefined ? {} : { configFile }),
    sources,
  };
};

/** Reads the per-provider limits and the provider cache. */
const readProviderCalls = (get: Getter): ProviderCallsConfig => {
  const perMinute = (perWindow: number): ProviderLimit => ({ perWindow, windowMs: 60_000 });
  return {
    limits: {
      openai: perMinute(get(settings.rateLimitOpenai)),
      huggingface: perMinute(get(settings.rateLimitHuggingface)),
      deepgram: perMinute(get(settings.rateLimitDeepgram)),
      tavily: perMinute(get(settings.rateLimitTavily)),
      github: { perWindow: get(settings.rateLimitGithub), windowMs: 3_600_000 },
    },
    queueTimeoutMs: get(settings.providerQueueTimeout),
    cache: {
      ttlMs: get(settings.providerCacheTtl) * 1000,
      maxEntries: get(settings.providerCacheMaxEntries),
      maxEntryBytes: get(settings.providerCacheMaxEntryBytes).bytes,
    },
  };
};

/** Reads the observability settings; a Langfuse key needs the other one. */
const readObservability = (get: Getter): Config['observability'] => {
  const publicKey = get(settings.langfusePublicKey);
  const secretKey = get(settings.langfuseSecretKey);
  if ((publicKey === undefined) !== (secretKey === undefined)) {
    throw new ConfigError(
      `Invalid configuration: ${publicKey === undefined ? 'LANGFUSE_SECRET_KEY' : 'LANGFUSE_PUBLIC_KEY'} is set but ${publicKey === undefined ? 'LANGFUSE_PUBLIC_KEY' : 'LANGFUSE_SECRET_KEY'} is not; Langfuse needs both keys`,
    );
  }
  return {
    enableMetrics: get(settings.enableMetrics),
    enableTracing: get(settings.enableTracing),
    retentionDays: get(settings.observabilityRetentionDays),
    ...(publicKey === undefined || secretKey === undefined
      ? {}
      : {
          langfuse: {
            publicKey,
            secretKey,
            baseUrl: get(settings.langfuseHost) ?? get(settings.langfuseBaseUrl),
          },
        }),
  };
};

/** Reads the provider settings; `CHAT_PROVIDER=openai` needs `OPENAI_API_KEY`. */
const readProviders = (get: Getter): ProvidersConfig => {
  const chosen = get(settings.chatProvider);
  const apiKey = get(settings.openaiApiKey);
  const baseURL = get(settings.openaiBaseUrl);
  const model = get(settings.openaiModel);
  const temperature = get(settings.openaiTemperature);
  const topP = get(settings.openaiTopP);
  const maxTokens = get(settings.openaiMaxTokens);
  const timeoutMs = get(settings.openaiTimeout);
  const extra = readExternalProviders(get);
  if (chosen === 'huggingface' && extra.huggingface === undefined) {
    throw new ConfigError(
      'Invalid configuration: CHAT_PROVIDER is huggingface but HUGGINGFACE_API_KEY is not set',
    );
  }
  if (chosen === 'openai' && apiKey === undefined) {
    throw new ConfigError(
      'Invalid configuration: CHAT_PROVIDER is openai but OPENAI_API_KEY is not set (for a server that ignores keys, such as Ollama, set any value)',
    );
  }
  const tools = readToolProviders(get, apiKey !== undefined);
  if (apiKey === undefined) return { default: chosen, ...extra, ...tools };
  const parameters: OpenAIParameters = {
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { top_p: topP }),
    ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
  };
  return {
    default: chosen,
    openai: { apiKey, ...(baseURL === undefined ? {} : { baseURL }), model, parameters, timeoutMs },
    ...extra,
    ...tools,
  };
};

/** Reads GitHub's, Hugging Face's and computer use's settings. */
const readExternalProviders = (
  get: Getter,
): Pick<ProvidersConfig, 'github' | 'huggingface' | 'computerUse'> => {
  const githubKey = get(settings.githubApiKey);
  const githubUrl = get(settings.githubApiUrl);
  const hfKey = get(settings.huggingfaceApiKey);
  const hfInference = get(settings.huggingfaceInferenceUrl);
  const hfRouter = get(settings.huggingfaceRouterUrl);
  return {
    ...(githubKey === undefined
      ? {}
      : {
          github: {
            apiKey: githubKey,
            ...(githubUrl === undefined ? {} : { baseURL: githubUrl }),
            timeoutMs: get(settings.githubTimeout),
          },
        }),
    ...(hfKey === undefined
      ? {}
      : {
          huggingface: {
            apiKey: hfKey,
            ...(hfInference === undefined ? {} : { inferenceURL: hfInference }),
            ...(hfRouter === undefined ? {} : { routerURL: hfRouter }),
            model: get(settings.huggingfaceModel),
            timeoutMs: get(settings.huggingfaceTimeout),
          },
        }),
    computerUse: {
      model: get(settings.computerUseModel),
      maxSteps: get(settings.computerUseMaxSteps),
      timeoutMs: get(settings.computerUseTimeout),
    },
  };
};

/** Reads the search and voice providers' settings; `VOICE_PROVIDER` must name a configured one. */
const readToolProviders = (
  get: Getter,
  openaiConfigured: boolean,
): Pick<ProvidersConfig, 'tavily' | 'deepgram' | 'voice'> => {
  const tavilyKey = get(settings.tavilyApiKey);
  const deepgramKey = get(settings.deepgramApiKey);
  const chosenVoice = get(settings.voiceProvider);
  const configuredVoice = [
    ...(deepgramKey === undefined ? [] : ['deepgram' as const]),
    ...(openaiConfigured ? ['openai' as const] : []),
  ];
  if (chosenVoice !== undefined && !configuredVoice.includes(chosenVoice)) {
    throw new ConfigError(
      `Invalid configuration: VOICE_PROVIDER is ${chosenVoice} but ${chosenVoice === 'deepgram' ? 'DEEPGRAM_API_KEY' : 'OPENAI_API_KEY'} is not set`,
    );
  }
  const defaultVoice = chosenVoice ?? configuredVoice[0];
  // Every setting is read, so a wrong value stops start-up even while its provider has no key.
  const tavily = {
    baseUrl: get(settings.tavilyBaseUrl),
    searchDepth: get(settings.tavilySearchDepth),
    timeoutMs: get(settings.tavilyTimeout),
  };
  const deepgram = {
    baseUrl: get(settings.deepgramBaseUrl),
    model: get(settings.deepgramModel),
    timeoutMs: get(settings.deepgramTimeout),
  };
  return {
    ...(tavilyKey === undefined
      ? {}
      : {
          tavily: { apiKey: tavilyKey, ...tavily },
        }),
    ...(deepgramKey === undefined
      ? {}
      : {
          deepgram: { apiKey: deepgramKey, ...deepgram },
        }),
    voice: {
      ...(defaultVoice === undefined ? {} : { default: defaultVoice }),
      openaiModel: get(settings.openaiTranscriptionModel),
      maxBytes: get(settings.voiceMaxBytes).bytes,
    },
  };
};

/**
 * The secret that signs client secrets. It must survive restarts, or every issued client secret would
 * stop working: `API_KEY_SECRET` when set; otherwise 32 random bytes made on first use and kept in
 * `<dataDir>/secret.key` (mode 0600). Several instances behind one database must share
 * `API_KEY_SECRET`.
 */
export const resolveSigningSecret = async (config: Pick<Config, 'dataDir' | 'security'>): Promise<Buffer> => {
  const configured = config.security.apiKeySecret;
  if (configured) return Buffer.from(configured.reveal(), 'utf8');
  const path = join(config.dataDir, 'secret.key');
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  // Write a complete file under a temporary name, then link it into place: the link either creates
  // `secret.key` whole or fails because another process already did, so nobody reads a half-written key.
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ConfigError(`Could not create the signing secret file ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  } finally {
    await unlink(temporary).catch(() => {});
  }
  const stored = (await readFile(path, 'utf8')).trim();
  if (!/^[0-9a-f]{64}$/i.test(stored)) {
    throw new ConfigError(
      `Invalid configuration: the signing secret file ${path} must hold 64 hexadecimal characters; delete it to make a new one (issued client secrets will stop working) or set API_KEY_SECRET`,
    );
  }
  // Tighten a file that was copied or restored with looser permissions.
  if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  return Buffer.from(stored, 'hex');
};

/**
 * The configuration without secrets, as plain JSON: for `GET /api/config` and the start-up log.
 * API keys are listed by name and scopes; the database and Redis URLs lose their passwords;
 * provider keys are replaced by `apiKeyConfigured: true`.
 */
export const publicConfig = (config: Config): Record<string, unknown> => {
  const { security, database, providers, observability, redis, ...rest } = config;
  const { langfuse, ...tracing } = observability;
  return {
    ...rest,
    observability: {
      ...tracing,
      ...(langfuse
        ? {
            langfuse: { publicKey: langfuse.publicKey, baseUrl: langfuse.baseUrl, secretKeyConfigured: true },
          }
        : {}),
    },
    database: { ...database, url: redactDatabaseUrl(database.url) },
    ...(redis === undefined ? {} : { redis: { url: redactDatabaseUrl(redis.url.reveal()) } }),
    providers: publicProviders(providers),
    security: {
      apiKeySecretConfigured: security.apiKeySecret !== undefined,
      corsOrigins: security.corsOrigins,
      apiKeys: security.apiKeys.map((key) => ({ id: key.id, scopes: key.scopes })),
      requireApiKeyForSessions: security.requireApiKeyForSessions,
    },
  };
};

const publicProviders = ({
  default: chosen,
  openai,
  github,
  huggingface,
  computerUse,
  tavily,
  deepgram,
  voice,
}: ProvidersConfig): Record<string, unknown> => {
  const withoutKey = <T extends { apiKey: Secret }>(provider: T | undefined, name: string) => {
    if (!provider) return {};
    const { apiKey: _apiKey, ...rest } = provider;
    return { [name]: { ...rest, apiKeyConfigured: true } };
  };
  return {
    default: chosen,
    ...withoutKey(openai, 'openai'),
    ...withoutKey(github, 'github'),
    ...withoutKey(huggingface, 'huggingface'),
    computerUse,
    ...withoutKey(tavily, 'tavily'),
    ...withoutKey(deepgram, 'deepgram'),
    voice,
  };
};

const present = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value;

const preview = (value: unknown): string => {
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
};

const parseFlags = (argv: readonly string[]): Record<string, string> => {
  const flags: Record<string, string> = {};
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    if (!(configFlags as readonly string[]).includes(flag as string)) continue;
    const value = inline ?? argv[index + 1];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new ConfigError(`Invalid configuration: ${flag} needs a value on the command line`);
    }
    if (inline === undefined) index++;
    flags[flag as string] = value;
  }
  return flags;
};

/** The first problem of the agent studio's sections of a file, as a sentence, or `undefined`. */
const agentSectionProblem = (sections: FileSections, path: string): string | undefined => {
  for (const type of configTypes) {
    const result = configSections[type].safeParse(sections[type] ?? {});
    if (result.success) continue;
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${type}.${issue.path.map(String).join('.')}` : type;
    return `Invalid configuration: ${where} ${issue?.message ?? 'is invalid'} in ${path}`;
  }
  return undefined;
};

/**
 * Reads the agent studio's sections of a YAML file again (for `POST /config/reload`). Throws
 * {@link ConfigError} when the file cannot be read or a section is not valid.
 */
export const readAgentSections = (path: string): FileSections => {
  const { sections } = readConfigFile(path);
  const problem = agentSectionProblem(sections, path);
  if (problem) throw new ConfigError(problem);
  return sections;
};

/**
 * Reads the YAML file: a map from dotted setting names (`server.port`) to values, and the agent
 * studio's sections as written.
 */
const readConfigFile = (path: string): { values: Record<string, unknown>; sections: FileSections } => {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration: cannot read the configuration file ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  let document: unknown;
  try {
    document = parseYaml(source);
  } catch (error) {
    throw new ConfigError(`Invalid configuration: ${path} is not valid YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (document === null || document === undefined) return { values: {}, sections: {} };
  if (!isMapping(document)) throw new ConfigError(`Invalid configuration: ${path} must hold a YAML mapping`);
  const values: Record<string, unknown> = {};
  const sections: FileSections = {};
  for (const [section, body] of Object.entries(document)) {
    if (body === null || body === undefined) continue;
    if (!isMapping(body)) {
      throw new ConfigError(`Invalid configuration: ${section} must be a mapping of settings in ${path}`);
    }
    if ((configTypes as readonly string[]).includes(section)) {
      sections[section as keyof FileSections] = body;
      continue;
    }
    for (const [key, value] of Object.entries(body)) {
      const name = `${section}.${key}`;
      if (!knownFileKeys.has(name)) {
        throw new ConfigError(`Invalid configuration: unknown setting ${name} in ${path}`);
      }
      values[name] = value;
    }
  }
  return { values, sections };
};

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
