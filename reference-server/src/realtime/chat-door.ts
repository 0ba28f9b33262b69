/** @module `/ws/chat` (seed 003): the chat engine's WebSocket protocol. */
import { providerAllowed, userIdOf } from '@cartrita/engine';
import type { AppContext } from '../app-context.js';
import type { SocketDoor } from './socket-door.js';

/** The `/ws/chat` door over the app's engine. */
export const chatDoor = (context: Pick<AppContext, 'engine'>): SocketDoor => ({
  name: 'chat',
  routeId: 'chat.realtime',
  async admit({ auth, baseUrl }) {
    return {
      fields: {},
      open(socket) {
        const connection = context.engine.connect({
          send: (message) => socket.send(message),
          userId: userIdOf(auth) as string,
          baseUrl,
          allowProvider: providerAllowed(auth),
        });
        return {
          start: () => connection.open(),
          receive: (text) => connection.receive(text),
          receiveBinary: () => connection.receiveBinary(),
          close: () => connection.close(),
        };
      },
    };
  },
});
