/** @module What every route handler may use, built once per server by `createApp`. */
import type { BlobStore, Engine, EventBus } from '@cartrita/engine';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Store } from './storage/store.js';
import type { ServerTelemetry } from './telemetry/server-telemetry.js';

/** Everything a route handler may use. */
export interface AppContext {
  config: Config;
  logger: Logger;
  version: string;
  /** When the process started serving, for uptime. */
  startedAt: number;
  /** Every area's services. */
  engine: Engine;
  /** The repositories over the database, for what only the server keeps (idempotency keys). */
  store: Store;
  blobs: BlobStore;
  /**
   * Topics with subscribers (`session:<id>`, ...): in this process, or with `REDIS_URL` shared by
   * every instance, so a message published on one reaches subscribers on all.
   */
  bus: EventBus;
  /** Streaming settings of the resumable doors. */
  streaming: { heartbeatMs: number; resumeGraceMs: number };
  /** Spans, Prometheus metrics and log entries: what the engine records through, and `/metrics`. */
  telemetry: ServerTelemetry;
  /** Resolves when the database answers; rejects otherwise. */
  ping(): Promise<void>;
  /** The database engine. */
  database: { engine: 'sqlite' | 'postgres' };
  /** Open WebSockets by door, kept by the WebSocket server. */
  sockets: { chat: number; events: number; studio: number };
  /**
   * Whether the server is stopping, and how to stop it: `startServer` sets `shutdown` (an app
   * without an HTTP server has nothing to stop).
   */
  lifecycle: { stopping: boolean; shutdown?: (deadlineMs: number) => void };
}
