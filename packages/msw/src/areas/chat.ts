/**
 * @module The chat area's mocks: the JSON and SSE doors, cancel, and the `/ws/chat` socket, each
 * calling the engine the reference server runs.
 */
import { ChatStreamFrame, type RouteId, routesById, WsServerMessage } from '@cartrita/contracts';
import {
  type ChatConnection,
  cancelReply,
  chatReply,
  checkAuth,
  type DoorCaller,
  type DoorInput,
  fromChatRequest,
  fromSessionRequest,
  fromStreamQuery,
  HttpError,
  providerAllowed,
  replyFrames,
  sessionChatReply,
  userIdOf,
  websocketOnly,
} from '@cartrita/engine';
import { type WebSocketHandler, ws } from 'msw';
import type { RouteContext, RouteImplementation } from '../route-handler.js';
import { type CartritaStore, createStore } from '../state.js';
import { assertWire, frameResponse, MockContractError } from '../wire.js';

type DoorContext = Pick<RouteContext<'chat.create'>, 'caller' | 'store'>;

const callerOf = ({ caller, store }: DoorContext): DoorCaller => {
  const userId = userIdOf(caller.auth);
  if (!userId) throw new HttpError('UNAUTHORIZED', 'A client secret or an API key is required.');
  return { userId, baseUrl: store.baseURL, allowProvider: providerAllowed(caller.auth) };
};

/** Streams a new reply, or resumes the one `Last-Event-ID` names, as the server does. */
const stream = async (
  context: Pick<RouteContext<'chat.stream'>, 'caller' | 'store' | 'request' | 'requestId' | 'scenarios'> & {
    route: { id: RouteId };
  },
  input: DoorInput | undefined,
) => {
  const { store, request, requestId, scenarios, route } = context;
  const frames = await replyFrames(
    store.engine.chat,
    request.headers.get('last-event-id'),
    input,
    callerOf(context),
  );
  return frameResponse(frames, requestId, {
    heartbeatMs: store.heartbeatMs,
    fault: scenarios.take(route.id, ['cut_stream', 'stall_stream']),
    validate: (frame) => assertWire(ChatStreamFrame, frame, `A frame of ${route.id}`),
  });
};

/** `POST /api/chat`: the whole reply as one JSON answer. */
export const createChat: RouteImplementation<'chat.create'> = async (context) =>
  context.json(await chatReply(context.store.engine.chat, context.body, callerOf(context), context.signal));

/** `POST /api/chat/stream`: the reply as resumable frames. */
export const streamChat: RouteImplementation<'chat.stream'> = (context) =>
  stream(context, fromChatRequest(context.body));

/** `GET /api/chat/stream`: the same for `EventSource`, the message in the query. */
export const streamChatGet: RouteImplementation<'chat.stream_get'> = (context) =>
  stream(context, fromStreamQuery(context.query));

/** `POST /api/chat/responses/{response_id}/cancel`: stops a running reply. */
export const cancelChat: RouteImplementation<'chat.responses.cancel'> = async (context) =>
  context.json(
    await cancelReply(context.store.engine.chat, context.params.response_id, callerOf(context).userId),
  );

/** `POST /chat/` (seed 004): the whole reply, the conversation as `session_id`. */
export const createStudioChat: RouteImplementation<'studio.chat.create'> = async (context) =>
  context.json(
    await sessionChatReply(context.store.engine.chat, context.body, callerOf(context), context.signal),
  );

/** `POST /chat/stream` (seed 004): the reply as resumable frames. */
export const streamStudioChat: RouteImplementation<'studio.chat.stream'> = (context) =>
  stream(context, fromSessionRequest(context.body));

/** `GET /ws/chat` without an upgrade: 426, as the server answers. The socket is {@link realtimeHandlers}. */
export const realtimeUpgradeRequired: RouteImplementation<'chat.realtime'> = () => {
  throw websocketOnly('/ws/chat');
};

/** The mocks of the chat routes, by route id. */
export const chatImplementations = {
  'chat.create': createChat,
  'chat.stream': streamChat,
  'chat.stream_get': streamChatGet,
  'chat.responses.cancel': cancelChat,
  'studio.chat.create': createStudioChat,
  'studio.chat.stream': streamStudioChat,
  'chat.realtime': realtimeUpgradeRequired,
} as const;

/** Options of {@link realtimeHandlers}. */
export interface RealtimeHandlersOptions {
  /** Where the mocked server lives (`http://…`; the socket is `ws://…/ws/chat`). Default: the store's. */
  baseURL?: string;
  /** The mock's state, shared with the HTTP handlers. Default: a new store. */
  store?: CartritaStore;
}

/**
 * The close code of a socket opened without a credential that may open it. (The server refuses such
 * an upgrade with an HTTP 401 or 403, which a mocked socket cannot answer.)
 */
export const REALTIME_UNAUTHORIZED_CLOSE_CODE = 1008;

/** The `ws://` (or `wss://`) URL of `/ws/chat` under an `http(s)://` base URL. */
const socketUrl = (baseURL: string): string =>
  `${baseURL.replace(/\/+$/, '').replace(/^http(s?):/i, 'ws$1:')}/ws/chat`;

/**
 * MSW handlers for the `/ws/chat` WebSocket, running the engine's connection over the same store as
 * the HTTP handlers: a client secret in the `access_token` query parameter opens it (anything that
 * would not open the server's is closed with 1008), and chats become threads that `/chatkit` shows.
 *
 * @example
 * const store = createStore({ baseURL: 'http://localhost:8000' });
 * const server = setupServer(...createHandlers({ store }), ...realtimeHandlers({ store }));
 * store.respondWith('Hello over a mocked socket');
 */
export const realtimeHandlers = (options: RealtimeHandlersOptions = {}): WebSocketHandler[] => {
  const store =
    options.store ?? createStore(options.baseURL === undefined ? {} : { baseURL: options.baseURL });
  const baseURL = (options.baseURL ?? store.baseURL).replace(/\/+$/, '');
  if (baseURL !== store.baseURL) {
    throw new Error(
      `realtimeHandlers: baseURL ${baseURL} differs from the store's ${store.baseURL}; create the store with the same baseURL`,
    );
  }
  const requirement = routesById['chat.realtime'].auth;
  const link = ws.link(socketUrl(baseURL));
  return [
    link.addEventListener('connection', ({ client }) => {
      // Messages that arrive while the credential is checked wait for the connection.
      const early: string[] = [];
      let connection: ChatConnection | undefined;
      let closed = false;
      client.addEventListener('message', (event) => {
        if (connection) connection.receive(String(event.data));
        else early.push(String(event.data));
      });
      store.sockets.chat += 1;
      client.addEventListener('close', () => {
        closed = true;
        store.sockets.chat -= 1;
        connection?.close();
      });
      void (async () => {
        const caller = await store.identify(new Request(client.url.href.replace(/^ws/, 'http')));
        const refused = caller.failure ?? checkAuth(caller.auth, requirement);
        const userId = userIdOf(caller.auth);
        if (refused || !userId) {
          client.close(REALTIME_UNAUTHORIZED_CLOSE_CODE, refused?.message ?? 'A credential is required');
          return;
        }
        if (closed) return;
        connection = store.engine.connect({
          userId,
          baseUrl: store.baseURL,
          allowProvider: providerAllowed(caller.auth),
          send: (message) => {
            // Seed 003's messages carry nulls (`thinking: null`), so only their schema is checked.
            const checked = WsServerMessage.safeParse(message);
            if (!checked.success)
              throw new MockContractError(
                `A /ws/chat message would break its schema: ${JSON.stringify(message)}`,
              );
            client.send(JSON.stringify(message));
          },
        });
        connection.open();
        for (const raw of early.splice(0)) connection.receive(raw);
      })();
    }),
  ];
};
