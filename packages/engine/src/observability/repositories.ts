/**
 * @module The observability area's repositories: stored log entries and stored spans, read back by
 * trace id and summed up for the metrics.
 */
import type { AttributeValue, LogEntry, LogLevel, SpanStatus } from '@cartrita/contracts';

/** A stored log entry: what `GET /api/observability/logs` answers. */
export type StoredLog = LogEntry;

/** A finished span as it is stored. */
export interface StoredSpan {
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
  name: string;
  start_time: string;
  end_time: string;
  /** How long it ran, in milliseconds (finer than the two times). */
  duration_ms: number;
  attributes: Record<string, AttributeValue>;
  status: SpanStatus;
}

/** Which log entries a list or count covers. */
export interface LogFilter {
  /** Only these levels; every level when absent. */
  levels?: readonly LogLevel[];
  session_id?: string;
}

/** Log entries, newest first. */
export interface LogStore {
  /** Stores an entry; its `log_id` is new. */
  append(log: StoredLog): Promise<void>;
  /** The `limit` newest matching entries (by timestamp, then by arrival), and how many match in all. */
  list(filter: LogFilter, limit: number): Promise<{ logs: StoredLog[]; total: number }>;
  /** How many entries of each level (of one session, or all); levels without entries are left out. */
  countByLevel(sessionId?: string): Promise<Partial<Record<LogLevel, number>>>;
  /** Deletes the entries whose timestamp is before `time` (stored form); returns how many. */
  purgeBefore(time: string): Promise<number>;
}

/**
 * Span counts and sums of one kind and outcome (see `spanFacts`): a row of
 * {@link SpanStore.totals}.
 */
export interface SpanTotalsRow {
  /** `cartrita.kind`, absent for spans without one. */
  kind?: string;
  /** The outcome (`completed`, `failed`, ...), absent for spans without one. */
  outcome?: string;
  count: number;
  input_tokens: number;
  output_tokens: number;
  sandbox_ms: number;
}

/** Finished spans, by trace and by session. */
export interface SpanStore {
  /** Stores spans; one already stored (same trace and span id) is kept as it was. */
  append(spans: readonly StoredSpan[]): Promise<void>;
  /** Every span of a trace, in no particular order; empty for an unknown trace. */
  trace(traceId: string): Promise<StoredSpan[]>;
  /** Counts and sums by kind and outcome, of one session's spans or of all. */
  totals(sessionId?: string): Promise<SpanTotalsRow[]>;
  /**
   * The duration (ms) at `offset` (0-based) when the spans of `kind` (of one session, or all) are
   * sorted by duration, shortest first; `undefined` past the end.
   */
  durationAt(filter: { kind: string; session_id?: string }, offset: number): Promise<number | undefined>;
  /** Deletes the spans that ended before `time` (stored form); returns how many. */
  purgeBefore(time: string): Promise<number>;
}

/** Every repository of the observability area. */
export interface ObservabilityRepositories {
  readonly logs: LogStore;
  readonly spans: SpanStore;
}
