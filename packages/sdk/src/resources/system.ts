/** @module @cartrita/sdk/system: the `/api/*` system routes. */

import { ApiHealthResponse, ConfigResponse, ShutdownResponse, StatusResponse } from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody, RouteResult } from '../core/route-types.js';

/** `client.system.health()` result: the answer of `GET /api/health`. */
export type SystemHealthResult = RouteResult<'system.health'>;
/** `client.system.status()` result: uptime, command queues, open sockets, the sandbox, database and bus. */
export type SystemStatusResult = RouteResult<'system.status'>;
/** `client.system.config()` result: the configuration in effect, every secret shown as `"[redacted]"`. */
export type SystemConfigResult = RouteResult<'system.config'>;
/** `client.system.shutdown()` params: `deadline_seconds` for running commands (default 10). */
export type SystemShutdownParams = RouteBody<'system.shutdown'>;
/** `client.system.shutdown()` result: `{status: 'shutting_down', deadline_seconds, executing}`. */
export type SystemShutdownResult = RouteResult<'system.shutdown'>;

/**
 * `/api/*` system routes.
 *
 * @example
 * ```ts
 * const { status, uptime } = await client.system.health(); // status: 'healthy' | 'degraded'
 * const { commands, sockets } = await client.system.status(); // an API key with the observability scope
 * ```
 */
export class System extends APIResource {
  /** `GET /api/health`: health with uptime; `degraded` when the database does not answer. */
  health(options?: RequestCallOptions): APIPromise<SystemHealthResult> {
    return this.transport.request({
      method: 'GET',
      path: '/api/health',
      schema: ApiHealthResponse,
      ...options,
    });
  }

  /** `GET /api/status`: what the server is doing (the `observability` scope). */
  status(options?: RequestCallOptions): APIPromise<SystemStatusResult> {
    return this.transport.request({ method: 'GET', path: '/api/status', schema: StatusResponse, ...options });
  }

  /** `GET /api/config`: the configuration in effect, secrets redacted (the `admin` scope). */
  config(options?: RequestCallOptions): APIPromise<SystemConfigResult> {
    return this.transport.request({ method: 'GET', path: '/api/config', schema: ConfigResponse, ...options });
  }

  /**
   * `POST /api/shutdown`: stops the server gracefully (the `admin` scope). It answers first, then
   * stops taking requests, lets running commands finish until the deadline, closes every socket
   * with 1001 and exits.
   */
  shutdown(
    params: SystemShutdownParams = {},
    options?: RequestCallOptions,
  ): APIPromise<SystemShutdownResult> {
    return this.transport.request({
      method: 'POST',
      path: '/api/shutdown',
      body: params,
      schema: ShutdownResponse,
      ...options,
    });
  }
}
