import { defineRoute } from '../../route.js';
import {
  Command,
  CommandBatch,
  CommandBatchRequest,
  CommandCreateRequest,
  CommandParams,
} from './commands.js';
import {
  EventCreateRequest,
  EventList,
  EventListQuery,
  EventParams,
  EventStreamClientMessage,
  EventStreamQuery,
  EventStreamServerMessage,
  SessionEvent,
} from './events.js';
import {
  CommandHandler,
  CommandHandlerDeleted,
  CommandHandlerParams,
  CommandHandlerRequest,
  EventHandler,
  EventHandlerDeleted,
  EventHandlerParams,
  EventHandlerRequest,
  HandlerList,
} from './handlers.js';
import { Session, SessionCreated, SessionCreateRequest, SessionDeleted, SessionParams } from './sessions.js';
import {
  Tool,
  ToolDeleted,
  ToolExecuteRequest,
  ToolExecution,
  ToolList,
  ToolParams,
  ToolRegisterRequest,
} from './tools.js';

const sessions = { scope: 'sessions' } as const;
const events = { scope: 'events' } as const;

const codeRule =
  'The code is one JavaScript function, run in the sandbox; code in another language (such as the ' +
  'Python of the seed’s examples) is refused with 422.';

/** LLMGine's sessions and what they hold (seed 001): commands, events, tools and handlers. */
export const sessionRoutes = [
  defineRoute({
    id: 'sessions.create',
    method: 'POST',
    path: '/api/sessions',
    tag: 'sessions',
    summary: 'Create a session',
    auth: sessions,
    body: SessionCreateRequest,
    bodyOptional: true,
    response: { status: 201, json: SessionCreated, nulls: true },
    errors: [],
  }),
  defineRoute({
    id: 'sessions.get',
    method: 'GET',
    path: '/api/sessions/{session_id}',
    tag: 'sessions',
    summary: 'Get a session, its status and what it holds',
    description: 'Any session of the caller’s user, including ChatKit sessions (same ids).',
    auth: sessions,
    params: SessionParams,
    response: { json: Session, nulls: true },
    errors: ['SESSION_NOT_FOUND'],
  }),
  defineRoute({
    id: 'sessions.delete',
    method: 'DELETE',
    path: '/api/sessions/{session_id}',
    tag: 'sessions',
    summary: 'Delete a session and everything it owns',
    description:
      'Its queued and running commands are cancelled, its events, tools, handlers and engines deleted, ' +
      'and its event streams closed with 4404.',
    auth: sessions,
    params: SessionParams,
    response: { json: SessionDeleted, nulls: true },
    errors: ['SESSION_NOT_FOUND'],
  }),

  defineRoute({
    id: 'sessions.commands.create',
    method: 'POST',
    path: '/api/sessions/{session_id}/commands',
    tag: 'commands',
    summary: 'Queue a command',
    description:
      'Answers at once (`queued`, or `executing` when it started right away). Each session runs its ' +
      'commands one at a time, by `metadata.priority` (`high`, `normal`, `low`), in order within a ' +
      'priority, each bounded by `metadata.timeout` seconds. A registered command handler runs the ' +
      'command; otherwise the built-in type (`DummyEngineCommand`); otherwise 404 `HANDLER_NOT_FOUND`.',
    auth: sessions,
    params: SessionParams,
    body: CommandCreateRequest,
    response: { status: 202, json: Command, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'HANDLER_NOT_FOUND', 'CONFLICT', 'RATE_LIMITED'],
  }),
  defineRoute({
    id: 'sessions.commands.batch',
    method: 'POST',
    path: '/api/sessions/{session_id}/commands/batch',
    tag: 'commands',
    summary: 'Queue several commands, in order',
    description:
      'All or nothing: every command is checked before any is queued. They run in the order sent ' +
      '(within their priorities) and are answered in that order.',
    auth: sessions,
    params: SessionParams,
    body: CommandBatchRequest,
    response: { status: 202, json: CommandBatch, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'HANDLER_NOT_FOUND', 'CONFLICT', 'RATE_LIMITED'],
  }),
  defineRoute({
    id: 'sessions.commands.get',
    method: 'GET',
    path: '/api/sessions/{session_id}/commands/{command_id}',
    tag: 'commands',
    summary: 'Get a command and its result',
    auth: sessions,
    params: CommandParams,
    response: { json: Command, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'NOT_FOUND'],
  }),
  defineRoute({
    id: 'sessions.commands.cancel',
    method: 'POST',
    path: '/api/sessions/{session_id}/commands/{command_id}/cancel',
    tag: 'commands',
    summary: 'Cancel a queued or running command',
    description: 'A finished command is answered as it is.',
    auth: sessions,
    params: CommandParams,
    response: { json: Command, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'NOT_FOUND'],
  }),

  defineRoute({
    id: 'sessions.events.create',
    method: 'POST',
    path: '/api/sessions/{session_id}/events',
    tag: 'events',
    summary: 'Publish an event',
    description:
      'Stored, delivered to every event stream of the session (on every instance), and handed to the ' +
      'session’s event handlers for its type.',
    auth: sessions,
    params: SessionParams,
    body: EventCreateRequest,
    response: { status: 201, json: SessionEvent, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'CONFLICT'],
  }),
  defineRoute({
    id: 'sessions.events.list',
    method: 'GET',
    path: '/api/sessions/{session_id}/events',
    tag: 'events',
    summary: 'List events, oldest first',
    auth: events,
    params: SessionParams,
    query: EventListQuery,
    response: { json: EventList, nulls: true },
    errors: ['SESSION_NOT_FOUND'],
  }),
  // Before `sessions.events.get`: routes match in table order, and that one would take `stream` for an id.
  defineRoute({
    id: 'sessions.events.stream',
    method: 'GET',
    path: '/api/sessions/{session_id}/events/stream',
    tag: 'events',
    summary: 'Follow a session’s events live (WebSocket)',
    description:
      'Upgrade to a WebSocket. The server sends `{type: "ready"}`, then each event as `{type: "event", ' +
      '...event}`; reconnect with `last_event_id` to get the events missed first. A client secret reaches ' +
      'its own session only. Closes with 4404 when the session is deleted, 4401 when the secret expires, ' +
      '1001 when the server stops.',
    auth: events,
    params: SessionParams,
    query: EventStreamQuery,
    response: { websocket: { client: EventStreamClientMessage, server: EventStreamServerMessage } },
    errors: ['SESSION_NOT_FOUND', 'NOT_FOUND'],
  }),
  defineRoute({
    id: 'sessions.events.get',
    method: 'GET',
    path: '/api/sessions/{session_id}/events/{event_id}',
    tag: 'events',
    summary: 'Get an event',
    auth: events,
    params: EventParams,
    response: { json: SessionEvent, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'NOT_FOUND'],
  }),

  defineRoute({
    id: 'sessions.tools.create',
    method: 'POST',
    path: '/api/sessions/{session_id}/tools',
    tag: 'tools',
    summary: 'Register a tool',
    description: `${codeRule} A tool of the same name must be unregistered first (409).`,
    auth: sessions,
    params: SessionParams,
    body: ToolRegisterRequest,
    response: { status: 201, json: Tool, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'CONFLICT'],
  }),
  defineRoute({
    id: 'sessions.tools.list',
    method: 'GET',
    path: '/api/sessions/{session_id}/tools',
    tag: 'tools',
    summary: 'List tools',
    auth: sessions,
    params: SessionParams,
    response: { json: ToolList, nulls: true },
    errors: ['SESSION_NOT_FOUND'],
  }),
  defineRoute({
    id: 'sessions.tools.execute',
    method: 'POST',
    path: '/api/sessions/{session_id}/tools/{tool_name}/execute',
    tag: 'tools',
    summary: 'Call a tool',
    description:
      'The arguments are checked against the tool’s `parameters` (422 with every failing field). A ' +
      'call whose code fails answers 200 with `error` (`runtime`, `timeout`, `memory`, ...) and `result: null`.',
    auth: sessions,
    params: ToolParams,
    body: ToolExecuteRequest,
    bodyOptional: true,
    response: { json: ToolExecution, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'TOOL_NOT_FOUND', 'CONFLICT'],
  }),
  defineRoute({
    id: 'sessions.tools.delete',
    method: 'DELETE',
    path: '/api/sessions/{session_id}/tools/{tool_name}',
    tag: 'tools',
    summary: 'Unregister a tool',
    auth: sessions,
    params: ToolParams,
    response: { json: ToolDeleted, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'TOOL_NOT_FOUND'],
  }),

  defineRoute({
    id: 'sessions.handlers.list',
    method: 'GET',
    path: '/api/sessions/{session_id}/handlers',
    tag: 'handlers',
    summary: 'List command and event handlers',
    auth: sessions,
    params: SessionParams,
    response: { json: HandlerList, nulls: true },
    errors: ['SESSION_NOT_FOUND'],
  }),
  defineRoute({
    id: 'sessions.handlers.commands.create',
    method: 'POST',
    path: '/api/sessions/{session_id}/handlers/commands',
    tag: 'handlers',
    summary: 'Register a command handler',
    description:
      `${codeRule} The function takes the command (\`{command_id, command_type, parameters, metadata}\`) ` +
      'and its return value is the command’s `result`. A handler of the same type must be unregistered first (409).',
    auth: sessions,
    params: SessionParams,
    body: CommandHandlerRequest,
    response: { status: 201, json: CommandHandler, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'CONFLICT'],
  }),
  defineRoute({
    id: 'sessions.handlers.events.create',
    method: 'POST',
    path: '/api/sessions/{session_id}/handlers/events',
    tag: 'handlers',
    summary: 'Register an event handler',
    description:
      `${codeRule} The function takes each event of \`event_type\` published in the session; it may ` +
      '`emit` events of its own. A handler of the same type must be unregistered first (409).',
    auth: sessions,
    params: SessionParams,
    body: EventHandlerRequest,
    response: { status: 201, json: EventHandler, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'CONFLICT'],
  }),
  defineRoute({
    id: 'sessions.handlers.commands.delete',
    method: 'DELETE',
    path: '/api/sessions/{session_id}/handlers/commands/{command_type}',
    tag: 'handlers',
    summary: 'Unregister a command handler',
    auth: sessions,
    params: CommandHandlerParams,
    response: { json: CommandHandlerDeleted, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'HANDLER_NOT_FOUND'],
  }),
  defineRoute({
    id: 'sessions.handlers.events.delete',
    method: 'DELETE',
    path: '/api/sessions/{session_id}/handlers/events/{event_type}',
    tag: 'handlers',
    summary: 'Unregister an event handler',
    auth: sessions,
    params: EventHandlerParams,
    response: { json: EventHandlerDeleted, nulls: true },
    errors: ['SESSION_NOT_FOUND', 'HANDLER_NOT_FOUND'],
  }),
] as const;
