import { ApiHealthResponse, HealthResponse } from '@cartrita/contracts';
import type { CallOptions } from '../core/request.js';
import { APIResource } from './resource.js';

/** Per-call options every method takes. */
export interface RequestCallOptions extends CallOptions {
  signal?: AbortSignal | undefined;
  headers?: Record<string, string> | undefined;
}

/** `GET /health`: liveness. */
export class Health extends APIResource {
  /** Whether the server is up, and its version. */
  check(options?: RequestCallOptions): Promise<HealthResponse> {
    return this.transport.request({ method: 'GET', path: '/health', schema: HealthResponse, ...options });
  }
}

/** `/api/*` system routes. */
export class System extends APIResource {
  /** Health with uptime; `degraded` when the database does not answer. */
  health(options?: RequestCallOptions): Promise<ApiHealthResponse> {
    return this.transport.request({
      method: 'GET',
      path: '/api/health',
      schema: ApiHealthResponse,
      ...options,
    });
  }
}
