/**
 * @module The engine's telemetry port over OpenTelemetry and prom-client: spans through an
 * OpenTelemetry tracer (stored by a batched exporter, and sent to Langfuse when configured), counters
 * and histograms in Prometheus, log entries in the log store.
 */
import {
  type Attributes,
  metrics,
  newLogEntry,
  type ObservabilityRepositories,
  type SpanOptions,
  type Telemetry,
  type TelemetrySpan,
} from '@cartrita/engine';
import {
  type Context,
  type Attributes as OtelAttributes,
  ROOT_CONTEXT,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { LangfuseConfig } from '../config.js';
import { createLangfuseExporter } from './langfuse.js';
import { createPrometheus, type Prometheus } from './prometheus.js';
import { createSpanStoreExporter } from './span-store-exporter.js';
import type { TraceContext } from './trace-context.js';

/** Options of {@link createServerTelemetry}. */
export interface ServerTelemetryOptions {
  repositories: ObservabilityRepositories;
  /** The server's context manager (see `createTraceContext`). */
  context: TraceContext;
  /** Whether spans are recorded (`ENABLE_TRACING`). */
  tracing: boolean;
  /** Whether Prometheus metrics are kept (`ENABLE_METRICS`). */
  metrics: boolean;
  /** Sends spans to Langfuse too. */
  langfuse?: LangfuseConfig | undefined;
  /** The server's version, on every span's resource. */
  version: string;
  /** Longest wait before ended spans are written, in milliseconds. Default 1000. */
  flushDelayMs?: number;
  /** Told when writing spans or log entries, or sending spans to Langfuse, fails. */
  onError?: (error: unknown, what: 'store' | 'langfuse') => void;
}

/** The server's telemetry: the engine's port, and what the HTTP layer needs besides. */
export interface ServerTelemetry {
  /** The port the engine records through; `flush` writes what is buffered. */
  readonly telemetry: Telemetry & { flush(): Promise<void> };
  /** Starts request spans; absent when tracing is off. */
  readonly tracer: Tracer | undefined;
  /** The Prometheus metrics; absent when metrics are off. */
  readonly prometheus: Prometheus | undefined;
  /** Writes every buffered span (to the store and to Langfuse) and stops recording. */
  close(): Promise<void>;
}

const clean = (attributes: Attributes): OtelAttributes => {
  const out: OtelAttributes = {};
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) out[name] = value;
  return out;
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A span handed to `fn` when tracing is off: it records nothing. */
const idleSpan: TelemetrySpan = { traceId: '', setAttributes: () => {}, fail: () => {} };

/**
 * The server's telemetry. Spans are batched (at most `flushDelayMs` apart, 512 a write) and written
 * when a read needs them (`flush`) and on `close`, so a clean stop loses none.
 *
 * @example
 * const traces = createTraceContext();
 * const { telemetry, close } = createServerTelemetry({ repositories: store, context: traces, tracing: true, metrics: true, version });
 * const engine = createEngine({ ..., telemetry });
 */
export const createServerTelemetry = (options: ServerTelemetryOptions): ServerTelemetry => {
  const { repositories, context } = options;
  const onError = options.onError ?? (() => {});
  const prometheus = options.metrics ? createPrometheus() : undefined;
  const pendingLogs = new Set<Promise<void>>();

  let provider: TracerProvider | undefined;
  let storeProcessor: SpanProcessor | undefined;
  if (options.tracing) {
    storeProcessor = new BatchSpanProcessor({
      exporter: createSpanStoreExporter(repositories.spans, { onError: (error) => onError(error, 'store') }),
      scheduledDelayMillis: options.flushDelayMs ?? 1000,
      maxQueueSize: 8192,
      maxExportBatchSize: 512,
    });
    const processors: SpanProcessor[] = [storeProcessor];
    if (options.langfuse) {
      const exporter = createLangfuseExporter(options.langfuse, {
        onError: (error) => onError(error, 'langfuse'),
      });
      processors.push(new BatchSpanProcessor({ exporter, scheduledDelayMillis: 5000 }));
    }
    provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'cartrita', 'service.version': options.version }),
      spanProcessors: processors,
    });
  }
  const tracer = provider?.getTracer('cartrita', options.version);
  /** The context of each span handed out, for children that name it as their parent. */
  const contexts = new WeakMap<TelemetrySpan, Context>();

  const parentContext = (spanOptions: SpanOptions | undefined): Context => {
    if (spanOptions?.parent === null) return ROOT_CONTEXT;
    if (spanOptions?.parent) return contexts.get(spanOptions.parent) ?? context.active();
    return context.active();
  };

  const telemetry: ServerTelemetry['telemetry'] = {
    async span(name, attributes, fn, spanOptions) {
      if (!tracer) return fn(idleSpan);
      const parent = parentContext(spanOptions);
      const span = tracer.startSpan(name, { attributes: clean(attributes) }, parent);
      const active = trace.setSpan(parent, span);
      let failed = false;
      const handle: TelemetrySpan = {
        traceId: span.spanContext().traceId,
        setAttributes: (more) => {
          span.setAttributes(clean(more));
        },
        fail: (error) => {
          failed = true;
          if (error instanceof Error) span.recordException(error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
        },
      };
      contexts.set(handle, active);
      try {
        return await context.manager.with(active, () => fn(handle));
      } catch (error) {
        if (!failed) handle.fail(error);
        throw error;
      } finally {
        span.end();
      }
    },

    traceId: () => (tracer ? context.traceId() : undefined),

    count: (name, labels, value) => prometheus?.count(name, labels, value),

    observe: (name, value, labels) => prometheus?.observe(name, value, labels),

    log(entry) {
      const log = newLogEntry(entry, { traceId: telemetry.traceId(), timestamp: new Date() });
      prometheus?.count(metrics.logsTotal.name, { level: log.level });
      const write = repositories.logs
        .append(log)
        .catch((error: unknown) => onError(error, 'store'))
        .finally(() => pendingLogs.delete(write));
      pendingLogs.add(write);
    },

    async flush() {
      // A batch the store refused was reported by the exporter; reads answer what is stored.
      await storeProcessor?.forceFlush().catch(() => {});
      while (pendingLogs.size > 0) await Promise.all([...pendingLogs]);
    },
  };

  return {
    telemetry,
    tracer,
    prometheus,
    async close() {
      // What the store or Langfuse refused was reported by their exporters; the stop goes on.
      await provider?.shutdown().catch(() => {});
      while (pendingLogs.size > 0) await Promise.all([...pendingLogs]);
    },
  };
};
