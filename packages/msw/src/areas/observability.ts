/** @module The observability area's mocks: logs, metrics and traces over the engine, and `/metrics`. */
import { prometheusContentType } from '@cartrita/contracts';
import { HttpResponse } from 'msw';
import type { RouteImplementation } from '../route-handler.js';

/** `GET /api/observability/logs`: the newest matching entries first, and how many match. */
export const listLogs: RouteImplementation<'observability.logs.list'> = async ({ json, store, query }) =>
  json(await store.engine.observability.listLogs(query));

/** `POST /api/observability/logs`: the stored entry, with the request's trace id. */
export const createLog: RouteImplementation<'observability.logs.create'> = async ({ json, store, body }) =>
  json(await store.engine.observability.recordLog(body));

/** `GET /api/observability/metrics`: a session's figures, or every session's. */
export const getMetrics: RouteImplementation<'observability.metrics.get'> = async ({ json, store, query }) =>
  json(await store.engine.observability.metrics(query));

/** `GET /api/observability/traces/{trace_id}`: the trace's spans, or 404. */
export const getTrace: RouteImplementation<'observability.traces.get'> = async ({ json, store, params }) =>
  json(await store.engine.observability.trace(params.trace_id));

/** `GET /metrics`: the counters and histograms the mock recorded, in the Prometheus text format. */
export const getPrometheus: RouteImplementation<'observability.prometheus'> = ({ store, requestId }) =>
  new HttpResponse(store.telemetry.metrics.text(), {
    headers: {
      'Content-Type': prometheusContentType,
      'Cache-Control': 'no-store',
      'X-Request-Id': requestId,
    },
  });

/** The mocks of the observability routes, by route id. */
export const observabilityImplementations = {
  'observability.logs.list': listLogs,
  'observability.logs.create': createLog,
  'observability.metrics.get': getMetrics,
  'observability.traces.get': getTrace,
  'observability.prometheus': getPrometheus,
} as const;
