/** @module The server's pino logger, with credentials redacted. */
import type { IncomingMessage } from 'node:http';
import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

/** The logging part of the configuration. */
export interface LoggerConfig {
  level: LogLevel;
  /** Write to this file (its directory is created) instead of standard output. */
  file?: string;
}

/** Options of {@link createLogger} for tests and embedding. */
export interface CreateLoggerOptions {
  /** Write here instead of standard output or `file`: tests pass a stream they can read. */
  destination?: DestinationStream;
  /** Fields added to every line. */
  base?: Record<string, unknown>;
  /** Recognises credentials of shapes {@link redactUrl} does not know, such as configured API keys. */
  isSecret?: (value: string) => boolean;
  /** The trace id of the code logging now, written as `trace_id` on its lines. */
  traceId?: () => string | undefined;
}

/**
 * Paths pino replaces with `[REDACTED]`. Wildcards in pino cover exactly one level, hence the
 * repeated forms.
 */
export const redactPaths: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-session-token"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-session-token"]',
  'headers.cookie',
  'res.headers["set-cookie"]',
  ...[
    'client_secret',
    'api_key',
    'apiKey',
    'apiKeySecret',
    'api_key_secret',
    'access_token',
    'password',
  ].flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

/**
 * Names of URL parameters that carry credentials, whatever their spelling: any name with one of
 * these words (`key`, `apikey`, `api_key`, `access_token`, `session_token`, `password`, `auth`,
 * `client_secret`, `signature`, ...) or exactly `sig`, the signature of a signed attachment URL.
 */
const secretName = /key|token|secret|passw|pwd|auth|credential|signature|^sig$/i;

/** A value in the shape of one of our credentials: an API key (`ck_`) or a client secret (`cks_`). */
const credentialShape = /(?:^|[^A-Za-z0-9])cks?_[A-Za-z0-9_.-]{16,}/;

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};

/** Options of {@link redactUrl}. */
export interface RedactOptions {
  /** Also treats a value as a credential when this says so (the server matches its configured keys). */
  isSecret?: (value: string) => boolean;
}

/**
 * Replaces every credential in a URL with `[REDACTED]`, wherever it stands: the value of any query
 * or `;` path parameter whose name looks like a credential's, and any path segment or parameter
 * value that is one (a value in the shape of our API keys or client secrets, or one that
 * `options.isSecret` recognises, such as a configured key of another shape). The rest of the URL
 * stays as it was.
 *
 * @example
 * redactUrl('/api/chat/stream?message=hi&access_token=cks_abc'); // '/api/chat/stream?message=hi&access_token=[REDACTED]'
 * redactUrl('/files;apikey=42/x?password=hunter2'); // '/files;apikey=[REDACTED]/x?password=[REDACTED]'
 */
export const redactUrl = (url: string, options: RedactOptions = {}): string => {
  const isSecret = (value: string) => {
    if (value === '') return false;
    const decoded = decode(value);
    return credentialShape.test(decoded) || options.isSecret?.(decoded) === true;
  };
  const pair = (text: string): string => {
    const equals = text.indexOf('=');
    if (equals === -1) return isSecret(text) ? '[REDACTED]' : text;
    const name = text.slice(0, equals);
    const value = text.slice(equals + 1);
    return secretName.test(decode(name)) || isSecret(value) ? `${name}=[REDACTED]` : text;
  };
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const redactedPath = path
    .split('/')
    .map((segment) => {
      const [head = '', ...params] = segment.split(';');
      return [isSecret(head) ? '[REDACTED]' : head, ...params.map(pair)].join(';');
    })
    .join('/');
  if (queryStart === -1) return redactedPath;
  const hashStart = url.indexOf('#', queryStart);
  const query = url.slice(queryStart + 1, hashStart === -1 ? undefined : hashStart);
  const redactedQuery = query
    .split('&')
    .map((part) => part.split(';').map(pair).join(';'))
    .join('&');
  return `${redactedPath}?${redactedQuery}${hashStart === -1 ? '' : url.slice(hashStart)}`;
};

/** How a request appears in a log line: no headers, the URL redacted. */
export const serializeRequest = (
  req: IncomingMessage & { id?: unknown; originalUrl?: string },
  options: RedactOptions = {},
) => ({
  id: req.id,
  method: req.method,
  url: redactUrl(req.originalUrl ?? req.url ?? '', options),
  remoteAddress: req.socket?.remoteAddress,
});

/** Adds `trace_id` to the lines logged inside a trace. */
const traceMixin = (traceId: () => string | undefined) => (): Record<string, string> => {
  const id = traceId();
  return id === undefined ? {} : { trace_id: id };
};

/**
 * Creates the server's logger from the logging configuration: JSON lines to standard output, or to
 * `file` when set. Credentials are redacted (see {@link redactPaths}); a `req` field is reduced to
 * method, redacted URL, id and address; an `err` field keeps its stack for the log only; lines
 * logged inside a trace carry its `trace_id` when `options.traceId` is given.
 *
 * @example
 * const logger = createLogger(config.logging);
 * logger.info({ req }, 'request finished');
 */
export const createLogger = (config: LoggerConfig, options: CreateLoggerOptions = {}): Logger => {
  const destination =
    options.destination ??
    (config.file === undefined
      ? undefined
      : pino.destination({ dest: config.file, mkdir: true, sync: false }));
  const settings = {
    level: config.level,
    redact: { paths: [...redactPaths], censor: '[REDACTED]' },
    serializers: {
      err: pino.stdSerializers.err,
      req: (req: unknown) =>
        isRequest(req)
          ? serializeRequest(req, options.isSecret ? { isSecret: options.isSecret } : {})
          : (req as Record<string, unknown> | undefined),
    },
    ...(options.base === undefined ? {} : { base: options.base }),
    ...(options.traceId === undefined ? {} : { mixin: traceMixin(options.traceId) }),
  };
  return destination === undefined ? pino(settings) : pino(settings, destination);
};

const isRequest = (value: unknown): value is IncomingMessage =>
  typeof value === 'object' && value !== null && 'socket' in value && 'method' in value && 'headers' in value;
