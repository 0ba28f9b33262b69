import * as z from 'zod/mini';
import { Timestamp } from '../envelope.js';
import { defineRoute } from '../route.js';

/** `GET /health` (seed 000). */
export const HealthResponse = z.object({
  status: z.literal('ok'),
  timestamp: Timestamp,
  version: z.string(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

/** `GET /api/health` (seed 001). */
export const ApiHealthResponse = z.object({
  status: z.enum(['healthy', 'degraded']),
  timestamp: Timestamp,
  version: z.string(),
  uptime: z.number(),
});
export type ApiHealthResponse = z.infer<typeof ApiHealthResponse>;

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
