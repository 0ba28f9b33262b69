/** @module @cartrita/sdk/system: the `/api/*` system routes. */

import { ApiHealthResponse } from '@cartrita/contracts';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteResult } from '../core/route-types.js';

/** `client.system.health()` result: the answer of `GET /api/health`. */
export type SystemHealthResult = RouteResult<'system.health'>;

/**
 * `/api/*` system routes.
 *
 * @example
 * ```ts
 * const { status, uptime } = await client.system.health(); // status: 'healthy' | 'degraded'
 * ```
 */
export class System extends APIResource {
  /** Health with uptime; `degraded` when the database does not answer. */
  health(options?: RequestCallOptions): Promise<SystemHealthResult> {
    return this.transport.request({
      method: 'GET',
      path: '/api/health',
      schema: ApiHealthResponse,
      ...options,
    });
  }
}
