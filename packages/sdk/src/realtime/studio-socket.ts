import { StudioServerMessage } from '@cartrita/contracts';
import { APIConnectionError, APIUserAbortError, StreamError } from '../core/errors.js';
import { path } from '../core/path.js';
import type { Transport } from '../core/request.js';
import { DEFAULT_RECONNECT, type ReconnectOptions, reconnectDelay } from './backoff.js';
import { authorizeSocket, socketUrl, type WebSocketConstructor } from './socket-url.js';

/** An update the studio socket delivers: a session's turn, or one of the caller's files. */
export type StudioUpdate = Exclude<
  StudioServerMessage,
  { type: 'connected' | 'pong' | 'subscribed' | 'unsubscribed' | 'error' }
>;

/** Where the socket is: `connecting`, `open`, `reconnecting` (dropped; trying again) or `closed`. */
export type StudioSocketState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Options of `client.realtime.studio()`. */
export interface StudioSocketOptions {
  /** Closes the socket when aborted; a loop over it throws `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /**
   * Reconnect after a dropped connection, with exponential backoff and jitter, subscribing again to
   * every session followed; `false` never reconnects. Default: 10 failed attempts in a row.
   */
  reconnect?: ReconnectOptions | false | undefined;
  /** How often to send a `ping`, in milliseconds; `0` turns it off. Default: 25 000. */
  heartbeatMs?: number | undefined;
  /** The `WebSocket` class to use. Default: `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor | undefined;
}

type Waiter = { resolve(): void; reject(error: unknown): void };

/**
 * `WS /ws/{client_id}` (seed 004): the live updates of the sessions it subscribes to
 * (`chat_update`, `agent_execution_update`, `plan_graph_update`, `execution_monitoring_update`) and of
 * the caller's files (`file_processing_update`). Iterate it with `for await`, or listen with `on()`.
 * After a dropped connection it reconnects and subscribes again; updates published while it was
 * away are not replayed.
 *
 * @example
 * ```ts
 * const studio = client.realtime.studio('dashboard-1');
 * await studio.subscribe(sessionId);
 * for await (const update of studio) {
 *   if (update.type === 'chat_update') process.stdout.write(update.is_complete ? '\n' : update.message);
 * }
 * ```
 */
export class StudioSocket implements AsyncIterable<StudioUpdate> {
  readonly clientId: string;
  readonly #transport: Transport;
  readonly #options: StudioSocketOptions;
  readonly #path: string;
  readonly #sessions = new Set<string>();
  readonly #pending = new Map<string, Waiter[]>();
  readonly #listeners = new Set<(update: StudioUpdate) => void>();
  readonly #buffer: StudioUpdate[] = [];
  #wake: (() => void) | undefined;
  #socket: WebSocket | undefined;
  #state: StudioSocketState = 'connecting';
  #failures = 0;
  #ending: { error?: unknown } | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Resolves when the first connection is open. */
  readonly ready: Promise<void>;
  #ready!: Waiter;

  constructor(transport: Transport, clientId: string, options: StudioSocketOptions = {}) {
    this.#transport = transport;
    this.clientId = clientId;
    this.#options = options;
    this.#path = path`/ws/${clientId}`;
    this.ready = new Promise((resolve, reject) => {
      this.#ready = { resolve, reject };
    });
    this.ready.catch(() => {});
    options.signal?.addEventListener('abort', () => this.#end({ error: new APIUserAbortError() }), {
      once: true,
    });
    void this.#connect();
  }

  get state(): StudioSocketState {
    return this.#state;
  }

  /** Follows a session's turns; resolves once the server confirms. */
  subscribe(sessionId: string): Promise<void> {
    this.#sessions.add(sessionId);
    return this.#ask('subscribe', sessionId);
  }

  /** Stops following a session; resolves once the server confirms. */
  unsubscribe(sessionId: string): Promise<void> {
    this.#sessions.delete(sessionId);
    return this.#ask('unsubscribe', sessionId);
  }

  /** Calls `listener` with every update; returns a function that stops. */
  on(listener: (update: StudioUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Closes the socket; a loop over it ends. */
  close(): void {
    this.#end({});
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StudioUpdate> {
    for (;;) {
      const next = this.#buffer.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.#ending) {
        if (this.#ending.error !== undefined) throw this.#ending.error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #ask(type: 'subscribe' | 'unsubscribe', sessionId: string): Promise<void> {
    if (this.#ending) return Promise.reject(new StreamError('The studio socket is closed'));
    const key = `${type === 'subscribe' ? 'subscribed' : 'unsubscribed'}:${sessionId}`;
    return new Promise((resolve, reject) => {
      this.#pending.set(key, [...(this.#pending.get(key) ?? []), { resolve, reject }]);
      if (this.#state === 'open') this.#send({ type, session_id: sessionId });
    });
  }

  #send(message: unknown): void {
    this.#socket?.send(JSON.stringify(message));
  }

  async #connect(): Promise<void> {
    const where = { method: 'GET', path: this.#path };
    let socket: WebSocket;
    try {
      const token = await this.#transport.authToken();
      if (this.#ending) return;
      const url = socketUrl(this.#transport.baseURL, this.#path);
      const init = authorizeSocket(url, token, where);
      const Socket =
        this.#options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
      if (!Socket)
        throw new APIConnectionError('No WebSocket class: pass one in the WebSocket option', where);
      socket = new Socket(url.toString(), init as string[] | undefined);
    } catch (error) {
      this.#end({ error });
      return;
    }
    this.#socket = socket;
    let opened = false;
    socket.onmessage = (event: MessageEvent) => {
      let message: StudioServerMessage;
      try {
        message = StudioServerMessage.parse(JSON.parse(String(event.data)));
      } catch {
        return;
      }
      if (message.type === 'connected') {
        opened = true;
        this.#failures = 0;
        this.#state = 'open';
        this.#ready.resolve();
        for (const sessionId of this.#sessions) this.#send({ type: 'subscribe', session_id: sessionId });
        for (const key of this.#pending.keys()) {
          const [answer, sessionId] = key.split(/:(.*)/s) as [string, string];
          if (answer === 'unsubscribed') this.#send({ type: 'unsubscribe', session_id: sessionId });
        }
        this.#startHeartbeat();
        return;
      }
      if (message.type === 'subscribed' || message.type === 'unsubscribed') {
        const key = `${message.type}:${message.session_id}`;
        for (const waiter of this.#pending.get(key) ?? []) waiter.resolve();
        this.#pending.delete(key);
        return;
      }
      if (message.type === 'pong' || message.type === 'error') return;
      this.#buffer.push(message);
      this.#wake?.();
      for (const listener of this.#listeners) listener(message);
    };
    socket.onclose = (event: CloseEvent) => {
      clearInterval(this.#heartbeat);
      if (this.#ending) return;
      const reconnect =
        this.#options.reconnect === false ? undefined : { ...DEFAULT_RECONNECT, ...this.#options.reconnect };
      if (!opened) this.#failures += 1;
      if (!reconnect || this.#failures >= reconnect.maxAttempts) {
        this.#end({
          error: new APIConnectionError(`The studio socket closed (${event.code})`, where),
        });
        return;
      }
      this.#state = 'reconnecting';
      this.#reconnectTimer = setTimeout(
        () => void this.#connect(),
        reconnectDelay(this.#failures, reconnect),
      );
    };
  }

  #startHeartbeat(): void {
    clearInterval(this.#heartbeat);
    const every = this.#options.heartbeatMs ?? 25_000;
    if (every > 0) this.#heartbeat = setInterval(() => this.#send({ type: 'ping' }), every);
  }

  #end(ending: { error?: unknown }): void {
    if (this.#ending) return;
    this.#ending = ending;
    this.#state = 'closed';
    clearInterval(this.#heartbeat);
    clearTimeout(this.#reconnectTimer);
    this.#socket?.close(1000, 'Closed by the client');
    const error = ending.error ?? new StreamError('The studio socket closed');
    this.#ready.reject(error);
    for (const waiters of this.#pending.values()) for (const waiter of waiters) waiter.reject(error);
    this.#pending.clear();
    this.#wake?.();
  }
}
