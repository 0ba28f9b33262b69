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

/** Query parameters whose values never reach a log line. */
const secretParams = new Set(['access_token', 'client_secret', 'api_key', 'token']);

/**
 * Replaces the values of credential-carrying query parameters (`access_token`, `client_secret`,
 * `api_key`, `token`) with `[REDACTED]`, leaving the rest of the URL as it was.
 *
 * @example
 * redactUrl('/api/chat/stream?message=hi&access_token=cks_abc'); // '/api/chat/stream?message=hi&access_token=[REDACTED]'
 */
export const redactUrl = (url: string): string => {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const hashStart = url.indexOf('#', queryStart);
  const query = url.slice(queryStart + 1, hashStart === -1 ? undefined : hashStart);
  const redacted = query
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0] as string;
      let decoded: string;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        decoded = name;
      }
      return secretParams.has(decoded.toLowerCase()) ? `${name}=[REDACTED]` : pair;
    })
    .join('&');
  return `${url.slice(0, queryStart + 1)}${redacted}${hashStart === -1 ? '' : url.slice(hashStart)}`;
};

/** How a request appears in a log line: no headers, the URL redacted. */
export const serializeRequest = (req: IncomingMessage & { id?: unknown; originalUrl?: string }) => ({
  id: req.id,
  method: req.method,
  url: redactUrl(req.originalUrl ?? req.url ?? ''),
  remoteAddress: req.socket?.remoteAddress,
});

/**
 * Creates the server's logger from the logging configuration: JSON lines to standard output, or to
 * `file` when set. Credentials are redacted (see {@link redactPaths}); a `req` field is reduced to
 * method, redacted URL, id and address; an `err` field keeps its stack for the log only.
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
        isRequest(req) ? serializeRequest(req) : (req as Record<string, unknown> | undefined),
    },
    ...(options.base === undefined ? {} : { base: options.base }),
  };
  return destination === undefined ? pino(settings) : pino(settings, destination);
};

const isRequest = (value: unknown): value is IncomingMessage =>
  typeof value === 'object' && value !== null && 'socket' in value && 'method' in value && 'headers' in value;
