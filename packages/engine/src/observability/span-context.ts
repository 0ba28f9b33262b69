/**
 * @module Which span is active: what the recording telemetry nests a new span under when it is given
 * no parent. JavaScript has no portable way to follow a call chain across `await` (Node has
 * `AsyncLocalStorage`, browsers have nothing yet), so the engine takes the store as a port.
 */

/** The ids of a span in progress: what a child needs of its parent. */
export interface ActiveSpan {
  readonly traceId: string;
  readonly spanId: string;
}

/** Keeps the active span while a function runs. */
export interface SpanContextStore {
  /** The active span, if any. */
  active(): ActiveSpan | undefined;
  /** Runs `fn` with `span` active (`undefined`: none), restoring the one before when it returns. */
  run<T>(span: ActiveSpan | undefined, fn: () => T): T;
}

/**
 * A store that follows synchronous calls only: a span is active while its function runs up to its
 * first `await`. A span started after an `await` inside another one is a new trace unless it is
 * given its parent (`telemetry.span(name, attributes, fn, { parent })`). It runs anywhere; where
 * Node's `AsyncLocalStorage` is available, wrap it instead (see `@cartrita/msw/node`).
 *
 * @example
 * const telemetry = createRecordingTelemetry({ repositories, context: synchronousSpanContext() });
 */
export const synchronousSpanContext = (): SpanContextStore => {
  let current: ActiveSpan | undefined;
  return {
    active: () => current,
    run(span, fn) {
      const before = current;
      current = span;
      try {
        return fn();
      } finally {
        current = before;
      }
    },
  };
};
