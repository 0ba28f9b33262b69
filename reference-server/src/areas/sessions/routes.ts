/** @module LLMGine's session routes (seed 001): sessions, commands, events, tools and handlers. */
import type { IdsOf, sessionRoutes } from '@cartrita/contracts';
import { type AuthContext, sessionCallerOf, websocketOnly } from '@cartrita/engine';
import type { Request } from 'express';
import type { RouteHandlers } from '../../routes/types.js';

/** The session caller of an authorised request. */
export const callerOf = (req: Request) => sessionCallerOf(req.auth as AuthContext);

/** Sessions, commands, events, tools and handlers. */
export const sessionHandlers: RouteHandlers<IdsOf<typeof sessionRoutes>> = {
  'sessions.create': ({ app, req, body }) => app.engine.sessions.create(body ?? {}, callerOf(req)),
  'sessions.get': ({ app, req, params }) => app.engine.sessions.get(params.session_id, callerOf(req)),
  'sessions.delete': ({ app, req, params }) => app.engine.sessions.delete(params.session_id, callerOf(req)),

  'sessions.commands.create': ({ app, req, params, body }) =>
    app.engine.commands.create(params.session_id, callerOf(req), body),
  'sessions.commands.batch': ({ app, req, params, body }) =>
    app.engine.commands.batch(params.session_id, callerOf(req), body),
  'sessions.commands.get': ({ app, req, params }) =>
    app.engine.commands.get(params.session_id, callerOf(req), params.command_id),
  'sessions.commands.cancel': ({ app, req, params }) =>
    app.engine.commands.cancel(params.session_id, callerOf(req), params.command_id),

  'sessions.events.create': ({ app, req, params, body }) =>
    app.engine.events.publish(params.session_id, callerOf(req), body),
  'sessions.events.list': ({ app, req, params, query }) =>
    app.engine.events.list(params.session_id, callerOf(req), query),
  'sessions.events.stream': async ({ req }) => {
    throw websocketOnly(req.path);
  },
  'sessions.events.get': ({ app, req, params }) =>
    app.engine.events.get(params.session_id, callerOf(req), params.event_id),

  'sessions.tools.create': ({ app, req, params, body }) =>
    app.engine.tools.register(params.session_id, callerOf(req), body),
  'sessions.tools.list': ({ app, req, params }) => app.engine.tools.list(params.session_id, callerOf(req)),
  'sessions.tools.execute': ({ app, req, params, body }) =>
    app.engine.tools.execute(params.session_id, callerOf(req), params.tool_name, body ?? { arguments: {} }),
  'sessions.tools.delete': ({ app, req, params }) =>
    app.engine.tools.delete(params.session_id, callerOf(req), params.tool_name),

  'sessions.handlers.list': ({ app, req, params }) =>
    app.engine.handlers.list(params.session_id, callerOf(req)),
  'sessions.handlers.commands.create': ({ app, req, params, body }) =>
    app.engine.handlers.registerCommand(params.session_id, callerOf(req), body),
  'sessions.handlers.events.create': ({ app, req, params, body }) =>
    app.engine.handlers.registerEvent(params.session_id, callerOf(req), body),
  'sessions.handlers.commands.delete': ({ app, req, params }) =>
    app.engine.handlers.deleteCommand(params.session_id, callerOf(req), params.command_type),
  'sessions.handlers.events.delete': ({ app, req, params }) =>
    app.engine.handlers.deleteEvent(params.session_id, callerOf(req), params.event_type),
};
