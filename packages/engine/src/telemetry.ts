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
}

/** Telemetry that records nothing; spans still run their function. */
export const noTelemetry: Telemetry = {
  span: (_name, _attributes, fn) => fn({ traceId: '', setAttributes: () => {}, fail: () => {} }),
  traceId: () => undefined,
  count: () => {},
  observe: () => {},
};
