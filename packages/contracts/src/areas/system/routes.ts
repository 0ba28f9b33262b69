import { defineRoute } from '../../route.js';
import { ApiHealthResponse, HealthResponse } from './schemas.js';

/** Liveness and version. */
export const systemRoutes = [
  defineRoute({
    id: 'health.get',
    method: 'GET',
    path: '/health',
    tag: 'system',
    summary: 'Liveness check',
    auth: 'none',
    response: { json: HealthResponse },
    errors: [],
  }),
  defineRoute({
    id: 'system.health',
    method: 'GET',
    path: '/api/health',
    tag: 'system',
    summary: 'Health with uptime',
    description: 'Reports `degraded` when the database does not answer.',
    auth: 'none',
    response: { json: ApiHealthResponse },
    errors: [],
  }),
] as const;
