/** @module The system area's mocks: `/health` and `/api/health`. */
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

/** The mocks of the system routes, by route id. */
export const systemImplementations = {
  'health.get': getHealth,
  'system.health': getApiHealth,
} as const;
