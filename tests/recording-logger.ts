/** @module A logger for tests that keeps what it is told, to assert on. */
import type { EngineLogger } from '@cartrita/engine';

/** One logged line. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

/** A logger (it fits wherever a pino logger or `EngineLogger` is taken) that records every line. */
export interface RecordingLogger extends EngineLogger {
  readonly entries: LogEntry[];
  /** The messages logged at `level`, in order. */
  messages(level: LogEntry['level']): string[];
}

/** Makes a {@link RecordingLogger}. */
export function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (fields: Record<string, unknown>, message: string): void => {
      entries.push({ level, fields, message });
    };
  return {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    messages: (level) => entries.filter((entry) => entry.level === level).map((entry) => entry.message),
  };
}
