/** @module The system area's routes: `/health` (seed 000) and `/api/health` (seed 001). */
import type { IdsOf, systemRoutes } from '@cartrita/contracts';
import type { RouteHandlers } from '../../routes/types.js';

/** `/health` and `/api/health`. */
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
};
