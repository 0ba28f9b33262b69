import type { RouteImplementation } from '../route-handler.js';

/** `GET /health`: liveness and version. */
export const getHealth: RouteImplementation<'health.get'> = ({ json, store }) =>
  json({ status: 'ok', timestamp: new Date().toISOString(), version: store.version });

/** `GET /api/health`: health with uptime. The fake is always `healthy`. */
export const getApiHealth: RouteImplementation<'system.health'> = ({ json, store }) =>
  json({
    status: 'healthy',
    timestamp: new Date().toISOString(),
    version: store.version,
    uptime: store.uptime,
  });

/** The mocks of the system routes, by route id. */
export const systemImplementations = {
  'health.get': getHealth,
  'system.health': getApiHealth,
} as const;
