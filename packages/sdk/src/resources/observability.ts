/**
 * @module @cartrita/sdk/observability: logs, metrics and traces (seed 001), and the Prometheus
 * scrape. Every route needs a credential with the `observability` scope: an API key, server-side.
 */

import { LogEntry, LogList, ObservabilityMetrics, Trace } from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteQuery, RouteResult } from '../core/route-types.js';

/** `client.observability.logs.list()` params: `level` (that level and above), `session_id`, `limit`. */
export type ObservabilityLogsListParams = RouteQuery<'observability.logs.list'>;

/** `client.observability.logs.list()` result: the newest entries first, and how many match in all. */
export type ObservabilityLogsListResult = RouteResult<'observability.logs.list'>;

/** `client.observability.logs.create()` params: `level`, `message`, `metadata?`, `session_id?`. */
export type ObservabilityLogsCreateParams = RouteBody<'observability.logs.create'>;

/** `client.observability.logs.create()` result: the stored entry, with the request's trace id. */
export type ObservabilityLogsCreateResult = RouteResult<'observability.logs.create'>;

/** `client.observability.metrics()` params: `session_id` for one session's figures. */
export type ObservabilityMetricsParams = RouteQuery<'observability.metrics.get'>;

/** `client.observability.metrics()` result: commands, latency, engine and tool calls, tokens, logs. */
export type ObservabilityMetricsResult = RouteResult<'observability.metrics.get'>;

/** `client.observability.traces.get()` result: the trace's spans in order of start. */
export type ObservabilityTracesGetResult = RouteResult<'observability.traces.get'>;

/** `/api/observability/logs`: stored log entries. */
export class ObservabilityLogs extends APIResource {
  /** `GET /api/observability/logs`: the newest matching entries (100 by default, at most 1000). */
  list(
    params: ObservabilityLogsListParams = {},
    options?: RequestCallOptions,
  ): APIPromise<ObservabilityLogsListResult> {
    return this.transport.request({
      method: 'GET',
      path: '/api/observability/logs',
      query: params,
      schema: LogList,
      ...options,
    });
  }

  /** `POST /api/observability/logs`: stores an entry; `null`s in `metadata` are left out. */
  create(
    params: ObservabilityLogsCreateParams,
    options?: RequestCallOptions,
  ): APIPromise<ObservabilityLogsCreateResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/observability/logs',
      body: params,
      schema: LogEntry,
      ...options,
    });
  }
}

/** `/api/observability/traces`: traces by id. */
export class ObservabilityTraces extends APIResource {
  /**
   * `GET /api/observability/traces/{trace_id}`: every span of a trace, with its parent. A request's
   * trace id comes back in its `X-Trace-Id` header (`APIError.headers` for a failed one).
   */
  get(traceId: string, options?: RequestCallOptions): APIPromise<ObservabilityTracesGetResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/observability/traces/${traceId}`,
      schema: Trace,
      ...options,
    });
  }
}

/**
 * Logs, metrics and traces of the server.
 *
 * @example
 * ```ts
 * const client = new CartritaClient({ baseURL, apiKey: process.env.CARTRITA_OBSERVER_KEY });
 * const { logs } = await client.observability.logs.list({ level: 'warn', limit: 20 });
 * const figures = await client.observability.metrics({ session_id: 'sess_1' });
 * const trace = logs[0]?.trace_id && (await client.observability.traces.get(logs[0].trace_id));
 * ```
 */
export class Observability extends APIResource {
  /** Stored log entries. */
  readonly logs = new ObservabilityLogs(this.transport);
  /** Traces by id. */
  readonly traces = new ObservabilityTraces(this.transport);

  /** `GET /api/observability/metrics`: one session's figures, or every session's. */
  metrics(
    params: ObservabilityMetricsParams = {},
    options?: RequestCallOptions,
  ): APIPromise<ObservabilityMetricsResult> {
    return this.transport.request({
      method: 'GET',
      path: '/api/observability/metrics',
      query: params,
      schema: ObservabilityMetrics,
      ...options,
    });
  }

  /** `GET /metrics`: the server's Prometheus metrics, as the text a scraper reads. */
  async prometheus(options?: RequestCallOptions): Promise<string> {
    const response = await this.transport.requestRaw({
      method: 'GET',
      path: '/metrics',
      ...options,
      headers: { accept: 'text/plain', ...options?.headers },
    });
    return response.text();
  }
}
