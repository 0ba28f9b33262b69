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

/** `GET /api/status`: what the server is doing now. */
export const StatusResponse = z.object({
  status: z.enum(['healthy', 'degraded', 'stopping']),
  timestamp: Timestamp,
  version: z.string(),
  uptime: z.number(),
  database: z.object({
    engine: z.enum(['sqlite', 'postgres', 'memory']),
    ok: z.boolean(),
    latency_ms: z.nullable(z.number()),
  }),
  event_bus: z.object({ kind: z.enum(['in_process', 'redis']) }),
  commands: z.object({ queued: z.int(), executing: z.int() }),
  sockets: z.object({ chat: z.int(), events: z.int(), studio: z.int() }),
  sandbox: z.object({
    workers: z.int(),
    busy: z.int(),
    queued: z.int(),
    calls: z.int(),
    total_ms: z.number(),
  }),
});
export type StatusResponse = z.infer<typeof StatusResponse>;

/** `GET /api/config`: the configuration in effect, without a secret. */
export const ConfigResponse = z.record(z.string(), z.unknown());
export type ConfigResponse = z.infer<typeof ConfigResponse>;

/** `POST /api/shutdown`: how long running commands may take to finish (default 10 s). */
export const ShutdownRequest = z.object({
  deadline_seconds: z.optional(/*#__PURE__*/ z.number().check(z.gte(0), z.lte(300))),
});
export type ShutdownRequest = z.infer<typeof ShutdownRequest>;

/** The answer of `POST /api/shutdown`, sent before the server starts to stop. */
export const ShutdownResponse = z.object({
  status: z.literal('shutting_down'),
  deadline_seconds: z.number(),
  /** Commands still running, which get until the deadline to finish. */
  executing: z.int(),
});
export type ShutdownResponse = z.infer<typeof ShutdownResponse>;
