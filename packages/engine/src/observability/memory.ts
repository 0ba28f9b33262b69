/**
 * @module The observability area's repositories in memory, by the SQL repositories' rules (the
 * shared repository suite runs on both): newest first by timestamp then arrival, one copy of a
 * span, totals by kind and outcome.
 */
import type { LogLevel } from '@cartrita/contracts';
import type {
  LogStore,
  ObservabilityRepositories,
  SpanStore,
  SpanTotalsRow,
  StoredLog,
  StoredSpan,
} from './repositories.js';
import { type SpanFacts, spanFacts } from './span-facts.js';

/** A copy a caller may change without changing what is stored, as a row read from a database. */
const copy = <T>(value: T): T => structuredClone(value);

/** The observability repositories in memory, and a way to forget everything. */
export interface MemoryObservabilityRepositories extends ObservabilityRepositories {
  /** Forgets every log entry and span. */
  clear(): void;
}

/**
 * The observability area's repositories over one in-memory state.
 *
 * @example
 * const { logs, spans } = createMemoryObservabilityRepositories();
 */
export const createMemoryObservabilityRepositories = (): MemoryObservabilityRepositories => {
  /** Log entries in order of arrival. */
  let logRows: StoredLog[] = [];
  /** Spans by `<trace id> <span id>`, with their facts. */
  const spanRows = new Map<string, { span: StoredSpan; facts: SpanFacts }>();

  const matches = (log: StoredLog, levels: readonly LogLevel[] | undefined, sessionId?: string) =>
    (levels === undefined || levels.includes(log.level)) &&
    (sessionId === undefined || log.session_id === sessionId);

  const logs: LogStore = {
    async append(log) {
      if (logRows.some((row) => row.log_id === log.log_id)) {
        throw new Error(`A log entry ${log.log_id} already exists`);
      }
      logRows.push(copy(log));
    },
    async list(filter, limit) {
      const matching = logRows
        .map((log, arrival) => ({ log, arrival }))
        .filter(({ log }) => matches(log, filter.levels, filter.session_id));
      // Newest first: by timestamp, then by arrival for entries of the same millisecond.
      matching.sort((a, b) =>
        a.log.timestamp === b.log.timestamp
          ? b.arrival - a.arrival
          : a.log.timestamp < b.log.timestamp
            ? 1
            : -1,
      );
      return { logs: matching.slice(0, limit).map(({ log }) => copy(log)), total: matching.length };
    },
    async countByLevel(sessionId) {
      const counts: Partial<Record<LogLevel, number>> = {};
      for (const log of logRows) {
        if (matches(log, undefined, sessionId)) counts[log.level] = (counts[log.level] ?? 0) + 1;
      }
      return counts;
    },
    async purgeBefore(time) {
      const before = logRows.length;
      logRows = logRows.filter((log) => log.timestamp >= time);
      return before - logRows.length;
    },
  };

  const ofSession = (facts: SpanFacts, sessionId?: string) =>
    sessionId === undefined || facts.session_id === sessionId;

  const spans: SpanStore = {
    async append(batch) {
      for (const span of batch) {
        const key = `${span.trace_id} ${span.span_id}`;
        if (!spanRows.has(key)) spanRows.set(key, { span: copy(span), facts: spanFacts(span) });
      }
    },
    async trace(traceId) {
      return [...spanRows.values()]
        .filter(({ span }) => span.trace_id === traceId)
        .map(({ span }) => copy(span));
    },
    async totals(sessionId) {
      const rows = new Map<string, SpanTotalsRow>();
      for (const { facts } of spanRows.values()) {
        if (!ofSession(facts, sessionId)) continue;
        const key = `${facts.kind ?? ''} ${facts.outcome ?? ''}`;
        let row = rows.get(key);
        if (!row) {
          row = {
            ...(facts.kind === undefined ? {} : { kind: facts.kind }),
            ...(facts.outcome === undefined ? {} : { outcome: facts.outcome }),
            count: 0,
            input_tokens: 0,
            output_tokens: 0,
            sandbox_ms: 0,
          };
          rows.set(key, row);
        }
        row.count += 1;
        row.input_tokens += facts.input_tokens;
        row.output_tokens += facts.output_tokens;
        row.sandbox_ms += facts.sandbox_ms;
      }
      return [...rows.values()];
    },
    async durationAt(filter, offset) {
      const durations = [...spanRows.values()]
        .filter(({ facts }) => facts.kind === filter.kind && ofSession(facts, filter.session_id))
        .map(({ span }) => span.duration_ms)
        .sort((a, b) => a - b);
      return durations[offset];
    },
    async purgeBefore(time) {
      let purged = 0;
      for (const [key, { span }] of spanRows) {
        if (span.end_time < time) {
          spanRows.delete(key);
          purged += 1;
        }
      }
      return purged;
    },
  };

  return {
    logs,
    spans,
    clear() {
      logRows = [];
      spanRows.clear();
    },
  };
};
