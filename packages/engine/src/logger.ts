/** @module The logger the engine writes to: a port, so the server can hand it pino and the mocks nothing. */

/** One logging method: structured fields first, then the message (pino's order). */
export type LogMethod = (fields: Record<string, unknown>, message: string) => void;

/** Where the engine logs. Any pino logger fits. */
export interface EngineLogger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

/** A logger that drops everything, for the mocks and tests. */
export const silentLogger: EngineLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
