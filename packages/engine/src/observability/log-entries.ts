/** @module How a log entry is made and filtered: one rule for the API, the engine and every store. */
import { type LogLevel, logLevels, MAX_LOG_MESSAGE_LENGTH } from '@cartrita/contracts';
import { newId } from '../ids.js';
import type { StoredLog } from './repositories.js';

/** What a new log entry is made of. */
export interface LogInput {
  level: LogLevel;
  message: string;
  metadata?: Record<string, unknown> | undefined;
  session_id?: string | undefined;
}

/**
 * `value` without `null`s: object fields that are `null` (or `undefined`) are left out, and so are
 * `null` items of arrays, as the wire omits them everywhere. Values JSON cannot hold (functions,
 * symbols, bigints) are left out too.
 */
export const withoutNulls = (value: unknown): unknown => {
  if (Array.isArray(value)) {
    return value.filter((item) => item !== null && item !== undefined).map(withoutNulls);
  }
  if (typeof value === 'object' && value !== null) {
    if (value instanceof Date) return value.toISOString();
    // `fromEntries` defines every key as its own, `__proto__` included, as JSON.parse does.
    return Object.fromEntries(
      Object.entries(value)
        .map(([key, entry]) => [key, entry === null ? undefined : withoutNulls(entry)] as const)
        .filter(([, entry]) => entry !== undefined),
    );
  }
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return undefined;
  return value;
};

/** The levels a `level` filter keeps: that level and every more severe one. */
export const levelsFrom = (level: LogLevel): LogLevel[] => logLevels.slice(logLevels.indexOf(level));

/**
 * A new log entry: a `log_` id, the message cut to {@link MAX_LOG_MESSAGE_LENGTH} characters,
 * metadata without `null`s, and the trace it was recorded in.
 *
 * @example
 * newLogEntry({ level: 'info', message: 'Command queued' }, { traceId, timestamp: new Date() });
 */
export const newLogEntry = (
  input: LogInput,
  context: { traceId?: string | undefined; timestamp: Date },
): StoredLog => {
  const metadata = withoutNulls(input.metadata ?? {});
  return {
    log_id: newId('log', 8),
    level: input.level,
    message: input.message.slice(0, MAX_LOG_MESSAGE_LENGTH),
    metadata: (typeof metadata === 'object' && !Array.isArray(metadata) ? metadata : {}) as Record<
      string,
      unknown
    >,
    ...(input.session_id ? { session_id: input.session_id } : {}),
    ...(context.traceId ? { trace_id: context.traceId } : {}),
    timestamp: context.timestamp.toISOString(),
  };
};
