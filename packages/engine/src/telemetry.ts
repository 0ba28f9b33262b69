/**
 * @module The telemetry port: spans and counters the engine records as it works. The server maps
 * them to OpenTelemetry spans (stored and read back by trace id) and Prometheus metrics; by default
 * they go nowhere.
 */

/** Attribute values of a span or labels of a metric. */
export type Attributes = Readonly<Record<string, string | number | boolean | undefined>>;

/** A span in progress. */
export interface TelemetrySpan {
  /** The trace this span belongs to (32 hex characters), to write beside logs and answers. */
  readonly traceId: string;
  setAttributes(attributes: Attributes): void;
  /** Marks the span as failed with the error. */
  fail(error: unknown): void;
}

/** Where the engine's spans and metrics go. */
export interface Telemetry {
  /**
   * Runs `fn` inside a span named `name` (a child of the current span, if any), ending it when `fn`
   * settles and marking it failed when `fn` throws.
   */
  span<T>(name: string, attributes: Attributes, fn: (span: TelemetrySpan) => Promise<T>): Promise<T>;
  /** The current trace id, if a span is active. */
  traceId(): string | undefined;
  /** Adds to a counter (`cartrita_commands_total`, ...). */
  count(name: string, labels?: Attributes, value?: number): void;
  /** Records an observation of a histogram (`cartrita_command_duration_seconds`, ...). */
  observe(name: string, value: number, labels?: Attributes): void;
  /** Records a log entry (stored, listed by `GET /api/observability/logs`) with the current trace id. */
  log(entry: TelemetryLog): void;
}

/** A log entry the engine records. */
export interface TelemetryLog {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  session_id?: string;
  metadata?: Record<string, unknown>;
}

/**
 * Attribute names the engine sets on its spans, so what reads spans back (per-session metrics) finds
 * them. `kind` is what the span is; `status` the outcome of a command, tool call or engine call.
 */
export const spanAttributes = {
  kind: 'cartrita.kind',
  sessionId: 'cartrita.session_id',
  status: 'cartrita.status',
  commandType: 'cartrita.command_type',
  commandId: 'cartrita.command_id',
  toolName: 'cartrita.tool_name',
  engineId: 'cartrita.engine_id',
  provider: 'cartrita.provider',
  inputTokens: 'cartrita.tokens.input',
  outputTokens: 'cartrita.tokens.output',
  /** Milliseconds user code ran in the sandbox within this span. */
  sandboxMs: 'cartrita.sandbox_ms',
} as const;

/** The kinds of span the engine records (the value of {@link spanAttributes}.kind). */
export type SpanKind = 'request' | 'command' | 'engine' | 'tool' | 'handler' | 'sandbox';

/** Telemetry that records nothing; spans still run their function. */
export const noTelemetry: Telemetry = {
  span: (_name, _attributes, fn) => fn({ traceId: '', setAttributes: () => {}, fail: () => {} }),
  traceId: () => undefined,
  count: () => {},
  observe: () => {},
  log: () => {},
};
