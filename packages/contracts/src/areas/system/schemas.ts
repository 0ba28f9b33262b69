/** @module The system area's schemas: health. */
import * as z from 'zod/mini';
import { Timestamp } from '../../envelope.js';

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
