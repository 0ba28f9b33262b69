import { Transport, type TransportOptions } from './core/request.js';
import { Realtime } from './realtime/realtime.js';
import { Chat } from './resources/chat.js';
import { ChatKit } from './resources/chatkit.js';
import { Health, System } from './resources/health.js';
import { Studio } from './resources/studio.js';

/** Options of {@link CartritaClient}. */
export interface ClientOptions extends Omit<TransportOptions, 'baseURL' | 'getAuthToken'> {
  /** Where the Cartrita server lives. Default: `http://127.0.0.1:8000`. */
  baseURL?: string | undefined;
  /**
   * A client secret from `POST /api/chatkit/session`, sent as `Authorization: Bearer`. For secrets that
   * expire, prefer {@link ClientOptions.getClientSecret}.
   */
  clientSecret?: string | undefined;
  /**
   * Returns a valid client secret before each request; called again with `{ force: true }` when the
   * server answers 401, so an expired secret is replaced and the request sent once more.
   */
  getClientSecret?: TransportOptions['getAuthToken'];
}

/**
 * The Cartrita API client. One resource per URL area, each method typed by the route table.
 *
 * @example
 * ```ts
 * import { CartritaClient } from '@cartrita/sdk';
 * const client = new CartritaClient({ baseURL: 'http://127.0.0.1:8000' });
 * const { client_secret } = await client.chatkit.createSession();
 * ```
 */
export class CartritaClient {
  /** The transport every resource sends through (retries, timeouts, auth). */
  readonly transport: Transport;
  /** `GET /health`. */
  readonly health: Health;
  /** `GET /api/health` and the other system routes. */
  readonly system: System;
  /** `POST /api/chatkit/session` and `POST /chatkit`. */
  readonly chatkit: ChatKit;
  /** `/api/chat`: one reply as JSON, or a stream that resumes by itself after a dropped connection. */
  readonly chat: Chat;
  /** `/chat/` of seed 004: the same engine, with `session_id` for the conversation. */
  readonly studio: Studio;
  /** `/ws/chat`: chat over a WebSocket with cancellation, reconnects and a send queue. */
  readonly realtime: Realtime;

  constructor(options: ClientOptions = {}) {
    const { clientSecret, getClientSecret, baseURL, ...rest } = options;
    this.transport = new Transport({
      ...rest,
      baseURL: baseURL ?? 'http://127.0.0.1:8000',
      getAuthToken: getClientSecret ?? (clientSecret === undefined ? undefined : () => clientSecret),
    });
    this.health = new Health(this.transport);
    this.system = new System(this.transport);
    this.chatkit = new ChatKit(this.transport);
    this.chat = new Chat(this.transport);
    this.studio = new Studio(this.transport);
    this.realtime = new Realtime(this.transport);
  }
}
