import { defineRoute } from '../../route.js';
import {
  LogCreateRequest,
  LogEntry,
  LogList,
  LogListQuery,
  MetricsQuery,
  ObservabilityMetrics,
  prometheusContentType,
  Trace,
  TraceParams,
} from './schemas.js';

/** Logs, metrics and traces (seed 001), and the Prometheus scrape. */
export const observabilityRoutes = [
  defineRoute({
    id: 'observability.logs.list',
    method: 'GET',
    path: '/api/observability/logs',
    tag: 'observability',
    summary: 'List stored log entries, newest first',
    description:
      '`level` keeps entries of that level and above (debug < info < warn < error); `session_id` keeps ' +
      "one session's; `limit` is 100 by default and at most 1000. `total` counts every matching entry.",
    auth: { scope: 'observability' },
    query: LogListQuery,
    response: { json: LogList },
    errors: [],
  }),
  defineRoute({
    id: 'observability.logs.create',
    method: 'POST',
    path: '/api/observability/logs',
    tag: 'observability',
    summary: 'Store a log entry',
    description:
      "The entry carries the request's own trace id (the `X-Trace-Id` response header). `null` values " +
      'in `metadata` are left out.',
    auth: { scope: 'observability' },
    body: LogCreateRequest,
    response: { status: 201, json: LogEntry },
    errors: [],
  }),
  defineRoute({
    id: 'observability.metrics.get',
    method: 'GET',
    path: '/api/observability/metrics',
    tag: 'observability',
    summary: "A session's figures, or every session's",
    description:
      'Commands by state, command latency percentiles, engine calls, tokens, tool calls, sandbox time ' +
      'and logs by level, computed from the stored spans and logs (so every instance over one database ' +
      'answers the same). Without `session_id`, every session together.',
    auth: { scope: 'observability' },
    query: MetricsQuery,
    response: { json: ObservabilityMetrics },
    errors: [],
  }),
  defineRoute({
    id: 'observability.traces.get',
    method: 'GET',
    path: '/api/observability/traces/{trace_id}',
    tag: 'observability',
    summary: 'A trace and its spans',
    description:
      'Every span stored under the trace id, in order of start, with its parent. A request answers its ' +
      'trace id in `X-Trace-Id`.',
    auth: { scope: 'observability' },
    params: TraceParams,
    response: { json: Trace },
    errors: ['NOT_FOUND'],
  }),
  defineRoute({
    id: 'observability.prometheus',
    method: 'GET',
    path: '/metrics',
    tag: 'observability',
    summary: 'Prometheus metrics',
    description:
      'The Prometheus text format: runtime metrics, HTTP requests by route and status, and the ' +
      "engine's counters and histograms. Scrapers send an API key with the `observability` scope as a " +
      'bearer token. 404 when metrics are turned off (`ENABLE_METRICS=false`).',
    auth: { scope: 'observability' },
    response: { text: prometheusContentType },
    errors: ['NOT_FOUND'],
  }),
] as const;
