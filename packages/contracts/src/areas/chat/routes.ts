import * as z from 'zod/mini';
import { defineRoute } from '../../route.js';
import { ChatStreamFrame } from './frames.js';
import {
  ChatRequest,
  ChatResponse,
  ChatStreamQuery,
  SessionChatRequest,
  SessionChatResponse,
} from './requests.js';
import { WsClientMessage, WsServerMessage } from './websocket.js';

/** The answer of a cancel request. */
export const ChatCancelResponse = z.object({
  response_id: z.string(),
  status: z.enum(['cancelled', 'not_running']),
});
export type ChatCancelResponse = z.infer<typeof ChatCancelResponse>;

const streamDescription =
  'Frames carry `id: <response_id>:<seq>` and a JSON `data:` with a `type`, and no `event:` line. ' +
  'Reconnect with `Last-Event-ID` to get exactly the frames after that id, then the live ones. ' +
  'Heartbeat comments keep the connection open while the provider is silent.';

/** The chat doors of seeds 000, 003 and 004: one engine with the ChatKit door. */
export const chatRoutes = [
  defineRoute({
    id: 'chat.create',
    method: 'POST',
    path: '/api/chat',
    tag: 'chat',
    summary: 'Send a message and get the whole reply',
    auth: { scope: 'chat' },
    body: ChatRequest,
    response: { json: ChatResponse },
    errors: ['THREAD_NOT_FOUND', 'PROVIDER_NOT_CONFIGURED', 'PROVIDER_ERROR', 'CONFLICT'],
  }),
  defineRoute({
    id: 'chat.stream',
    method: 'POST',
    path: '/api/chat/stream',
    tag: 'chat',
    summary: 'Send a message and stream the reply (resumable)',
    description: streamDescription,
    auth: { scope: 'chat' },
    body: ChatRequest,
    response: { sse: ChatStreamFrame },
    errors: ['THREAD_NOT_FOUND', 'PROVIDER_NOT_CONFIGURED', 'NOT_FOUND', 'CONFLICT'],
  }),
  defineRoute({
    id: 'chat.stream_get',
    method: 'GET',
    path: '/api/chat/stream',
    tag: 'chat',
    summary: 'Stream a reply for EventSource (resumable)',
    description: `For \`EventSource\`: the message is in the query, and a client secret may come as \`access_token\`. ${streamDescription}`,
    auth: { scope: 'chat' },
    query: ChatStreamQuery,
    response: { sse: ChatStreamFrame },
    errors: ['THREAD_NOT_FOUND', 'PROVIDER_NOT_CONFIGURED', 'NOT_FOUND', 'CONFLICT'],
  }),
  defineRoute({
    id: 'chat.responses.cancel',
    method: 'POST',
    path: '/api/chat/responses/{response_id}/cancel',
    tag: 'chat',
    summary: 'Stop a streaming reply',
    description: 'Aborts the provider call at once; the partial reply is saved.',
    auth: { scope: 'chat' },
    params: z.object({ response_id: z.string() }),
    response: { json: ChatCancelResponse },
    errors: ['NOT_FOUND'],
  }),
  defineRoute({
    id: 'studio.chat.create',
    method: 'POST',
    path: '/chat/',
    tag: 'studio',
    summary: 'Send a message and get the whole reply (seed 004)',
    description: 'A `session_id` is made when absent; `context` names uploaded files.',
    auth: { scope: 'chat' },
    body: SessionChatRequest,
    response: { json: SessionChatResponse },
    errors: ['THREAD_NOT_FOUND', 'PROVIDER_NOT_CONFIGURED', 'PROVIDER_ERROR', 'CONFLICT'],
  }),
  defineRoute({
    id: 'studio.chat.stream',
    method: 'POST',
    path: '/chat/stream',
    tag: 'studio',
    summary: 'Send a message and stream the reply (seed 004, resumable)',
    description: streamDescription,
    auth: { scope: 'chat' },
    body: SessionChatRequest,
    response: { sse: ChatStreamFrame },
    errors: ['THREAD_NOT_FOUND', 'PROVIDER_NOT_CONFIGURED', 'NOT_FOUND', 'CONFLICT'],
  }),
  defineRoute({
    id: 'chat.realtime',
    method: 'GET',
    path: '/ws/chat',
    tag: 'chat',
    summary: 'Chat over a WebSocket with cancellation (seed 003)',
    description:
      'Upgrade to a WebSocket. The server sends `session_start`; each `chat` message gets `chat_session_start`, ' +
      '`stage_update`s, `chunk`s, `done` and `post_response_complete`; `cancel` answers `cancelled`; `ping` answers `pong`.',
    auth: { scope: 'chat' },
    query: z.object({ access_token: z.optional(z.string()) }),
    response: { status: 101, websocket: { client: WsClientMessage, server: WsServerMessage } },
    errors: ['FORBIDDEN', 'RATE_LIMITED'],
  }),
] as const;
