// The port over OpenTelemetry and prom-client

// Where spans go
export { createLangfuseExporter, langfuseTracesUrl } from './langfuse.js';
// Prometheus
export { createPrometheus, type Prometheus } from './prometheus.js';
export {
  createServerTelemetry,
  type ServerTelemetry,
  type ServerTelemetryOptions,
} from './server-telemetry.js';
export { createSpanStoreExporter, toStoredSpan } from './span-store-exporter.js';
export { createTraceContext, type TraceContext } from './trace-context.js';
