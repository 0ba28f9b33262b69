/** @module `WS /ws/{client_id}` (seed 004): live updates of the caller's sessions and files. */
import { StudioConnection, userIdOf } from '@cartrita/engine';
import type { AppContext } from '../app-context.js';
import type { SocketDoor } from './socket-door.js';

/** The studio door over the app's engine and event bus. */
export const studioDoor = (context: Pick<AppContext, 'engine' | 'logger'>): SocketDoor => ({
  name: 'studio',
  routeId: 'studio.socket',
  async admit({ auth, params }) {
    const clientId = params.client_id as string;
    return {
      fields: { clientId },
      outbound: { sizeOf: (message) => JSON.stringify(message).length, coalesce: () => undefined },
      open(socket) {
        const connection = new StudioConnection({
          clientId,
          userId: userIdOf(auth) as string,
          bus: context.engine.bus,
          send: (message) => socket.send(message),
          logger: context.logger,
        });
        return {
          start: () => connection.start(),
          receive: (text) => connection.receive(text),
          receiveBinary: () => connection.receiveBinary(),
          close: () => connection.close(),
        };
      },
    };
  },
});
