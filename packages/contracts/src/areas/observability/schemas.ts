/**
 * @module The observability area's schemas (seed 001): stored logs, per-session metrics computed
 * from stored spans and logs, and traces read back by id.
 */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';

/** The levels of a log entry, lowest first: a `level` filter keeps that level and those after it. */
export const logLevels = ['debug', 'info', 'warn', 'error'] as const;

/** How severe a log entry is. */
export const LogLevel = z.enum(logLevels);
export type LogLevel = z.infer<typeof LogLevel>;

/** The longest log message, in characters. */
export const MAX_LOG_MESSAGE_LENGTH = 10_000;

/** The most log entries one `GET /api/observability/logs` answers. */
export const MAX_LOG_PAGE = 1000;

/** The log entries `GET /api/observability/logs` answers when the query names no `limit`. */
export const DEFAULT_LOG_PAGE = 100;

/** A free-form JSON object; `null` values are left out when it is stored, as everywhere on the wire. */
const Metadata = z.record(z.string(), z.unknown());

/**
 * A stored log entry. `session_id` is absent for entries of no session, `trace_id` when the entry
 * was recorded outside any trace (or with tracing turned off).
 */
export const LogEntry = z.object({
  log_id: z.string(),
  level: LogLevel,
  message: z.string(),
  metadata: Metadata,
  session_id: z.optional(z.string()),
  trace_id: z.optional(z.string()),
  timestamp: Timestamp,
});
export type LogEntry = z.infer<typeof LogEntry>;

/** `GET /api/observability/logs` query. */
export const LogListQuery = z.object({
  /** Keeps entries of this level and above (debug < info < warn < error). */
  level: z.optional(LogLevel),
  session_id: z.optional(/*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(200))),
  limit: z._default(
    /*#__PURE__*/ z.coerce.number<number>().check(z.int(), z.minimum(1), z.maximum(MAX_LOG_PAGE)),
    DEFAULT_LOG_PAGE,
  ),
});
export type LogListQuery = z.infer<typeof LogListQuery>;

/** `GET /api/observability/logs`: the newest matching entries first, and how many match in all. */
export const LogList = z.object({
  logs: z.array(LogEntry),
  total: /*#__PURE__*/ z.int().check(z.minimum(0)),
});
export type LogList = z.infer<typeof LogList>;

/** `POST /api/observability/logs` body. */
export const LogCreateRequest = z.object({
  level: LogLevel,
  message: /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(MAX_LOG_MESSAGE_LENGTH)),
  metadata: z.optional(Metadata),
  session_id: z.optional(/*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(200))),
});
export type LogCreateRequest = z.infer<typeof LogCreateRequest>;

/** `GET /api/observability/metrics` query. */
export const MetricsQuery = z.object({
  session_id: z.optional(/*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(200))),
});
export type MetricsQuery = z.infer<typeof MetricsQuery>;

const count = /*#__PURE__*/ z.int().check(z.minimum(0));

/** Commands by state: waiting and running now, and finished by outcome. */
export const CommandCounts = z.object({
  queued: count,
  executing: count,
  completed: count,
  failed: count,
  timeout: count,
  cancelled: count,
});
export type CommandCounts = z.infer<typeof CommandCounts>;

/** Latency percentiles of finished commands in milliseconds (nearest rank); 0 when none finished. */
export const LatencyPercentiles = z.object({
  p50: /*#__PURE__*/ z.number().check(z.minimum(0)),
  p95: /*#__PURE__*/ z.number().check(z.minimum(0)),
  p99: /*#__PURE__*/ z.number().check(z.minimum(0)),
});
export type LatencyPercentiles = z.infer<typeof LatencyPercentiles>;

/** Calls and how many of them failed. */
export const CallCounts = z.object({ total: count, failed: count });
export type CallCounts = z.infer<typeof CallCounts>;

/**
 * `GET /api/observability/metrics`: one session's figures (or every session's without
 * `session_id`), computed from the stored spans and logs, so every instance over one database
 * answers the same.
 */
export const ObservabilityMetrics = z.object({
  session_id: z.optional(z.string()),
  commands: CommandCounts,
  command_latency_ms: LatencyPercentiles,
  engine_calls: CallCounts,
  tokens: z.object({ input: count, output: count }),
  tool_calls: CallCounts,
  /** Upstream provider calls (OpenAI, Tavily, ...): answered from the cache included, refused with 429 counted as failed. */
  provider_calls: CallCounts,
  /** Milliseconds user code ran in the sandbox. */
  sandbox_ms: /*#__PURE__*/ z.number().check(z.minimum(0)),
  logs: z.object({ debug: count, info: count, warn: count, error: count }),
  /** When the figures were computed. */
  timestamp: Timestamp,
});
export type ObservabilityMetrics = z.infer<typeof ObservabilityMetrics>;

/** `GET /api/observability/traces/{trace_id}` path. */
export const TraceParams = z.object({
  trace_id: /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(64)),
});

/** A span attribute's value, as OpenTelemetry allows it. */
export const AttributeValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
]);
export type AttributeValue = z.infer<typeof AttributeValue>;

/** How a span ended: `error` when it failed, `ok` when marked so, `unset` otherwise. */
export const SpanStatus = z.object({
  code: z.enum(['unset', 'ok', 'error']),
  message: z.optional(z.string()),
});
export type SpanStatus = z.infer<typeof SpanStatus>;

/** One span of a trace. `parent_span_id` is absent on the trace's root. */
export const TraceSpan = z.object({
  span_id: z.string(),
  parent_span_id: z.optional(z.string()),
  name: z.string(),
  start_time: Timestamp,
  end_time: Timestamp,
  attributes: z.record(z.string(), AttributeValue),
  status: SpanStatus,
});
export type TraceSpan = z.infer<typeof TraceSpan>;

/** `GET /api/observability/traces/{trace_id}`: the trace's spans, in order of their start. */
export const Trace = z.object({
  trace_id: z.string(),
  spans: z.array(TraceSpan),
});
export type Trace = z.infer<typeof Trace>;

/** The content type of the Prometheus text exposition format that `GET /metrics` answers in. */
export const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';
