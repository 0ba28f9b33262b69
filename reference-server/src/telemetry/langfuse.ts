/**
 * @module Spans to Langfuse: its OTLP endpoint through the standard OTLP/HTTP exporter (JSON), with
 * the keys as Basic auth. `@langfuse/otel` needs OpenTelemetry 2 and cannot install beside 3.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { LangfuseConfig } from '../config.js';

/** Where Langfuse takes OTLP traces: `<base>/api/public/otel/v1/traces`. */
export const langfuseTracesUrl = (baseUrl: string): string =>
  `${baseUrl.replace(/\/+$/, '')}/api/public/otel/v1/traces`;

/**
 * The exporter of spans to Langfuse. Its failures (Langfuse down, keys refused) go to `onError`
 * with the status, never with the keys, and never stop the spans that go to the store.
 *
 * @example
 * new BatchSpanProcessor({ exporter: createLangfuseExporter(config.observability.langfuse) });
 */
export const createLangfuseExporter = (
  config: LangfuseConfig,
  options: { onError?: (error: unknown) => void } = {},
): SpanExporter => {
  const credentials = Buffer.from(`${config.publicKey}:${config.secretKey.reveal()}`).toString('base64');
  const exporter = new OTLPTraceExporter({
    url: langfuseTracesUrl(config.baseUrl),
    headers: {
      Authorization: `Basic ${credentials}`,
      // Langfuse's current ingestion path for direct OTLP exporters.
      'x-langfuse-ingestion-version': '4',
    },
    timeoutMillis: 10_000,
  });
  return {
    export(spans, resultCallback) {
      exporter.export(spans, (result) => {
        if (result.error) options.onError?.(result.error);
        resultCallback(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush(),
  };
};
