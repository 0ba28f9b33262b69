/** @module Local Agent Studio's configuration routes (seed 004): the sections, read, changed and reloaded. */
import type { configRoutes, IdsOf } from '@cartrita/contracts';
import type { RouteHandlers } from '../../routes/types.js';

/** Every section, one section, a change, a reload, a check. */
export const configHandlers: RouteHandlers<IdsOf<typeof configRoutes>> = {
  'config.list': ({ app }) => app.engine.config.all(),
  'config.reload': ({ app }) => app.engine.config.reload(),
  'config.validate': ({ app, params }) => app.engine.config.validate(params.config_type),
  'config.get': ({ app, params }) => app.engine.config.get(params.config_type),
  'config.update': ({ app, params, body }) => app.engine.config.update(params.config_type, body),
};
