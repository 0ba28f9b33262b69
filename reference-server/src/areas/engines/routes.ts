/** @module LLMGine's engine routes (seed 001). */
import type { engineRoutes, IdsOf } from '@cartrita/contracts';
import type { RouteHandlers } from '../../routes/types.js';
import { callerOf } from '../sessions/routes.js';

/** Engines: create, list, read, run a prompt, delete. */
export const engineHandlers: RouteHandlers<IdsOf<typeof engineRoutes>> = {
  'engines.create': ({ app, req, body }) => app.engine.engines.create(body, callerOf(req)),
  'engines.list': ({ app, req, query }) => app.engine.engines.list(query, callerOf(req)),
  'engines.get': ({ app, req, params }) => app.engine.engines.get(params.engine_id, callerOf(req)),
  'engines.execute': ({ app, req, params, body, signal }) =>
    app.engine.engines.execute(params.engine_id, callerOf(req), body, signal),
  'engines.delete': ({ app, req, params }) => app.engine.engines.delete(params.engine_id, callerOf(req)),
};
