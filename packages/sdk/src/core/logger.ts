/**
 * @module The SDK's log: off by default in browsers, `CARTRITA_LOG` in Node; what it writes never
 * carries a credential.
 */

/** How much the client logs, from nothing to every request. */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/** Where log lines go: `console` by default, or pino, winston, or anything with these four methods. */
export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

const levels: readonly LogLevel[] = ['off', 'error', 'warn', 'info', 'debug'];

/** The level from the environment (`CARTRITA_LOG`), where there is one; `off` otherwise. */
const environmentLevel = (): LogLevel => {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.CARTRITA_LOG;
  const level = value?.trim().toLowerCase();
  return levels.includes(level as LogLevel) ? (level as LogLevel) : 'off';
};

const secretParameter = /^(access_token|token|api_?key|key|secret|client_secret|password|signature|sig)$/i;

/** A URL without credentials: secret-looking query parameters and client secrets replaced. */
export const redactUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    for (const name of [...parsed.searchParams.keys()]) {
      if (secretParameter.test(name)) parsed.searchParams.set(name, '[redacted]');
    }
    parsed.username = '';
    parsed.password = '';
    return redactText(parsed.toString()).replaceAll('%5Bredacted%5D', '[redacted]');
  } catch {
    return redactText(url);
  }
};

/** Text without the tokens the SDK knows the shape of (client secrets, API keys after `Bearer`). */
export const redactText = (text: string): string =>
  text.replace(/cks_[A-Za-z0-9._~-]+/g, 'cks_[redacted]').replace(/(Bearer\s+)\S+/gi, '$1[redacted]');

/** Headers as a log shows them: credentials replaced. */
export const redactHeaders = (headers: Headers): Record<string, string> => {
  const shown: Record<string, string> = {};
  headers.forEach((value, name) => {
    shown[name] = /^(authorization|x-api-key|cookie|set-cookie|proxy-authorization)$/i.test(name)
      ? '[redacted]'
      : redactText(value);
  });
  return shown;
};

/** A logger that writes only at `level` and above, and says whether a level is written at all. */
export interface LevelLogger extends Logger {
  /** Whether lines of `level` are written: skip building what would be dropped. */
  enabled(level: Exclude<LogLevel, 'off'>): boolean;
}

/** A logger that writes only at `level` and above. */
export const levelLogger = (level: LogLevel | undefined, logger: Logger | undefined): LevelLogger => {
  const threshold = levels.indexOf(level ?? environmentLevel());
  const target = logger ?? console;
  // On the console, lines say where they come from; a logger of the caller's own knows.
  const prefix = logger ? '' : '[cartrita] ';
  const at = (name: Exclude<LogLevel, 'off'>) =>
    levels.indexOf(name) <= threshold
      ? (message: string, fields?: Record<string, unknown>) =>
          fields === undefined
            ? target[name](`${prefix}${message}`)
            : target[name](`${prefix}${message}`, fields)
      : () => {};
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    enabled: (name) => levels.indexOf(name) <= threshold,
  };
};
