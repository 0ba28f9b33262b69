/** @module The span exporter that writes finished spans to the span store, where traces are read back. */
import type { AttributeValue } from '@cartrita/contracts';
import type { SpanStore, StoredSpan } from '@cartrita/engine';
import { SpanStatusCode } from '@opentelemetry/api';
import { ExportResultCode, hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

const statusCodes = {
  [SpanStatusCode.UNSET]: 'unset',
  [SpanStatusCode.OK]: 'ok',
  [SpanStatusCode.ERROR]: 'error',
} as const;

/** Attribute values as the store keeps them: arrays without their empty items, nothing undefined. */
const attributesOf = (span: ReadableSpan): Record<string, AttributeValue> => {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(span.attributes)) {
    if (value === undefined || value === null) continue;
    out[name] = (
      Array.isArray(value) ? value.filter((item) => item !== null && item !== undefined) : value
    ) as AttributeValue;
  }
  return out;
};

/** A finished OpenTelemetry span as the span store keeps it. */
export const toStoredSpan = (span: ReadableSpan): StoredSpan => {
  const { traceId, spanId } = span.spanContext();
  const parent = span.parentSpanContext?.spanId;
  return {
    trace_id: traceId,
    span_id: spanId,
    ...(parent ? { parent_span_id: parent } : {}),
    name: span.name,
    start_time: new Date(hrTimeToMilliseconds(span.startTime)).toISOString(),
    end_time: new Date(hrTimeToMilliseconds(span.endTime)).toISOString(),
    duration_ms: Math.round(hrTimeToMilliseconds(span.duration) * 1000) / 1000,
    attributes: attributesOf(span),
    status: {
      code: statusCodes[span.status.code],
      ...(span.status.message ? { message: span.status.message } : {}),
    },
  };
};

/**
 * Exports spans into the span store, a batch per call (the batch processor in front of it decides
 * how many and when). A failed write is reported and the batch is dropped, as an OTLP exporter drops
 * what its collector refuses.
 *
 * @example
 * new BatchSpanProcessor({ exporter: createSpanStoreExporter(store.spans, { onError }) });
 */
export const createSpanStoreExporter = (
  spans: SpanStore,
  options: { onError?: (error: unknown) => void } = {},
): SpanExporter => ({
  export(batch, resultCallback) {
    spans.append(batch.map(toStoredSpan)).then(
      () => resultCallback({ code: ExportResultCode.SUCCESS }),
      (error: unknown) => {
        options.onError?.(error);
        resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
      },
    );
  },
  shutdown: async () => {},
  forceFlush: async () => {},
});
