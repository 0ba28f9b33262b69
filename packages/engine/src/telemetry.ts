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

/** Options of {@link Telemetry.span}. */
export interface SpanOptions {
  /**
   * The span to nest under instead of the active one: for work that a span started but that runs
   * after it (a queued command), and on hosts that cannot follow the active span across `await`
   * (browsers). `null` starts a new trace.
   */
  parent?: TelemetrySpan | null;
}

/** Where the engine's spans and metrics go. */
export interface Telemetry {
  /**
   * Runs `fn` inside a span named `name` (a child of the current span, if any, or of
   * `options.parent`), ending it when `fn` settles and marking it failed when `fn` throws.
   */
  span<T>(
    name: string,
    attributes: Attributes,
    fn: (span: TelemetrySpan) => Promise<T>,
    options?: SpanOptions,
  ): Promise<T>;
  /** The current trace id, if a span is active. */
  traceId(): string | undefined;
  /** Adds to a counter (`cartrita_commands_total`, ...). */
  count(name: string, labels?: Attributes, value?: number): void;
  /** Records an observation of a histogram (`cartrita_command_duration_seconds`, ...). */
  observe(name: string, value: number, labels?: Attributes): void;
  /** Records a log entry (stored, listed by `GET /api/observability/logs`) with the current trace id. */
  log(entry: TelemetryLog): void;
  /**
   * Resolves once every span that ended and every log entry recorded so far is stored, for reads
   * that must see them (a trace read right after its request). Absent when nothing is buffered.
   */
  flush?(): Promise<void>;
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
  /** The route of the table a request span served (`observability.logs.list`). */
  routeId: 'cartrita.route_id',
  /** The request id of a request span (`X-Request-Id`). */
  requestId: 'cartrita.request_id',
} as const;

/** The kinds of span the engine records (the value of {@link spanAttributes}.kind). */
export type SpanKind = 'request' | 'command' | 'engine' | 'tool' | 'handler' | 'sandbox' | 'provider';

/** The kind of a metric, as Prometheus knows it. */
export type MetricType = 'counter' | 'histogram';

/** A metric the engine or the server records: its name, kind, help text and label names. */
export interface MetricDefinition {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  /** The only labels it takes; others are dropped. */
  readonly labels: readonly string[];
  /** Upper bounds of a histogram's buckets (seconds for the `_seconds` histograms). */
  readonly buckets?: readonly number[];
}

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

/**
 * Every metric recorded through {@link Telemetry.count} and {@link Telemetry.observe}, by a short
 * name: use `metrics.commandsTotal.name` rather than writing the name again. `GET /metrics`
 * registers exactly these (and the runtime's).
 *
 * @example
 * telemetry.count(metrics.commandsTotal.name, { status: 'completed' });
 * telemetry.observe(metrics.commandDuration.name, 0.42, { status: 'completed' });
 */
export const metrics = {
  commandsTotal: {
    name: 'cartrita_commands_total',
    type: 'counter',
    help: 'Commands that finished, by outcome (completed, failed, timeout, cancelled).',
    labels: ['status'],
  },
  commandDuration: {
    name: 'cartrita_command_duration_seconds',
    type: 'histogram',
    help: 'How long commands ran, from start to outcome, in seconds.',
    labels: ['status'],
    buckets: durationBuckets,
  },
  engineCallsTotal: {
    name: 'cartrita_engine_calls_total',
    type: 'counter',
    help: 'Engine executions, by outcome (completed, failed).',
    labels: ['status'],
  },
  toolCallsTotal: {
    name: 'cartrita_tool_calls_total',
    type: 'counter',
    help: 'Tool calls, by outcome (completed, failed).',
    labels: ['status'],
  },
  tokensTotal: {
    name: 'cartrita_tokens_total',
    type: 'counter',
    help: 'Model tokens, by direction (input, output).',
    labels: ['direction'],
  },
  sandboxDuration: {
    name: 'cartrita_sandbox_seconds',
    type: 'histogram',
    help: 'How long user code ran in the sandbox per call, in seconds.',
    labels: [],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
  },
  eventsPublishedTotal: {
    name: 'cartrita_events_published_total',
    type: 'counter',
    help: 'Events published to sessions.',
    labels: [],
  },
  logsTotal: {
    name: 'cartrita_logs_total',
    type: 'counter',
    help: 'Log entries stored, by level.',
    labels: ['level'],
  },
  httpRequestsTotal: {
    name: 'cartrita_http_requests_total',
    type: 'counter',
    help: 'HTTP requests answered, by method, route id (`other` outside the route table) and status.',
    labels: ['method', 'route', 'status'],
  },
  httpRequestDuration: {
    name: 'cartrita_http_request_duration_seconds',
    type: 'histogram',
    help: 'How long HTTP requests took until their answer was sent, in seconds.',
    labels: ['method', 'route', 'status'],
    buckets: durationBuckets,
  },
  providerRequestsTotal: {
    name: 'cartrita_provider_requests_total',
    type: 'counter',
    help: 'Upstream provider calls, by provider, operation and outcome (ok, cached, error, rate_limited, cancelled).',
    labels: ['provider', 'operation', 'status'],
  },
  providerDuration: {
    name: 'cartrita_provider_request_duration_seconds',
    type: 'histogram',
    help: 'How long upstream provider calls took once their turn came (queue wait excluded), in seconds.',
    labels: ['provider', 'operation', 'status'],
    buckets: durationBuckets,
  },
  providerTokensTotal: {
    name: 'cartrita_provider_tokens_total',
    type: 'counter',
    help: 'Model tokens reported by upstream providers, by provider, model and direction (input, output).',
    labels: ['provider', 'model', 'direction'],
  },
  providerCacheTotal: {
    name: 'cartrita_provider_cache_total',
    type: 'counter',
    help: 'Lookups in the provider cache, by provider and result (hit, miss).',
    labels: ['provider', 'result'],
  },
  providerQueueWait: {
    name: 'cartrita_provider_queue_wait_seconds',
    type: 'histogram',
    help: "How long provider calls waited in their provider's queue for a turn, in seconds.",
    labels: ['provider'],
    buckets: [0, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 20, 30],
  },
  providerRateLimitedTotal: {
    name: 'cartrita_provider_rate_limited_total',
    type: 'counter',
    help: 'Provider calls refused with 429 because their turn was further away than the queue timeout.',
    labels: ['provider'],
  },
} as const satisfies Record<string, MetricDefinition>;

/** Every metric definition, by its Prometheus name. */
export const metricsByName: ReadonlyMap<string, MetricDefinition> = new Map(
  Object.values(metrics).map((definition) => [definition.name, definition]),
);

/**
 * A metric's labels as it takes them: only its declared label names, as strings; labels it does
 * not declare, and `undefined` values, are dropped.
 */
export const metricLabels = (
  definition: MetricDefinition,
  labels: Attributes = {},
): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const name of definition.labels) {
    const value = labels[name];
    if (value !== undefined) out[name] = String(value);
  }
  return out;
};

/** Telemetry that records nothing; spans still run their function. */
export const noTelemetry: Telemetry = {
  span: (_name, _attributes, fn) => fn({ traceId: '', setAttributes: () => {}, fail: () => {} }),
  traceId: () => undefined,
  count: () => {},
  observe: () => {},
  log: () => {},
};
