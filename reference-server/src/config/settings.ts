/** @module The settings {@link loadConfig} reads: their names in each source and their schemas. */
import * as z from 'zod';
import { assertUniqueNames, createApiKey, parseApiKeys } from '../auth/api-keys.js';
import type { LogLevel, TrustProxy } from '../config.js';
import { parseByteSize } from './byte-size.js';
import { Secret } from './secret.js';

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
  .pipe(z.enum(['demo', 'openai']))
  .describe('must be one of demo, openai');

// Any non-empty value: OpenAI-compatible servers such as Ollama accept any key, so no format is imposed.
const providerKey = z
  .string()
  .trim()
  .min(1)
  .transform((value) => new Secret(value))
  .describe('must be a non-empty string');

/** One setting: its names in each source, its schema and whether its value is a secret. */
export interface Setting<T> {
  env: string;
  file: string;
  flag?: string;
  schema: z.ZodType<T, unknown>;
  secret?: boolean;
}

const setting = <T>(definition: Setting<T>): Setting<T> => definition;

export const settings = {
  host: setting({ env: 'API_HOST', file: 'server.host', flag: '--host', schema: hostname }),
  port: setting({ env: 'API_PORT', file: 'server.port', flag: '--port', schema: integer(0, 65535) }),
  workers: setting({ env: 'API_WORKERS', file: 'server.workers', schema: integer(1, 256) }),
  publicUrl: setting({ env: 'PUBLIC_URL', file: 'cartrita.public_url', schema: httpUrl }),
  trustProxy: setting({ env: 'TRUST_PROXY', file: 'cartrita.trust_proxy', schema: trustProxy }),
  dataDir: setting({ env: 'DATA_DIR', file: 'cartrita.data_dir', flag: '--data-dir', schema: text }),
  databaseUrl: setting({
    env: 'DATABASE_URL',
    file: 'database.url',
    flag: '--database-url',
    schema: databaseUrl,
    secret: true,
  }),
  logLevel: setting({ env: 'LOG_LEVEL', file: 'logging.level', flag: '--log-level', schema: logLevel }),
  logFile: setting({ env: 'LOG_FILE', file: 'logging.file', schema: text }),
  apiKeySecret: setting({
    env: 'API_KEY_SECRET',
    file: 'security.api_key_secret',
    schema: signingSecret,
    secret: true,
  }),
  corsOrigins: setting({ env: 'CORS_ORIGINS', file: 'security.cors_origins', schema: originList }),
  apiKeys: setting({ env: 'API_KEYS', file: 'cartrita.api_keys', schema: apiKeys, secret: true }),
  requireApiKeyForSessions: setting({
    env: 'REQUIRE_API_KEY_FOR_SESSIONS',
    file: 'cartrita.require_api_key_for_sessions',
    schema: boolean,
  }),
  enableMetrics: setting({ env: 'ENABLE_METRICS', file: 'observability.enable_metrics', schema: boolean }),
  enableTracing: setting({ env: 'ENABLE_TRACING', file: 'observability.enable_tracing', schema: boolean }),
  sessionTtl: setting({
    env: 'SESSION_TTL_SECONDS',
    file: 'cartrita.session_ttl_seconds',
    schema: integer(1, 30 * 24 * 3600),
  }),
  rateLimit: setting({
    env: 'RATE_LIMIT_PER_MINUTE',
    file: 'cartrita.rate_limit_per_minute',
    schema: integer(0, 1_000_000),
  }),
  rateLimitAuthenticated: setting({
    env: 'RATE_LIMIT_AUTHENTICATED_PER_MINUTE',
    file: 'cartrita.rate_limit_authenticated_per_minute',
    schema: integer(0, 10_000_000),
  }),
  authFailuresPerMinute: setting({
    env: 'AUTH_FAILURES_PER_MINUTE',
    file: 'cartrita.auth_failures_per_minute',
    schema: integer(0, 1_000_000),
  }),
  wsConnectionsPerMinute: setting({
    env: 'WS_CONNECTIONS_PER_MINUTE',
    file: 'cartrita.ws_connections_per_minute',
    schema: integer(0, 1_000_000),
  }),
  wsHeartbeat: setting({
    env: 'WS_HEARTBEAT_MS',
    file: 'cartrita.ws_heartbeat_ms',
    schema: integer(10, 3_600_000),
  }),
  sseHeartbeat: setting({
    env: 'SSE_HEARTBEAT_MS',
    file: 'cartrita.sse_heartbeat_ms',
    schema: integer(10, 3_600_000),
  }),
  resumeGrace: setting({
    env: 'RESUME_GRACE_MS',
    file: 'cartrita.resume_grace_ms',
    schema: integer(0, 24 * 3_600_000),
  }),
  bodyLimit: setting({ env: 'BODY_LIMIT', file: 'cartrita.body_limit', schema: byteSize(1024 ** 3) }),
  uploadMaxBytes: setting({
    env: 'UPLOAD_MAX_BYTES',
    file: 'cartrita.upload_max_bytes',
    schema: byteSize(16 * 1024 ** 3),
  }),
  uploadAllowedTypes: setting({
    env: 'UPLOAD_ALLOWED_TYPES',
    file: 'cartrita.upload_allowed_types',
    schema: mimeList,
  }),
  demoPace: setting({ env: 'DEMO_PACE_MS', file: 'cartrita.demo_pace_ms', schema: integer(0, 60_000) }),
  chatProvider: setting({ env: 'CHAT_PROVIDER', file: 'cartrita.chat_provider', schema: chatProvider }),
  openaiApiKey: setting({
    env: 'OPENAI_API_KEY',
    file: 'cartrita.openai_api_key',
    schema: providerKey,
    secret: true,
  }),
  openaiBaseUrl: setting({ env: 'OPENAI_BASE_URL', file: 'cartrita.openai_base_url', schema: httpUrl }),
  openaiModel: setting({ env: 'OPENAI_MODEL', file: 'cartrita.openai_model', schema: text }),
  openaiTemperature: setting({
    env: 'OPENAI_TEMPERATURE',
    file: 'cartrita.openai_temperature',
    schema: decimal(0, 2),
  }),
  openaiTopP: setting({ env: 'OPENAI_TOP_P', file: 'cartrita.openai_top_p', schema: decimal(0, 1) }),
  openaiMaxTokens: setting({
    env: 'OPENAI_MAX_TOKENS',
    file: 'cartrita.openai_max_tokens',
    schema: integer(1, 10_000_000),
  }),
  openaiTimeout: setting({
    env: 'OPENAI_TIMEOUT_MS',
    file: 'cartrita.openai_timeout_ms',
    schema: integer(1, 3_600_000),
  }),
};

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
