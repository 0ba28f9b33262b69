/**
 * @module Telemetry in plain JavaScript: spans and log entries recorded into the observability
 * repositories, counters and histograms kept in memory. The mocks run it (in Node and in browsers);
 * the server has its own over OpenTelemetry and prom-client.
 */
import type { AttributeValue } from '@cartrita/contracts';
import { type Clock, systemClock } from '../clock.js';
import { randomHex } from '../ids.js';
import {
  type Attributes,
  metrics,
  type SpanOptions,
  type Telemetry,
  type TelemetryLog,
  type TelemetrySpan,
} from '../telemetry.js';
import { newLogEntry } from './log-entries.js';
import { createMemoryMetrics, type MemoryMetrics } from './memory-metrics.js';
import type { ObservabilityRepositories, StoredSpan } from './repositories.js';
import { type ActiveSpan, type SpanContextStore, synchronousSpanContext } from './span-context.js';

/** Options of {@link createRecordingTelemetry}. */
export interface RecordingTelemetryOptions {
  /** Where spans and log entries are stored. */
  repositories: ObservabilityRepositories;
  /** The time of spans and log entries. Default: the system's. */
  clock?: Clock;
  /**
   * Which span is active, for spans started without a parent. Default: synchronous calls only
   * ({@link synchronousSpanContext}); pass one over `AsyncLocalStorage` where there is one.
   */
  context?: SpanContextStore;
  /** Told when storing a span or a log entry fails. Default: nothing. */
  onError?: (error: unknown) => void;
}

/** The recording telemetry, with its counters and a way to wait for what it stores. */
export interface RecordingTelemetry extends Telemetry {
  /** Resolves once every span and log entry recorded so far is stored. */
  flush(): Promise<void>;
  /** The counters and histograms recorded with `count` and `observe`. */
  readonly metrics: MemoryMetrics;
  /**
   * Runs `fn` with `span` (one this telemetry handed out) active again: for code that resumes after
   * an `await` inside a span, where the context store cannot follow it (synchronous calls only).
   */
  withSpan<T>(span: TelemetrySpan, fn: () => T): T;
}

const clean = (attributes: Attributes): Record<string, AttributeValue> => {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) out[name] = value;
  return out;
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Telemetry that stores every span when it ends and every log entry at once, with trace and span
 * ids as OpenTelemetry makes them (32 and 16 hex characters). A new span's parent is
 * `options.parent`, else the context's active span; without either it starts a trace.
 *
 * @example
 * const repositories = createMemoryObservabilityRepositories();
 * const telemetry = createRecordingTelemetry({ repositories });
 * await telemetry.span('command Echo', { [spanAttributes.kind]: 'command' }, async (span) => {
 *   span.setAttributes({ [spanAttributes.status]: 'completed' });
 * });
 */
export const createRecordingTelemetry = (options: RecordingTelemetryOptions): RecordingTelemetry => {
  const { repositories } = options;
  const clock = options.clock ?? systemClock;
  const context = options.context ?? synchronousSpanContext();
  const onError = options.onError ?? (() => {});
  const registry = createMemoryMetrics();
  /** The ids of the spans this telemetry handed out, to nest under them. */
  const ids = new WeakMap<TelemetrySpan, ActiveSpan>();
  const pending = new Set<Promise<void>>();

  const track = (write: Promise<void>) => {
    const tracked = write.catch(onError).finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  const parentOf = (spanOptions: SpanOptions | undefined): ActiveSpan | undefined => {
    if (spanOptions?.parent === null) return undefined;
    if (spanOptions?.parent) return ids.get(spanOptions.parent) ?? context.active();
    return context.active();
  };

  return {
    metrics: registry,

    async span(name, attributes, fn, spanOptions) {
      const parent = parentOf(spanOptions);
      const active: ActiveSpan = { traceId: parent?.traceId ?? randomHex(16), spanId: randomHex(8) };
      const recorded = clean(attributes);
      let status: StoredSpan['status'] = { code: 'unset' };
      const started = clock.now();
      const span: TelemetrySpan = {
        traceId: active.traceId,
        setAttributes: (more) => Object.assign(recorded, clean(more)),
        fail: (error) => {
          status = { code: 'error', message: messageOf(error) };
        },
      };
      ids.set(span, active);
      const end = () => {
        const ended = clock.now();
        track(
          repositories.spans.append([
            {
              trace_id: active.traceId,
              span_id: active.spanId,
              ...(parent ? { parent_span_id: parent.spanId } : {}),
              name,
              start_time: started.toISOString(),
              end_time: ended.toISOString(),
              duration_ms: Math.max(0, ended.getTime() - started.getTime()),
              attributes: recorded,
              status,
            },
          ]),
        );
      };
      try {
        const result = await context.run(active, () => fn(span));
        end();
        return result;
      } catch (error) {
        if (status.code !== 'error') span.fail(error);
        end();
        throw error;
      }
    },

    traceId: () => context.active()?.traceId,

    count: (name, labels, value) => registry.count(name, labels, value),

    observe: (name, value, labels) => registry.observe(name, value, labels),

    log(entry: TelemetryLog) {
      const log = newLogEntry(entry, { traceId: context.active()?.traceId, timestamp: clock.now() });
      registry.count(metrics.logsTotal.name, { level: log.level });
      track(repositories.logs.append(log));
    },

    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },

    withSpan: (span, fn) => {
      const active = ids.get(span);
      return active ? context.run(active, fn) : fn();
    },
  };
};
