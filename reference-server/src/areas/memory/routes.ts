/** @module Local Agent Studio's memory routes (seed 004): the caller's own memories. */
import type { IdsOf, memoryRoutes } from '@cartrita/contracts';
import { memoryUserOf } from '@cartrita/engine';
import type { RouteHandlers } from '../../routes/types.js';

/** List, remember, read, change, forget, clear. */
export const memoryHandlers: RouteHandlers<IdsOf<typeof memoryRoutes>> = {
  'memory.list': ({ app, req, query }) => app.engine.memory.list(query, memoryUserOf(req.auth)),
  'memory.create': ({ app, req, body }) => app.engine.memory.create(body, memoryUserOf(req.auth)),
  'memory.clear': ({ app, req, body }) => app.engine.memory.clear(body, memoryUserOf(req.auth)),
  'memory.get': ({ app, req, params }) => app.engine.memory.get(params.memory_id, memoryUserOf(req.auth)),
  'memory.update': ({ app, req, params, body }) =>
    app.engine.memory.update(params.memory_id, body, memoryUserOf(req.auth)),
  'memory.delete': ({ app, req, params }) =>
    app.engine.memory.delete(params.memory_id, memoryUserOf(req.auth)),
};
