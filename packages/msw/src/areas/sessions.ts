/**
 * @module The mocks of LLMGine's session routes (seed 001): sessions, commands, events, tools and
 * handlers, by the engine's rules; and the session event stream as a mocked WebSocket.
 */
import {
  EventStreamServerMessage,
  eventStreamCloseCodes,
  type IdsOf,
  routesById,
  type sessionRoutes,
} from '@cartrita/contracts';
import { type Caller, checkAuth, HttpError, sessionCallerOf, websocketOnly } from '@cartrita/engine';
import { type WebSocketHandler, ws } from 'msw';
import type { RouteImplementation } from '../route-handler.js';
import { type CartritaStore, createStore } from '../state.js';
import { MockContractError } from '../wire.js';

type SessionRouteId = IdsOf<typeof sessionRoutes>;

/** The session caller of an authorised mock request. */
export const sessionCaller = (caller: Caller) => sessionCallerOf(caller.auth);

/** The mocks of the session routes, by route id. */
export const sessionImplementations: { readonly [K in SessionRouteId]: RouteImplementation<K> } = {
  'sessions.create': async ({ json, store, caller, body }) =>
    json(await store.engine.sessions.create(body ?? {}, sessionCaller(caller))),
  'sessions.get': async ({ json, store, caller, params }) =>
    json(await store.engine.sessions.get(params.session_id, sessionCaller(caller))),
  'sessions.delete': async ({ json, store, caller, params }) =>
    json(await store.engine.sessions.delete(params.session_id, sessionCaller(caller))),

  'sessions.commands.create': async ({ json, store, caller, params, body }) =>
    json(await store.engine.commands.create(params.session_id, sessionCaller(caller), body)),
  'sessions.commands.batch': async ({ json, store, caller, params, body }) =>
    json(await store.engine.commands.batch(params.session_id, sessionCaller(caller), body)),
  'sessions.commands.get': async ({ json, store, caller, params }) =>
    json(await store.engine.commands.get(params.session_id, sessionCaller(caller), params.command_id)),
  'sessions.commands.cancel': async ({ json, store, caller, params }) =>
    json(await store.engine.commands.cancel(params.session_id, sessionCaller(caller), params.command_id)),

  'sessions.events.create': async ({ json, store, caller, params, body }) =>
    json(await store.engine.events.publish(params.session_id, sessionCaller(caller), body)),
  'sessions.events.list': async ({ json, store, caller, params, query }) =>
    json(await store.engine.events.list(params.session_id, sessionCaller(caller), query)),
  'sessions.events.stream': ({ request }) => {
    throw websocketOnly(new URL(request.url).pathname);
  },
  'sessions.events.get': async ({ json, store, caller, params }) =>
    json(await store.engine.events.get(params.session_id, sessionCaller(caller), params.event_id)),

  'sessions.tools.create': async ({ json, store, caller, params, body }) =>
    json(await store.engine.tools.register(params.session_id, sessionCaller(caller), body)),
  'sessions.tools.list': async ({ json, store, caller, params }) =>
    json(await store.engine.tools.list(params.session_id, sessionCaller(caller))),
  'sessions.tools.execute': async ({ json, store, caller, params, body }) =>
    json(
      await store.engine.tools.execute(
        params.session_id,
        sessionCaller(caller),
        params.tool_name,
        body ?? { arguments: {} },
      ),
    ),
  'sessions.tools.delete': async ({ json, store, caller, params }) =>
    json(await store.engine.tools.delete(params.session_id, sessionCaller(caller), params.tool_name)),

  'sessions.handlers.list': async ({ json, store, caller, params }) =>
    json(await store.engine.handlers.list(params.session_id, sessionCaller(caller))),
  'sessions.handlers.commands.create': async ({ json, store, caller, params, body }) =>
    json(await store.engine.handlers.registerCommand(params.session_id, sessionCaller(caller), body)),
  'sessions.handlers.events.create': async ({ json, store, caller, params, body }) =>
    json(await store.engine.handlers.registerEvent(params.session_id, sessionCaller(caller), body)),
  'sessions.handlers.commands.delete': async ({ json, store, caller, params }) =>
    json(
      await store.engine.handlers.deleteCommand(
        params.session_id,
        sessionCaller(caller),
        params.command_type,
      ),
    ),
  'sessions.handlers.events.delete': async ({ json, store, caller, params }) =>
    json(
      await store.engine.handlers.deleteEvent(params.session_id, sessionCaller(caller), params.event_type),
    ),
};

/** Options of {@link eventStreamHandlers}. */
export interface EventStreamHandlersOptions {
  /** Where the mocked server lives. Default: the store's. */
  baseURL?: string;
  /** The mock's state, shared with the HTTP handlers. Default: a new store. */
  store?: CartritaStore;
}

/** The close code of a mocked socket the server would have refused (401, 403, 404). */
export const EVENT_STREAM_REFUSED_CLOSE_CODE = 1008;

/**
 * MSW handlers for `WS /api/sessions/{session_id}/events/stream`, following a session of the same
 * store as the HTTP handlers: `{type: "ready"}`, then each event as `{type: "event", ...event}`,
 * with `last_event_id` replaying what was missed first. A socket the server would refuse (no
 * credential, another's session, an unknown `last_event_id`) is closed with 1008 and the reason.
 *
 * @example
 * const store = createStore({ apiKeys: ['test-key-0123456789'] });
 * const server = setupServer(...createHandlers({ store }), ...eventStreamHandlers({ store }));
 */
export const eventStreamHandlers = (options: EventStreamHandlersOptions = {}): WebSocketHandler[] => {
  const store =
    options.store ?? createStore(options.baseURL === undefined ? {} : { baseURL: options.baseURL });
  const baseURL = (options.baseURL ?? store.baseURL).replace(/\/+$/, '');
  const socketBase = baseURL.replace(/^http(s?):/i, 'ws$1:');
  const route = routesById['sessions.events.stream'];
  const link = ws.link(`${socketBase}/api/sessions/:session_id/events/stream`);
  return [
    link.addEventListener('connection', ({ client, params }) => {
      let stop: (() => void) | undefined;
      let closed = false;
      const send = (message: unknown) => {
        if (!EventStreamServerMessage.safeParse(message).success) {
          throw new MockContractError(
            `An event stream message would break its schema: ${JSON.stringify(message)}`,
          );
        }
        client.send(JSON.stringify(message));
      };
      client.addEventListener('message', (event) => {
        let message: { type?: unknown } | undefined;
        try {
          message = JSON.parse(String(event.data));
        } catch {
          message = undefined;
        }
        if (message?.type === 'ping') send({ type: 'pong' });
        else {
          send({
            type: 'error',
            error: {
              code: 'VALIDATION_ERROR',
              message: 'Expected {"type": "ping"}: the stream takes nothing else',
            },
          });
        }
      });
      store.sockets.events += 1;
      client.addEventListener('close', () => {
        closed = true;
        store.sockets.events -= 1;
        stop?.();
      });
      void (async () => {
        const sessionId = String(params.session_id);
        try {
          const caller = await store.identify(new Request(client.url.href.replace(/^ws/, 'http')));
          const refused = caller.failure ?? checkAuth(caller.auth, route.auth);
          if (refused) throw refused;
          const lastEventId = client.url.searchParams.get('last_event_id') ?? undefined;
          const eventType = client.url.searchParams.get('event_type') ?? undefined;
          const unsubscribe = await store.engine.events.follow(
            sessionId,
            sessionCaller(caller),
            {
              ...(lastEventId === undefined ? {} : { lastEventId }),
              ...(eventType === undefined ? {} : { eventType }),
            },
            {
              event: (item) => send({ type: 'event', ...item }),
              ready: (replayed) => send({ type: 'ready', session_id: sessionId, replayed }),
              deleted: () => client.close(eventStreamCloseCodes.sessionDeleted, 'Session deleted'),
            },
          );
          if (closed) unsubscribe();
          else stop = unsubscribe;
        } catch (error) {
          const message = error instanceof HttpError ? error.message : 'The stream could not be opened';
          client.close(EVENT_STREAM_REFUSED_CLOSE_CODE, message.slice(0, 120));
        }
      })();
    }),
  ];
};
