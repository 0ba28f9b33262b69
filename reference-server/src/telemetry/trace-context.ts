/**
 * @module The active span of the code running now, over `AsyncLocalStorage`: spans started inside a
 * request (commands, engine calls, tool calls) find it as their parent, and log lines its trace id.
 */
import { type Context, isSpanContextValid, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

/** One server's context manager and what the logger reads of it. */
export interface TraceContext {
  /** The context manager. It is the server's own, not registered globally. */
  readonly manager: AsyncLocalStorageContextManager;
  /** The active context. */
  active(): Context;
  /** The trace id of the active span, if one is recording. */
  traceId(): string | undefined;
  /** Stops following contexts. */
  close(): void;
}

/**
 * A context manager of the server's own: several servers in one process (tests) keep their spans
 * apart, and nothing global is replaced for code that embeds the server.
 *
 * @example
 * const traces = createTraceContext();
 * const logger = createLogger(config.logging, { traceId: traces.traceId });
 */
export const createTraceContext = (): TraceContext => {
  const manager = new AsyncLocalStorageContextManager().enable();
  return {
    manager,
    active: () => manager.active(),
    traceId() {
      const spanContext = trace.getSpan(manager.active())?.spanContext();
      return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
    },
    close: () => {
      manager.disable();
    },
  };
};
