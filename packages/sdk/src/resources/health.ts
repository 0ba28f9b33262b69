/** @module @cartrita/sdk/health: `GET /health`. */

import { HealthResponse } from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteResult } from '../core/route-types.js';

/** `client.health.check()` result: the answer of `GET /health`. */
export type HealthCheckResult = RouteResult<'health.get'>;

/**
 * `GET /health`: liveness.
 *
 * @example
 * ```ts
 * const { status, version } = await client.health.check();
 * ```
 */
export class Health extends APIResource {
  /** Whether the server is up, and its version. */
  check(options?: RequestCallOptions): APIPromise<HealthCheckResult> {
    return this.transport.request({ method: 'GET', path: '/health', schema: HealthResponse, ...options });
  }
}
