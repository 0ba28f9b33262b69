/**
 * @module Every setting the server reads: its names in each source, its schema, its default and what it
 * does. This is the one description of the settings: `loadConfig` reads them from it, and the
 * configuration table of docs/server.md and the command line's help are printed from it.
 */
import { defaultUploadTypes } from '@cartrita/contracts';
import * as z from 'zod';
import { assertUniqueNames, createApiKey, parseApiKeys } from '../auth/api-keys.js';
import { parseByteSize } from './byte-size.js';
import { Secret } from './secret.js';
import type { ChatProviderName, LogLevel, TrustProxy } from './types.js';

// Value schemas. Each accepts what the environment gives (a string) and what YAML gives (a typed
// value), and carries the message used when a value is rejected.

const integer = (min: number, max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^-?\d+$/)
        .transform(Number),
    ])
    .pipe(z.number().int().min(min).max(max))
    .describe(`must be an integer between ${min} and ${max}`);

const boolean = z
  .union([
    z.boolean(),
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']))
      .transform((text) => ['true', '1', 'yes', 'on'].includes(text)),
  ])
  .describe('must be true or false');

const text = z.string().trim().min(1).describe('must be a non-empty string');

const hostname = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9.:_-]{1,253}$/)
  .describe('must be a host name or IP address');

const stringList = z.union([
  z.array(z.union([z.string(), z.number()]).transform((item) => String(item).trim())),
  z.string().transform((list) => list.split(',').map((item) => item.trim())),
]);

const hostList = stringList
  .transform((hosts) => [...new Set(hosts.filter((host) => host !== '').map((host) => host.toLowerCase()))])
  .pipe(z.array(z.string().regex(/^[a-z0-9.-]{1,253}(:\d{1,5})?$/)))
  .describe('must be comma-separated host names, each optionally with a port');

const logLevels: Readonly<Record<string, LogLevel>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  fatal: 'fatal',
  critical: 'fatal',
  silent: 'silent',
};

const logLevel = z
  .string()
  .trim()
  .toLowerCase()
  .refine((level) => level in logLevels)
  .transform((level) => logLevels[level] as LogLevel)
  .describe('must be one of trace, debug, info, warn, error, fatal, silent (any case)');

const byteSize = (max: number) =>
  z
    .union([z.number(), z.string()])
    .transform((value, ctx) => {
      const bytes = parseByteSize(value);
      if (bytes === undefined || bytes < 1 || bytes > max) {
        ctx.addIssue({ code: 'custom', message: 'invalid size' });
        return z.NEVER;
      }
      return { text: typeof value === 'number' ? `${value}b` : value.trim(), bytes };
    })
    .describe(`must be a size such as 1mb, 512kb or a number of bytes, at most ${max} bytes`);

const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    } catch {
      return false;
    }
  })
  .transform((value) => value.replace(/\/+$/, ''))
  .describe('must be an http:// or https:// URL');

const originList = stringList
  .transform((origins, ctx) => {
    const result: string[] = [];
    for (const origin of origins.filter((item) => item !== '')) {
      const normalised = normaliseOrigin(origin);
      if (normalised === undefined) {
        ctx.addIssue({ code: 'custom', message: 'invalid origin' });
        return z.NEVER;
      }
      result.push(normalised);
    }
    return [...new Set(result)];
  })
  .describe('must be a comma-separated list of origins such as https://example.com, or *');

const mimeList = stringList
  .pipe(z.array(z.string().regex(/^[a-z0-9!#$&^_.+-]+\/(\*|[a-z0-9!#$&^_.+-]+)$/i)).min(1))
  .transform((types) => [...new Set(types.map((type) => type.toLowerCase()))])
  .describe('must be a comma-separated list of MIME types such as image/png or image/*');

const trustProxy = z
  .union([
    z.boolean(),
    z.number().int().min(0).max(100),
    z.array(z.string().trim().min(1)),
    z
      .string()
      .trim()
      .min(1)
      .transform((value): TrustProxy => {
        const lower = value.toLowerCase();
        if (lower === 'true') return true;
        if (lower === 'false') return false;
        if (/^\d+$/.test(value)) return Number(value);
        return value.split(',').map((item) => item.trim());
      }),
  ])
  .describe('must be true, false, a number of proxy hops, or a comma-separated list of addresses');

const databaseUrl = z
  .string()
  .trim()
  .refine((url) => /^(sqlite:|postgres:\/\/|postgresql:\/\/)/i.test(url))
  .describe('must be a sqlite: or postgres:// URL (for example sqlite:///./cartrita.db)');

const redisUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
    } catch {
      return false;
    }
  })
  .transform((value) => new Secret(value))
  .describe('must be a redis:// or rediss:// URL (for example redis://127.0.0.1:6379)');

const apiKeyItem = z.union([
  z.string(),
  z.object({
    name: z.string(),
    scopes: z.array(z.string()).optional(),
    secret: z.string().optional(),
    sha256: z.string().optional(),
  }),
]);

const apiKeys = z
  .union([z.string(), z.array(apiKeyItem)])
  .transform((value, ctx) => {
    try {
      if (typeof value === 'string') return parseApiKeys(value);
      const keys = value.flatMap((item) =>
        typeof item === 'string' ? parseApiKeys(item) : [createApiKey(item)],
      );
      assertUniqueNames(keys);
      return keys;
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `has an invalid entry: ${(error as Error).message}`,
        params: { surface: true },
      });
      return z.NEVER;
    }
  })
  .describe('must be comma-separated entries name:scope1+scope2:secret');

const signingSecret = z
  .string()
  .min(16)
  .transform((value) => new Secret(value))
  .describe('must be at least 16 characters long');

const decimal = (min: number, max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^-?(\d+\.?\d*|\.\d+)$/)
        .transform(Number),
    ])
    .pipe(z.number().min(min).max(max))
    .describe(`must be a number between ${min} and ${max}`);

const chatProvider = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['demo', 'openai', 'huggingface'] satisfies ChatProviderName[]))
  .describe('must be one of demo, openai, huggingface');

const searchDepth = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['basic', 'advanced']))
  .describe('must be one of basic, advanced');

const voiceProvider = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['deepgram', 'openai']))
  .describe('must be one of deepgram, openai');

// Any non-empty value: OpenAI-compatible servers such as Ollama accept any key, so no format is imposed.
const providerKey = z
  .string()
  .trim()
  .min(1)
  .transform((value) => new Secret(value))
  .describe('must be a non-empty string');

/** A default as the environment would spell it; the setting's schema turns it into the value. */
export type DefaultInput = string | number | boolean;

/**
 * One setting: its names in each source, its schema, its default and what it does.
 *
 * @typeParam T - the value the schema makes.
 * @typeParam D - the type of `default`: `undefined` for a setting that has no fixed default.
 */
export interface Setting<T, D extends DefaultInput | undefined = DefaultInput | undefined> {
  /** The environment variable. */
  env: string;
  /** The key in the YAML file: `<section>.<name>`. */
  file: string;
  /** The command-line flag, for the few settings that have one. */
  flag?: string;
  schema: z.ZodType<T, unknown>;
  /** Whether the value is a secret: never shown in an error message. */
  secret?: boolean;
  /**
   * The value used when no source sets one, written as in the environment (`'1mb'`, `8000`) and
   * parsed by `schema` like any other value. Absent when the default is computed from other settings
   * (see `defaultText`) or when unset means "none".
   */
  default?: D;
  /** The default as the docs say it (Markdown), when `default` does not: `generated`, `standard output`. */
  defaultText?: string;
  /** What the setting does, in Markdown, as one sentence fragment starting in lower case. */
  description: string;
}

const setting = <T, D extends DefaultInput | undefined = undefined>(
  definition: Setting<T, D>,
): Setting<T, D> => definition;

/** Every setting, in the order docs/server.md lists them. */
export const settings = {
  host: setting({
    env: 'API_HOST',
    file: 'server.host',
    flag: '--host',
    schema: hostname,
    default: '127.0.0.1',
    description: 'address to listen on',
  }),
  port: setting({
    env: 'API_PORT',
    file: 'server.port',
    flag: '--port',
    schema: integer(0, 65535),
    default: 8000,
    description: 'port to listen on; `0` picks a free one',
  }),
  workers: setting({
    env: 'API_WORKERS',
    file: 'server.workers',
    schema: integer(1, 256),
    default: 1,
    description: 'accepted for seed 001 compatibility; no effect yet',
  }),
  publicUrl: setting({
    env: 'PUBLIC_URL',
    file: 'cartrita.public_url',
    schema: httpUrl,
    defaultText: "the request's own origin",
    description: 'the URL clients reach the server at, for upload and preview links',
  }),
  trustProxy: setting({
    env: 'TRUST_PROXY',
    file: 'cartrita.trust_proxy',
    schema: trustProxy,
    default: false,
    description:
      "Express's `trust proxy`: `true`, a number of hops, or comma-separated addresses; set it behind a proxy so rate limits see client addresses",
  }),
  dataDir: setting({
    env: 'DATA_DIR',
    file: 'cartrita.data_dir',
    flag: '--data-dir',
    schema: text,
    default: './.data',
    description: 'where the SQLite file, uploaded bytes and the generated signing key live',
  }),
  databaseUrl: setting({
    env: 'DATABASE_URL',
    file: 'database.url',
    flag: '--database-url',
    schema: databaseUrl,
    secret: true,
    defaultText: 'SQLite at `<DATA_DIR>/cartrita.db`',
    description: '`postgres://...` for PostgreSQL, or `sqlite:///path` or a file path for SQLite',
  }),
  redisUrl: setting({
    env: 'REDIS_URL',
    file: 'cartrita.redis_url',
    schema: redisUrl,
    secret: true,
    defaultText: 'none: this process alone',
    description:
      '`redis://[[user]:password@]host[:port][/db]` (`rediss://` for TLS): the event bus and every rate limit are shared through it by every instance that names it. See [Scaling out](scaling.md)',
  }),
  logLevel: setting({
    env: 'LOG_LEVEL',
    file: 'logging.level',
    flag: '--log-level',
    schema: logLevel,
    default: 'info',
    description:
      '`trace`, `debug`, `info`, `warn`, `error`, `fatal` or `silent` (any case; `warning` and `critical` accepted)',
  }),
  logFile: setting({
    env: 'LOG_FILE',
    file: 'logging.file',
    schema: text,
    defaultText: 'standard output',
    description: 'write JSON logs to this file',
  }),
  apiKeySecret: setting({
    env: 'API_KEY_SECRET',
    file: 'security.api_key_secret',
    schema: signingSecret,
    secret: true,
    defaultText: 'generated',
    description:
      'signs client secrets (at least 16 characters). Unset, 32 random bytes are made once and kept in `<DATA_DIR>/secret.key` (mode 0600), so secrets survive restarts',
  }),
  corsOrigins: setting({
    env: 'CORS_ORIGINS',
    file: 'security.cors_origins',
    schema: originList,
    defaultText: "`http://localhost:3000`, `http://127.0.0.1:3000` and the server's own origin",
    description: 'comma-separated allowed browser origins; `*` allows any origin without credentials',
  }),
  apiKeys: setting({
    env: 'API_KEYS',
    file: 'cartrita.api_keys',
    schema: apiKeys,
    secret: true,
    description:
      'comma-separated `name:scope1+scope2:secret` entries (secret at least 16 characters, or `sha256:<hex>` to give only its hash). Scopes: see [Auth](#auth)',
  }),
  requireApiKeyForSessions: setting({
    env: 'REQUIRE_API_KEY_FOR_SESSIONS',
    file: 'cartrita.require_api_key_for_sessions',
    schema: boolean,
    default: false,
    description: 'close `POST /api/chatkit/session` to callers without an API key',
  }),
  sessionTtl: setting({
    env: 'SESSION_TTL_SECONDS',
    file: 'cartrita.session_ttl_seconds',
    schema: integer(1, 30 * 24 * 3600),
    default: 3600,
    description: 'lifetime of client secrets',
  }),
  commandTimeout: setting({
    env: 'COMMAND_TIMEOUT_SECONDS',
    file: 'cartrita.command_timeout_seconds',
    schema: integer(1, 3600),
    default: 30,
    description: 'how long a command may run when its `metadata.timeout` names no time',
  }),
  commandQueueLimit: setting({
    env: 'COMMAND_QUEUE_LIMIT',
    file: 'cartrita.command_queue_limit',
    schema: integer(1, 1_000_000),
    default: 1000,
    description: 'most commands a session may have waiting; past it, new ones get 429',
  }),
  sandboxWorkers: setting({
    env: 'SANDBOX_WORKERS',
    file: 'sandbox.workers',
    schema: integer(1, 64),
    default: 2,
    description: 'worker threads that run user code (tools, handlers), started as calls need them',
  }),
  sandboxMemory: setting({
    env: 'SANDBOX_MEMORY_MB',
    file: 'sandbox.memory_mb',
    schema: integer(8, 1024),
    default: 32,
    description: 'memory one call of user code may use, in MiB (each worker is capped at twice this)',
  }),
  sandboxTimeout: setting({
    env: 'SANDBOX_TIMEOUT_MS',
    file: 'sandbox.timeout_ms',
    schema: integer(10, 600_000),
    default: 5000,
    description: "how long a tool call may run; command handlers run within their command's timeout",
  }),
  sandboxFetchAllowlist: setting({
    env: 'SANDBOX_FETCH_ALLOWLIST',
    file: 'sandbox.fetch_allowlist',
    schema: hostList,
    defaultText: 'none: `fetch` is absent',
    description: 'comma-separated host names user code may `fetch` (http and https, no redirects followed)',
  }),
  shutdownDeadline: setting({
    env: 'SHUTDOWN_DEADLINE_SECONDS',
    file: 'cartrita.shutdown_deadline_seconds',
    schema: integer(0, 300),
    default: 10,
    description:
      'how long running commands may take to finish when the server stops (then they are cancelled)',
  }),
  rateLimit: setting({
    env: 'RATE_LIMIT_PER_MINUTE',
    file: 'cartrita.rate_limit_per_minute',
    schema: integer(0, 1_000_000),
    default: 100,
    description: 'requests per minute per IP (IPv6 per /64); `0` turns it off',
  }),
  rateLimitAuthenticated: setting({
    env: 'RATE_LIMIT_AUTHENTICATED_PER_MINUTE',
    file: 'cartrita.rate_limit_authenticated_per_minute',
    schema: integer(0, 10_000_000),
    default: 1000,
    description: 'requests per minute per API key or user; `0` turns it off',
  }),
  authFailuresPerMinute: setting({
    env: 'AUTH_FAILURES_PER_MINUTE',
    file: 'cartrita.auth_failures_per_minute',
    schema: integer(0, 1_000_000),
    default: 10,
    description:
      'failed authentications per minute per IP; past it, every credential from that address gets 429 until the minute ends; `0` turns it off',
  }),
  bodyLimit: setting({
    env: 'BODY_LIMIT',
    file: 'cartrita.body_limit',
    schema: byteSize(1024 ** 3),
    default: '1mb',
    description: 'largest JSON body (413 above it)',
  }),
  uploadMaxBytes: setting({
    env: 'UPLOAD_MAX_BYTES',
    file: 'cartrita.upload_max_bytes',
    schema: byteSize(16 * 1024 ** 3),
    default: '20mb',
    description: 'largest uploaded file (413 above it)',
  }),
  uploadAllowedTypes: setting({
    env: 'UPLOAD_ALLOWED_TYPES',
    file: 'cartrita.upload_allowed_types',
    schema: mimeList,
    default: defaultUploadTypes.join(','),
    defaultText: 'images, PDF, text, CSV, JSON, Office and OpenDocument files',
    description: 'comma-separated MIME types; `image/*` allows a family (415 otherwise)',
  }),
  demoPace: setting({
    env: 'DEMO_PACE_MS',
    file: 'cartrita.demo_pace_ms',
    schema: integer(0, 60_000),
    default: 15,
    description: "milliseconds between the demo provider's tokens",
  }),
  chatProvider: setting({
    env: 'CHAT_PROVIDER',
    file: 'cartrita.chat_provider',
    schema: chatProvider,
    default: 'demo',
    description: 'the provider of requests that name none: `demo`, `openai` or `huggingface`',
  }),
  openaiApiKey: setting({
    env: 'OPENAI_API_KEY',
    file: 'cartrita.openai_api_key',
    schema: providerKey,
    secret: true,
    description:
      'enables the `openai` provider (any value for a server that ignores keys, such as Ollama); never logged',
  }),
  openaiBaseUrl: setting({
    env: 'OPENAI_BASE_URL',
    file: 'cartrita.openai_base_url',
    schema: httpUrl,
    defaultText: "OpenAI's",
    description: 'any OpenAI-compatible server (Ollama, vLLM)',
  }),
  openaiModel: setting({
    env: 'OPENAI_MODEL',
    file: 'cartrita.openai_model',
    schema: text,
    default: 'gpt-4o-mini',
    description: 'the model when a request names none',
  }),
  openaiTemperature: setting({
    env: 'OPENAI_TEMPERATURE',
    file: 'cartrita.openai_temperature',
    schema: decimal(0, 2),
    description: "default sampling temperature, 0 to 2; a request's `parameters` win",
  }),
  openaiTopP: setting({
    env: 'OPENAI_TOP_P',
    file: 'cartrita.openai_top_p',
    schema: decimal(0, 1),
    description: "default nucleus sampling `top_p`, 0 to 1; a request's `parameters` win",
  }),
  openaiMaxTokens: setting({
    env: 'OPENAI_MAX_TOKENS',
    file: 'cartrita.openai_max_tokens',
    schema: integer(1, 10_000_000),
    description: "default limit on the tokens of a reply; a request's `parameters` win",
  }),
  openaiTimeout: setting({
    env: 'OPENAI_TIMEOUT_MS',
    file: 'cartrita.openai_timeout_ms',
    schema: integer(1, 3_600_000),
    default: 120_000,
    description:
      'longest wait for headers, a whole reply, or between two chunks (enough for a local model to load)',
  }),
  githubApiKey: setting({
    env: 'GITHUB_API_KEY',
    file: 'cartrita.github_api_key',
    schema: providerKey,
    secret: true,
    description:
      'enables the read-only GitHub proxy (`/api/github/...`): a token sent to GitHub only; never logged',
  }),
  githubApiUrl: setting({
    env: 'GITHUB_API_URL',
    file: 'cartrita.github_api_url',
    schema: httpUrl,
    defaultText: 'https://api.github.com',
    description: "GitHub's REST API (GitHub Enterprise: `https://HOST/api/v3`)",
  }),
  githubTimeout: setting({
    env: 'GITHUB_TIMEOUT_MS',
    file: 'cartrita.github_timeout_ms',
    schema: integer(1, 600_000),
    default: 30_000,
    description: "longest wait for GitHub's whole answer",
  }),
  huggingfaceApiKey: setting({
    env: 'HUGGINGFACE_API_KEY',
    file: 'cartrita.huggingface_api_key',
    schema: providerKey,
    secret: true,
    description:
      'enables `/api/huggingface/inference` and the `huggingface` chat provider: a Hugging Face token; never logged',
  }),
  huggingfaceInferenceUrl: setting({
    env: 'HUGGINGFACE_INFERENCE_URL',
    file: 'cartrita.huggingface_inference_url',
    schema: httpUrl,
    defaultText: 'https://router.huggingface.co/hf-inference',
    description: 'the Inference API of `/api/huggingface/inference` (`/models/{model}` is appended)',
  }),
  huggingfaceRouterUrl: setting({
    env: 'HUGGINGFACE_ROUTER_URL',
    file: 'cartrita.huggingface_router_url',
    schema: httpUrl,
    defaultText: 'https://router.huggingface.co/v1',
    description: 'the OpenAI-compatible router the `huggingface` chat provider talks to',
  }),
  huggingfaceModel: setting({
    env: 'HUGGINGFACE_MODEL',
    file: 'cartrita.huggingface_model',
    schema: text,
    default: 'meta-llama/Llama-3.1-8B-Instruct',
    description: 'the `huggingface` chat model when a request names none',
  }),
  huggingfaceTimeout: setting({
    env: 'HUGGINGFACE_TIMEOUT_MS',
    file: 'cartrita.huggingface_timeout_ms',
    schema: integer(1, 3_600_000),
    default: 120_000,
    description: 'longest wait for an inference answer, a whole chat reply, or between two chunks',
  }),
  computerUseModel: setting({
    env: 'COMPUTER_USE_MODEL',
    file: 'cartrita.computer_use_model',
    schema: text,
    default: 'computer-use-preview',
    description: 'the OpenAI model of `/api/computer-use/execute` (needs `OPENAI_API_KEY`)',
  }),
  computerUseMaxSteps: setting({
    env: 'COMPUTER_USE_MAX_STEPS',
    file: 'cartrita.computer_use_max_steps',
    schema: integer(1, 500),
    default: 30,
    description: 'the most model turns a computer-use run may take; a request may ask for fewer',
  }),
  computerUseTimeout: setting({
    env: 'COMPUTER_USE_TIMEOUT_MS',
    file: 'cartrita.computer_use_timeout_ms',
    schema: integer(1_000, 86_400_000),
    default: 600_000,
    description: 'the longest a computer-use run may last from start to end; a request may ask for less',
  }),
  rateLimitOpenai: setting({
    env: 'RATE_LIMIT_OPENAI_PER_MINUTE',
    file: 'providers.rate_limit_openai_per_minute',
    schema: integer(0, 1_000_000),
    default: 100,
    description:
      'calls per minute to the `openai` provider (bursts up to twice that, then a FIFO queue); `0` turns it off',
  }),
  rateLimitHuggingface: setting({
    env: 'RATE_LIMIT_HUGGINGFACE_PER_MINUTE',
    file: 'providers.rate_limit_huggingface_per_minute',
    schema: integer(0, 1_000_000),
    default: 200,
    description:
      'calls per minute to Hugging Face (bursts up to twice that, then a FIFO queue); `0` turns it off',
  }),
  rateLimitDeepgram: setting({
    env: 'RATE_LIMIT_DEEPGRAM_PER_MINUTE',
    file: 'providers.rate_limit_deepgram_per_minute',
    schema: integer(0, 1_000_000),
    default: 30,
    description:
      'calls per minute to Deepgram (bursts up to twice that, then a FIFO queue); `0` turns it off',
  }),
  rateLimitTavily: setting({
    env: 'RATE_LIMIT_TAVILY_PER_MINUTE',
    file: 'providers.rate_limit_tavily_per_minute',
    schema: integer(0, 1_000_000),
    default: 100,
    description: 'calls per minute to Tavily (bursts up to twice that, then a FIFO queue); `0` turns it off',
  }),
  rateLimitGithub: setting({
    env: 'RATE_LIMIT_GITHUB_PER_HOUR',
    file: 'providers.rate_limit_github_per_hour',
    schema: integer(0, 1_000_000),
    default: 500,
    description: 'calls per hour to GitHub (bursts up to twice that, then a FIFO queue); `0` turns it off',
  }),
  providerQueueTimeout: setting({
    env: 'PROVIDER_QUEUE_TIMEOUT_MS',
    file: 'providers.queue_timeout_ms',
    schema: integer(0, 3_600_000),
    default: 30_000,
    description:
      "longest wait in a provider's queue; a call whose turn is further away gets 429 `RATE_LIMITED` with `Retry-After` at once",
  }),
  providerCacheTtl: setting({
    env: 'PROVIDER_CACHE_TTL_SECONDS',
    file: 'providers.cache_ttl_seconds',
    schema: integer(0, 7 * 24 * 3600),
    default: 300,
    description:
      'how long the answer of an identical non-streaming provider request is reused (not for `temperature > 0`); `0` turns the cache off',
  }),
  providerCacheMaxEntries: setting({
    env: 'PROVIDER_CACHE_MAX_ENTRIES',
    file: 'providers.cache_max_entries',
    schema: integer(1, 10_000_000),
    default: 1000,
    description: 'most answers the provider cache keeps (the least recently used go first)',
  }),
  providerCacheMaxEntryBytes: setting({
    env: 'PROVIDER_CACHE_MAX_ENTRY_BYTES',
    file: 'providers.cache_max_entry_bytes',
    schema: byteSize(64 * 1024 ** 2),
    default: '256kb',
    description: 'answers larger than this are not cached',
  }),
  openaiTranscriptionModel: setting({
    env: 'OPENAI_TRANSCRIPTION_MODEL',
    file: 'cartrita.openai_transcription_model',
    schema: text,
    default: 'whisper-1',
    description:
      'the model of the `openai` voice provider (on when `OPENAI_API_KEY` is set): `whisper-1` or a `gpt-4o*-transcribe` model',
  }),
  tavilyApiKey: setting({
    env: 'TAVILY_API_KEY',
    file: 'cartrita.tavily_api_key',
    schema: providerKey,
    secret: true,
    description: 'enables the `tavily` web search of `POST /api/search`; never logged',
  }),
  tavilyBaseUrl: setting({
    env: 'TAVILY_BASE_URL',
    file: 'cartrita.tavily_base_url',
    schema: httpUrl,
    default: 'https://api.tavily.com',
    description: "Tavily's API",
  }),
  tavilySearchDepth: setting({
    env: 'TAVILY_SEARCH_DEPTH',
    file: 'cartrita.tavily_search_depth',
    schema: searchDepth,
    default: 'basic',
    description: '`basic` (one credit a search) or `advanced` (two, more relevant snippets)',
  }),
  tavilyTimeout: setting({
    env: 'TAVILY_TIMEOUT_MS',
    file: 'cartrita.tavily_timeout_ms',
    schema: integer(1, 600_000),
    default: 30_000,
    description: 'longest wait for a Tavily answer (502 `PROVIDER_ERROR` past it)',
  }),
  deepgramApiKey: setting({
    env: 'DEEPGRAM_API_KEY',
    file: 'cartrita.deepgram_api_key',
    schema: providerKey,
    secret: true,
    description: 'enables the `deepgram` voice provider; never logged',
  }),
  deepgramBaseUrl: setting({
    env: 'DEEPGRAM_BASE_URL',
    file: 'cartrita.deepgram_base_url',
    schema: httpUrl,
    default: 'https://api.deepgram.com',
    description: "Deepgram's API, or a self-hosted Deepgram",
  }),
  deepgramModel: setting({
    env: 'DEEPGRAM_MODEL',
    file: 'cartrita.deepgram_model',
    schema: text,
    default: 'nova-3',
    description: 'the Deepgram model of a transcription',
  }),
  deepgramTimeout: setting({
    env: 'DEEPGRAM_TIMEOUT_MS',
    file: 'cartrita.deepgram_timeout_ms',
    schema: integer(1, 3_600_000),
    default: 120_000,
    description: 'longest wait for a Deepgram transcript (502 `PROVIDER_ERROR` past it)',
  }),
  voiceProvider: setting({
    env: 'VOICE_PROVIDER',
    file: 'cartrita.voice_provider',
    schema: voiceProvider,
    defaultText: '`deepgram` when its key is set, else `openai`',
    description: 'the voice provider of requests that name none; it must be configured',
  }),
  voiceMaxBytes: setting({
    env: 'VOICE_MAX_BYTES',
    file: 'cartrita.voice_max_bytes',
    schema: byteSize(2 * 1024 ** 3),
    default: '25mb',
    description: 'largest audio `POST /api/voice/process` and `input.transcribe` take (413 above it)',
  }),
  wsConnectionsPerMinute: setting({
    env: 'WS_CONNECTIONS_PER_MINUTE',
    file: 'cartrita.ws_connections_per_minute',
    schema: integer(0, 1_000_000),
    default: 10,
    description: 'new `/ws/chat` connections per minute per IP (429 above it); `0` turns it off',
  }),
  wsHeartbeat: setting({
    env: 'WS_HEARTBEAT_MS',
    file: 'cartrita.ws_heartbeat_ms',
    schema: integer(10, 3_600_000),
    default: 30_000,
    description: 'ping interval of `/ws/chat`; a peer that misses a pong is dropped',
  }),
  sseHeartbeat: setting({
    env: 'SSE_HEARTBEAT_MS',
    file: 'cartrita.sse_heartbeat_ms',
    schema: integer(10, 3_600_000),
    default: 15_000,
    description: 'a `: keep-alive` comment after this long without a frame on the resumable streams',
  }),
  resumeGrace: setting({
    env: 'RESUME_GRACE_MS',
    file: 'cartrita.resume_grace_ms',
    schema: integer(0, 24 * 3_600_000),
    default: 120_000,
    description:
      'how long a streamed reply runs on after its client left, so it can resume with `Last-Event-ID`',
  }),
  maxConcurrentReplies: setting({
    env: 'MAX_CONCURRENT_REPLIES',
    file: 'cartrita.max_concurrent_replies',
    schema: integer(0, 1_000_000),
    default: 10_000,
    description:
      'replies that may stream at once in this process, over every door; past it a new one gets 503 with `Retry-After` before it starts. `0`: no limit',
  }),
  maxConcurrentRepliesPerUser: setting({
    env: 'MAX_CONCURRENT_REPLIES_PER_USER',
    file: 'cartrita.max_concurrent_replies_per_user',
    schema: integer(0, 1_000_000),
    default: 20,
    description:
      'replies one user may have streaming at once (503 with `Retry-After` past it). `0`: no limit',
  }),
  enableMetrics: setting({
    env: 'ENABLE_METRICS',
    file: 'observability.enable_metrics',
    schema: boolean,
    default: true,
    description:
      'record Prometheus metrics and serve them at `GET /metrics` (404 when off); see [observability](observability.md)',
  }),
  enableTracing: setting({
    env: 'ENABLE_TRACING',
    file: 'observability.enable_tracing',
    schema: boolean,
    default: true,
    description:
      'record a span for every request, command, engine call and tool call, stored for `GET /api/observability/traces/{trace_id}` (and sent to Langfuse when it is configured)',
  }),
  observabilityRetentionDays: setting({
    env: 'OBSERVABILITY_RETENTION_DAYS',
    file: 'observability.retention_days',
    schema: integer(0, 36_500),
    default: 7,
    description:
      'days stored log entries and spans are kept; older ones are purged at start-up and every hour. `0` keeps them forever',
  }),
  langfusePublicKey: setting({
    env: 'LANGFUSE_PUBLIC_KEY',
    file: 'observability.langfuse_public_key',
    schema: text,
    description: 'with `LANGFUSE_SECRET_KEY`, sends every span to Langfuse too',
  }),
  langfuseSecretKey: setting({
    env: 'LANGFUSE_SECRET_KEY',
    file: 'observability.langfuse_secret_key',
    schema: providerKey,
    secret: true,
    description: "Langfuse's secret key; never logged",
  }),
  langfuseHost: setting({
    env: 'LANGFUSE_HOST',
    file: 'observability.langfuse_host',
    schema: httpUrl,
    defaultText: '`LANGFUSE_BASE_URL`',
    description: "the Langfuse server under the name Langfuse's own SDKs read; wins over `LANGFUSE_BASE_URL`",
  }),
  langfuseBaseUrl: setting({
    env: 'LANGFUSE_BASE_URL',
    file: 'observability.langfuse_base_url',
    schema: httpUrl,
    default: 'https://cloud.langfuse.com',
    description: 'the Langfuse server; spans go to `<base>/api/public/otel/v1/traces`',
  }),
};

/**
 * The YAML file to read. It is found before any file is read, so it has no YAML key and no schema:
 * `loadConfig` takes the path as given.
 */
export const configFileSetting = {
  env: 'CARTRITA_CONFIG',
  flag: '--config',
  description: 'the YAML file to read',
} as const;

/** The default of a setting as the docs say it, in Markdown: its `defaultText`, its `default`, or `none`. */
export const describeDefault = (entry: Pick<Setting<unknown>, 'default' | 'defaultText'>): string =>
  entry.defaultText ?? (entry.default === undefined ? 'none' : `\`${entry.default}\``);

/** The command-line flags `loadConfig` reads. */
export const configFlags: readonly string[] = [
  ...Object.values(settings).flatMap((entry: Setting<unknown>) => entry.flag ?? []),
  configFileSetting.flag,
];

export const knownFileKeys = new Set(Object.values(settings).map((entry) => entry.file));

/** The canonical form of an http(s) origin without a path, or `undefined`. */
export const normaliseOrigin = (origin: string): string | undefined => {
  if (origin === '*') return '*';
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
};
