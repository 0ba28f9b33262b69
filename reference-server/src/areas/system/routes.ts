/** @module The system area's routes: health (seeds 000, 001), status, configuration and shutdown (seed 001). */
import type { IdsOf, systemRoutes } from '@cartrita/contracts';
import { publicConfig } from '../../config.js';
import { HttpError } from '../../http-error.js';
import type { RouteHandlers } from '../../routes/types.js';

/** How long the database took to answer `select 1`, or `null` when it did not. */
const pingMs = async (ping: () => Promise<void>): Promise<number | null> => {
  const started = performance.now();
  try {
    await ping();
    return Math.round((performance.now() - started) * 100) / 100;
  } catch {
    return null;
  }
};

/** `/health`, `/api/health`, `/api/status`, `/api/config` and `/api/shutdown`. */
export const systemHandlers: RouteHandlers<IdsOf<typeof systemRoutes>> = {
  'health.get': async ({ app }) => ({
    status: 'ok',
    timestamp: new Date().toISOString(),
    version: app.version,
  }),

  'system.health': async ({ app }) => {
    const healthy = await app.ping().then(
      () => true,
      () => false,
    );
    return {
      status: healthy ? 'healthy' : 'degraded',
      timestamp: new Date().toISOString(),
      version: app.version,
      uptime: Math.round((Date.now() - app.startedAt) / 1000),
    };
  },

  'system.status': async ({ app }) => {
    const [latency, commands] = await Promise.all([pingMs(app.ping), app.engine.commands.counts()]);
    const sandbox = app.engine.sandbox.stats();
    return {
      status: app.lifecycle.stopping ? 'stopping' : latency === null ? 'degraded' : 'healthy',
      timestamp: new Date().toISOString(),
      version: app.version,
      uptime: Math.round((Date.now() - app.startedAt) / 1000),
      database: { engine: app.database.engine, ok: latency !== null, latency_ms: latency },
      event_bus: { kind: app.config.redis === undefined ? 'in_process' : 'redis' },
      commands: { queued: commands.queued, executing: commands.executing },
      sockets: { ...app.sockets },
      sandbox: {
        workers: sandbox.workers,
        busy: sandbox.busy,
        queued: sandbox.queued,
        calls: sandbox.calls,
        total_ms: Math.round(sandbox.totalMs * 100) / 100,
      },
    };
  },

  'system.config': async ({ app }) => publicConfig(app.config),

  'system.shutdown': async ({ app, body, res }) => {
    const { shutdown } = app.lifecycle;
    if (!shutdown || app.lifecycle.stopping) {
      throw new HttpError(
        'SERVICE_UNAVAILABLE',
        app.lifecycle.stopping
          ? 'The server is stopping already.'
          : 'This server cannot be stopped over HTTP.',
      );
    }
    const deadlineSeconds = body?.deadline_seconds ?? app.config.commands.shutdownDeadlineSeconds;
    // The answer goes out first; the server stops once it is written.
    res.once('finish', () => shutdown(deadlineSeconds * 1000));
    return {
      status: 'shutting_down' as const,
      deadline_seconds: deadlineSeconds,
      executing: app.engine.commands.executingHere,
    };
  },
};
