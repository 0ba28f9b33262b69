/** @module Mocks of `WS /ws/{client_id}` (seed 004): the engine's studio connection over the store's bus. */
import { routesById, StudioServerMessage } from '@cartrita/contracts';
import { checkAuth, StudioConnection, silentLogger, userIdOf, websocketOnly } from '@cartrita/engine';
import { type WebSocketHandler, ws } from 'msw';
import type { RouteImplementation } from '../route-handler.js';
import { type CartritaStore, createStore } from '../state.js';
import { MockContractError } from '../wire.js';
import { REALTIME_UNAUTHORIZED_CLOSE_CODE } from './chat.js';

/** `GET /ws/{client_id}` without an upgrade: 426, as the server answers. The socket is {@link studioSocketHandlers}. */
export const studioUpgradeRequired: RouteImplementation<'studio.socket'> = ({ request }) => {
  throw websocketOnly(new URL(request.url).pathname);
};

/** The mocks of the studio routes, by route id. */
export const studioImplementations = {
  'studio.socket': studioUpgradeRequired,
} as const;

/** Options of {@link studioSocketHandlers}. */
export interface StudioSocketHandlersOptions {
  /** Where the mocked server lives (`http://…`). Default: the store's. */
  baseURL?: string;
  /** The mock's state, shared with the HTTP handlers. Default: a new store. */
  store?: CartritaStore;
}

/**
 * MSW handlers for `WS /ws/{client_id}`, running the engine's studio connection over the store's
 * event bus: a chat on a subscribed session streams to it as it does from the server. `/ws/chat` is
 * the chat socket's ({@link realtimeHandlers}), not a client id.
 */
export const studioSocketHandlers = (options: StudioSocketHandlersOptions = {}): WebSocketHandler[] => {
  const store =
    options.store ?? createStore(options.baseURL === undefined ? {} : { baseURL: options.baseURL });
  const baseURL = (options.baseURL ?? store.baseURL).replace(/\/+$/, '');
  const link = ws.link(`${baseURL.replace(/^http(s?):/i, 'ws$1:')}/ws/:client_id`);
  const route = routesById['studio.socket'];
  return [
    link.addEventListener('connection', ({ client, params }) => {
      const clientId = String(params.client_id);
      if (clientId === 'chat') return;
      const early: string[] = [];
      let connection: StudioConnection | undefined;
      let closed = false;
      client.addEventListener('message', (event) => {
        if (connection) connection.receive(String(event.data));
        else early.push(String(event.data));
      });
      store.sockets.studio += 1;
      client.addEventListener('close', () => {
        closed = true;
        store.sockets.studio -= 1;
        connection?.close();
      });
      void (async () => {
        const caller = await store.identify(new Request(client.url.href.replace(/^ws/, 'http')));
        const refused =
          caller.failure ??
          checkAuth(caller.auth, route.auth) ??
          (route.params.safeParse({ client_id: clientId }).success
            ? undefined
            : { message: 'Invalid client id' });
        const userId = userIdOf(caller.auth);
        if (refused || !userId) {
          client.close(REALTIME_UNAUTHORIZED_CLOSE_CODE, refused?.message ?? 'A credential is required');
          return;
        }
        if (closed) return;
        connection = new StudioConnection({
          clientId,
          userId,
          bus: store.engine.bus,
          logger: silentLogger,
          send: (message) => {
            if (!StudioServerMessage.safeParse(message).success) {
              throw new MockContractError(
                `A /ws/{client_id} message would break its schema: ${JSON.stringify(message)}`,
              );
            }
            client.send(JSON.stringify(message));
          },
        });
        connection.start();
        for (const raw of early.splice(0)) connection.receive(raw);
      })();
    }),
  ];
};
