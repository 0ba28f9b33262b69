import type { Transport } from '../core/request.js';
import { RealtimeChat, type RealtimeChatOptions } from './realtime-chat.js';
import { StudioSocket, type StudioSocketOptions } from './studio-socket.js';

/**
 * `/ws/chat`: chat over a WebSocket (seed 003), with cancellation, automatic reconnects and a queue
 * for messages sent while disconnected. Works in browsers and in Node 22+ (the global `WebSocket`).
 *
 * @example
 * ```ts
 * const client = new CartritaClient({ baseURL, getClientSecret });
 * const chat = client.realtime.chat();
 * const run = chat.send('Hello');
 * setTimeout(() => run.cancel(), 500);
 * console.log(await run.done); // { status: 'cancelled', text: 'The first words…', … }
 * chat.close();
 * ```
 */
export class Realtime {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Opens a chat connection to `/ws/chat` under the client's `baseURL`, authenticated by the
   * client's client secret (`getClientSecret` / `clientSecret`). Close it with `close()`.
   */
  chat(options: RealtimeChatOptions = {}): RealtimeChat {
    return new RealtimeChat(this.#transport, options);
  }

  /**
   * Opens `WS /ws/{client_id}` (seed 004): subscribe to sessions to follow their turns live, and get
   * the caller's files as they are processed. `clientId` is your name for the connection.
   */
  studio(clientId: string, options: StudioSocketOptions = {}): StudioSocket {
    return new StudioSocket(this.#transport, clientId, options);
  }
}
