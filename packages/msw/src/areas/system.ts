/** @module The system area's mocks: health, status, configuration and shutdown. */
import type { RouteImplementation } from '../route-handler.js';

/** `GET /health`: ok, the time and the version. */
export const getHealth: RouteImplementation<'health.get'> = ({ json, store }) =>
  json({ status: 'ok', timestamp: new Date().toISOString(), version: store.version });

/** `GET /api/health`: healthy, with the uptime in seconds. */
export const getApiHealth: RouteImplementation<'system.health'> = ({ json, store }) =>
  json({
    status: 'healthy',
    timestamp: new Date().toISOString(),
    version: store.version,
    uptime: Math.round((Date.now() - store.startedAt) / 1000),
  });

/** `GET /api/status`: the engine's queues and the mock's sockets, over memory. */
export const getStatus: RouteImplementation<'system.status'> = async ({ json, store }) => {
  const commands = await store.engine.commands.counts();
  const sandbox = store.engine.sandbox.stats();
  return json({
    status: store.stopping ? 'stopping' : 'healthy',
    timestamp: new Date().toISOString(),
    version: store.version,
    uptime: Math.round((Date.now() - store.startedAt) / 1000),
    database: { engine: 'memory', ok: true, latency_ms: 0 },
    event_bus: { kind: 'in_process' },
    commands: { queued: commands.queued, executing: commands.executing },
    sockets: { ...store.sockets },
    sandbox: {
      workers: sandbox.workers,
      busy: sandbox.busy,
      queued: sandbox.queued,
      calls: sandbox.calls,
      total_ms: sandbox.totalMs,
    },
  });
};

/** `GET /api/config`: the mock's own settings, with API keys' hashes hidden as the server hides them. */
export const getConfig: RouteImplementation<'system.config'> = ({ json, store }) => json(store.config);

/**
 * `POST /api/shutdown`: answers 202; from then on every request gets 503, as a stopping server
 * answers, until `store.reset()`.
 */
export const shutdown: RouteImplementation<'system.shutdown'> = async ({ json, store, body }) => {
  const executing = (await store.engine.commands.counts()).executing;
  store.stopping = true;
  return json({
    status: 'shutting_down',
    deadline_seconds: body?.deadline_seconds ?? 10,
    executing,
  });
};

/** The mocks of the system routes, by route id. */
export const systemImplementations = {
  'health.get': getHealth,
  'system.health': getApiHealth,
  'system.status': getStatus,
  'system.config': getConfig,
  'system.shutdown': shutdown,
} as const;
