import * as z from 'zod/mini';
import { defineRoute } from '../../route.js';
import { StudioClientMessage, StudioParams, StudioServerMessage } from './messages.js';

/** The routes of seed 004's realtime socket. */
export const studioRoutes = [
  defineRoute({
    id: 'studio.socket',
    method: 'GET',
    path: '/ws/{client_id}',
    tag: 'studio',
    summary: 'Follow sessions and files live (WebSocket, seed 004)',
    description:
      'Upgrade to a WebSocket. `client_id` is the client’s own name for the connection (letters, digits, ' +
      '`._:-`, at most 128). The server sends `connected`; `ping` answers `pong`; `subscribe` and ' +
      '`unsubscribe` a `session_id` answer `subscribed` and `unsubscribed`. A subscribed session’s turns ' +
      'arrive as `chat_update` (the reply as it streams, the last one `is_complete`), ' +
      '`agent_execution_update` (its stages), `plan_graph_update` (its steps) and ' +
      '`execution_monitoring_update` (what it used); the caller’s files as `file_processing_update`. ' +
      'A caller sees only their own sessions and files, from whichever instance did the work.',
    auth: { scope: 'chat' },
    params: StudioParams,
    query: z.object({ access_token: z.optional(z.string()) }),
    response: { status: 101, websocket: { client: StudioClientMessage, server: StudioServerMessage } },
    errors: ['FORBIDDEN', 'RATE_LIMITED'],
  }),
] as const;
