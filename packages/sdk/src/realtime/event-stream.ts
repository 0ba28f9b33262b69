import { EventStreamServerMessage, eventStreamCloseCodes } from '@cartrita/contracts';
import {
  APIConnectionError,
  APIUserAbortError,
  type CartritaError,
  isAPIError,
  isAuthenticationError,
  isNotFoundError,
  StreamError,
} from '../core/errors.js';
import { path } from '../core/path.js';
import type { Transport } from '../core/request.js';
import type { RouteSocket } from '../core/route-types.js';
import { DEFAULT_RECONNECT, type ReconnectOptions, reconnectDelay } from './backoff.js';
import { ClientSecretExpiredError } from './errors.js';
import { authorizeSocket, isClientSecret, socketUrl, type WebSocketConstructor } from './socket-url.js';

/** A message the event stream's server sends: the route's server schema. */
export type EventStreamMessage = RouteSocket<'sessions.events.stream'>['server'];

/** One event of a session as the stream delivers it: `{type: 'event', event_id, event_type, data, ...}`. */
export type SessionStreamEvent = Extract<EventStreamMessage, { type: 'event' }>;

/** The server's `ready` message: the socket follows the session, after `replayed` missed events. */
export type EventStreamReady = Extract<EventStreamMessage, { type: 'ready' }>;

/**
 * Where the stream is: `connecting` (until the first `ready`), `open`, `reconnecting` (dropped;
 * waiting or trying again) or `closed` (ended: by `close()`, the signal, the session's deletion or an
 * error).
 */
export type EventStreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** What {@link EventStreamOptions.onReconnect} receives before each new attempt. */
export interface EventStreamReconnectEvent {
  /** 1 for the first attempt after a drop; it grows while attempts fail in a row. */
  attempt: number;
  /** The wait before the attempt, in milliseconds. */
  delayMs: number;
  /** The `last_event_id` the attempt resumes after: the last event the stream received. */
  lastEventId: string | undefined;
  /** The close code of the socket that ended (1006 when it never opened). */
  code: number;
}

/** Options of `client.events.stream()`. */
export interface EventStreamOptions {
  /**
   * Resume after this event: the events published after it are sent first (oldest first), then the
   * live ones. Without it the stream starts with the events published from now on.
   */
  lastEventId?: string | undefined;
  /** Only events of this type. */
  eventType?: string | undefined;
  /**
   * Ends the stream when aborted: the loop throws `APIUserAbortError` (`close()` ends it without an
   * error).
   */
  signal?: AbortSignal | undefined;
  /**
   * Reconnect after a dropped connection, with exponential backoff and jitter, resuming after the last
   * event received; `false` never reconnects (a drop then ends the loop with `APIConnectionError`).
   * Default: 10 failed attempts in a row, 0.5 s doubling to 10 s.
   */
  reconnect?: ReconnectOptions | false | undefined;
  /**
   * How often to send a `ping` to check the connection, in milliseconds; `0` turns it off. Browsers
   * cannot see WebSocket ping frames, so this is how a client notices a dead network. Default: 25 000.
   */
  heartbeatMs?: number | undefined;
  /** How long to wait for anything from the server after a heartbeat `ping`. Default: 10 000. */
  heartbeatTimeoutMs?: number | undefined;
  /** The `WebSocket` class to use. Default: `globalThis.WebSocket`, looked up at each connection. */
  WebSocket?: WebSocketConstructor | undefined;
  /** Called before each reconnect attempt: for logging and metrics. */
  onReconnect?: ((event: EventStreamReconnectEvent) => void) | undefined;
}

/** How the stream ended, once it has. */
type Ending = { kind: 'done' } | { kind: 'error'; error: unknown; dropBuffer: boolean };

const OPEN = 1;

/**
 * `WS /api/sessions/{session_id}/events/stream`: a session's events as they are published, as an
 * async iterable. Iterate it once; it yields only the events (`{type: 'event', ...}`); the server's
 * `ready` message is the {@link EventStream.ready} promise instead, so a loop reads events alone, and
 * a caller can wait until the stream follows the session before publishing.
 *
 * After a dropped connection (a network error, a server restart, a heartbeat without answer) it
 * reconnects with exponential backoff and `last_event_id` set to the last event it received; the
 * server sends what was published meanwhile, then the live events, so the loop sees every event
 * once, in order. It does not reconnect when the session is deleted (close code 4404: the loop ends),
 * when the client secret expired (4401: the loop throws {@link ClientSecretExpiredError}), or after
 * `close()` or the signal's abort. A connection refused before the server's `ready` is explained
 * with one HTTP call (`GET .../events?limit=1`, with the same credential): a session that does not
 * exist ends the stream with its `NotFoundError` (or, when it existed and was deleted while the stream
 * was away, ends the loop as 4404 does), a refused credential with `AuthenticationError` (or
 * {@link ClientSecretExpiredError} for a client secret), `PermissionDeniedError` as it is; anything
 * else is retried.
 *
 * Events received wait in memory, in order, until the loop reads them.
 *
 * A client secret travels in the `access_token` query parameter, as browsers cannot send headers on
 * a WebSocket. An API key goes in the `Authorization` header where the runtime can send one (Node's
 * global `WebSocket` takes headers as its second argument); a browser cannot, so an API key there
 * fails with `APIConnectionError` rather than go in a URL.
 *
 * @example
 * ```ts
 * const stream = client.events.stream(sessionId, { lastEventId: saved });
 * await stream.ready; // the stream follows the session: publish now and the event comes through
 * for await (const event of stream) {
 *   console.log(event.event_type, event.data);
 *   saved = event.event_id; // resume from here next time
 * }
 * ```
 */
export class EventStream implements AsyncIterable<SessionStreamEvent> {
  /** The session followed. */
  readonly sessionId: string;
  /**
   * Resolves with the server's first `ready` message (`{type: 'ready', session_id, replayed}`): the
   * missed events (those after `lastEventId`) are in, and the live ones follow. Rejects when the
   * stream ends first.
   */
  readonly ready: Promise<EventStreamReady>;
  readonly #transport: Transport;
  readonly #options: EventStreamOptions;
  readonly #reconnect: Required<ReconnectOptions> | false;
  readonly #path: string;
  readonly #buffer: SessionStreamEvent[] = [];
  #wake: (() => void) | undefined;
  #ending: Ending | undefined;
  #state: EventStreamState = 'connecting';
  #socket: WebSocket | undefined;
  /** The last event received (the resume point) and the last one the loop was given. */
  #lastReceived: string | undefined;
  #lastDelivered: string | undefined;
  #everReady = false;
  #reconnects = 0;
  /** Attempts in a row that did not reach `ready`. */
  #failures = 0;
  #iterated = false;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  #heartbeatDeadline: ReturnType<typeof setTimeout> | undefined;
  #resolveReady!: (message: EventStreamReady) => void;
  #rejectReady!: (error: unknown) => void;
  readonly #onAbort = () =>
    this.#end({
      kind: 'error',
      error: new APIUserAbortError({ ...this.#where, cause: this.#options.signal?.reason }),
      dropBuffer: true,
    });

  /** Made by `client.events.stream()`; it connects at once. */
  constructor(transport: Transport, sessionId: string, options: EventStreamOptions = {}) {
    this.#transport = transport;
    this.sessionId = sessionId;
    this.#options = options;
    this.#path = path`/api/sessions/${sessionId}/events/stream`;
    this.#lastReceived = options.lastEventId;
    this.#reconnect =
      options.reconnect === false
        ? false
        : {
            maxAttempts: options.reconnect?.maxAttempts ?? DEFAULT_RECONNECT.maxAttempts,
            initialDelayMs: options.reconnect?.initialDelayMs ?? DEFAULT_RECONNECT.initialDelayMs,
            maxDelayMs: options.reconnect?.maxDelayMs ?? DEFAULT_RECONNECT.maxDelayMs,
          };
    this.ready = new Promise<EventStreamReady>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // A caller who only iterates need not handle `ready`'s rejection: the loop reports the same end.
    this.ready.catch(() => {});
    const { signal } = options;
    if (signal?.aborted) {
      this.#onAbort();
      return;
    }
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    void this.#connect();
  }

  /** Where the stream is. */
  get state(): EventStreamState {
    return this.#state;
  }

  /**
   * The id of the last event the loop was given (or the `lastEventId` the stream started from): pass it
   * as `lastEventId` to a later stream to go on from there.
   */
  get lastEventId(): string | undefined {
    return this.#lastDelivered ?? this.#options.lastEventId;
  }

  /** How many times the stream reconnected and followed the session again. */
  get reconnects(): number {
    return this.#reconnects;
  }

  /**
   * Ends the stream for good: the loop ends without an error (events received but not yet read are
   * dropped), and `ready` rejects with `APIUserAbortError` if it had not resolved. Safe to call twice.
   */
  close(): void {
    this.#end({ kind: 'done' }, true, new APIUserAbortError(this.#where));
  }

  [Symbol.asyncIterator](): AsyncIterator<SessionStreamEvent> {
    if (this.#iterated) throw new StreamError('An event stream can be iterated only once', this.#where);
    this.#iterated = true;
    return {
      next: () => this.#next(),
      return: async () => {
        // Leaving the loop early ends the stream.
        this.close();
        return { done: true, value: undefined };
      },
    };
  }

  #closed(): boolean {
    return this.#state === 'closed';
  }

  get #where() {
    return { method: 'GET', path: this.#path };
  }

  async #next(): Promise<IteratorResult<SessionStreamEvent>> {
    for (;;) {
      const event = this.#buffer.shift();
      if (event) {
        this.#lastDelivered = event.event_id;
        return { done: false, value: event };
      }
      const ending = this.#ending;
      if (ending?.kind === 'error') {
        // Thrown once; a later call just ends.
        this.#ending = { kind: 'done' };
        throw ending.error;
      }
      if (ending) return { done: true, value: undefined };
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #push(event: SessionStreamEvent): void {
    this.#lastReceived = event.event_id;
    this.#buffer.push(event);
    this.#wakeReader();
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /**
   * Ends the stream: no reconnect, the socket closed, `ready` settled (rejected with the error, or
   * with `readyError` after a clean end). A clean end keeps the events already received for the loop
   * unless `dropBuffer`; an error is thrown after them, or at once.
   */
  #end(ending: Ending, dropBuffer = false, readyError?: unknown): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#ending = ending;
    if (dropBuffer || (ending.kind === 'error' && ending.dropBuffer)) this.#buffer.length = 0;
    clearTimeout(this.#reconnectTimer);
    this.#stopHeartbeat();
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      this.#detach(socket);
      if (socket.readyState <= OPEN) socket.close(1000, 'Closed by the client');
    }
    this.#rejectReady(
      ending.kind === 'error'
        ? ending.error
        : (readyError ??
            new StreamError(
              'The event stream ended before the server was ready: the session was deleted',
              this.#where,
            )),
    );
    this.#wakeReader();
  }

  #fail(error: CartritaError | unknown): void {
    this.#end({ kind: 'error', error, dropBuffer: false });
  }

  // Connecting --------------------------------------------------------------------------------

  async #connect(): Promise<void> {
    let token: string | undefined;
    try {
      token = await this.#transport.authToken();
    } catch (error) {
      if (this.#state === 'closed') return;
      void this.#dropped(1006, false, undefined, error);
      return;
    }
    if (this.#state === 'closed') return;
    const url = socketUrl(this.#transport.baseURL, this.#path);
    const resumeFrom = this.#lastReceived;
    if (resumeFrom !== undefined) url.searchParams.set('last_event_id', resumeFrom);
    if (this.#options.eventType !== undefined) url.searchParams.set('event_type', this.#options.eventType);
    let init: unknown;
    try {
      init = authorizeSocket(url, token, this.#where);
    } catch (error) {
      this.#fail(error);
      return;
    }
    const Socket = this.#options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Socket) {
      this.#fail(new APIConnectionError('No WebSocket class: pass one in the WebSocket option', this.#where));
      return;
    }
    let socket: WebSocket;
    try {
      socket = new Socket(url.toString(), init as string[] | undefined);
    } catch (error) {
      void this.#dropped(1006, false, token, error);
      return;
    }
    this.#socket = socket;
    let ready = false;
    socket.onmessage = (event: MessageEvent) => {
      if (this.#handleMessage(event.data)) ready = true;
    };
    socket.onerror = () => {};
    socket.onclose = (event: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#detach(socket);
      this.#socket = undefined;
      void this.#dropped(event.code, ready, token);
    };
  }

  /**
   * A socket closed, or an attempt failed before there was one: end the stream, or try again. An
   * attempt that never reached `ready` is explained by an HTTP call first.
   */
  async #dropped(code: number, ready: boolean, token: string | undefined, cause?: unknown): Promise<void> {
    this.#stopHeartbeat();
    if (this.#state === 'closed') return;
    if (code === eventStreamCloseCodes.sessionDeleted) {
      this.#end({ kind: 'done' });
      return;
    }
    if (code === eventStreamCloseCodes.secretExpired) {
      this.#fail(new ClientSecretExpiredError(this.#path));
      return;
    }
    if (!ready) {
      this.#failures++;
      const verdict = await this.#explain(token);
      // `close()` or the signal may have ended the stream meanwhile.
      if (this.#closed()) return;
      if (verdict === 'gone') {
        this.#end({ kind: 'done' });
        return;
      }
      if (verdict !== 'retry') {
        this.#fail(verdict);
        return;
      }
    }
    const policy = this.#reconnect;
    if (policy === false || this.#failures > policy.maxAttempts) {
      this.#fail(
        new APIConnectionError(
          policy === false
            ? `The event stream closed (${code}): ${this.#path}`
            : `Could not follow ${this.#path}: ${this.#failures} attempts in a row failed`,
          { ...this.#where, cause },
        ),
      );
      return;
    }
    const delayMs = reconnectDelay(this.#failures, policy);
    if (this.#everReady) this.#state = 'reconnecting';
    try {
      this.#options.onReconnect?.({
        attempt: this.#failures + 1,
        delayMs,
        lastEventId: this.#lastReceived,
        code,
      });
    } catch (error) {
      // A listener's bug must not stop the reconnect; report it as the platform reports them.
      queueMicrotask(() => {
        throw error;
      });
    }
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => void this.#connect(), delayMs);
  }

  /**
   * Why a connection was refused, asked over HTTP with the credential the socket used (browsers do not
   * show a refused upgrade's status): `gone` when the session followed until now was deleted, the error
   * that ends the stream, or `retry` when nothing is wrong but the network.
   */
  async #explain(token: string | undefined): Promise<'gone' | 'retry' | unknown> {
    try {
      await this.#transport.request({
        method: 'GET',
        path: path`/api/sessions/${this.sessionId}/events`,
        query: { limit: 1 },
        headers: { authorization: token === undefined ? null : `Bearer ${token}` },
        maxRetries: 0,
      });
      return 'retry';
    } catch (error) {
      if (isNotFoundError(error)) return this.#everReady ? 'gone' : error;
      if (isAuthenticationError(error)) {
        return token !== undefined && isClientSecret(token)
          ? new ClientSecretExpiredError(this.#path, error)
          : error;
      }
      if (isAPIError(error) && error.status === 403) return error;
      return 'retry';
    }
  }

  #detach(socket: WebSocket): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
  }

  // Messages ----------------------------------------------------------------------------------

  /** Handles one server message; `true` when it was `ready`. */
  #handleMessage(data: unknown): boolean {
    clearTimeout(this.#heartbeatDeadline);
    this.#heartbeatDeadline = undefined;
    let raw: unknown;
    try {
      raw = JSON.parse(String(data));
    } catch (cause) {
      this.#fail(
        new StreamError('The event stream sent a message that is not JSON', { ...this.#where, cause }),
      );
      return false;
    }
    const parsed = EventStreamServerMessage.safeParse(raw);
    if (!parsed.success) {
      const type = (raw as { type?: unknown } | null)?.type;
      // A message type this SDK does not know comes from a newer server: it is left alone.
      if (['event', 'ready', 'pong', 'error'].includes(type as string)) {
        this.#fail(
          new StreamError(`The event stream sent a "${String(type)}" message that breaks the contract`, {
            ...this.#where,
            cause: parsed.error,
          }),
        );
      }
      return false;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'event':
        this.#push(message);
        return false;
      case 'ready':
        this.#ready(message);
        return true;
      case 'pong':
        return false;
      case 'error':
        // The stream takes only pings, so the server's error means this client broke the protocol.
        this.#fail(
          new StreamError(
            `The event stream answered ${message.error.code}: ${message.error.message}`,
            this.#where,
          ),
        );
        return false;
    }
  }

  #ready(message: EventStreamReady): void {
    if (this.#everReady) this.#reconnects++;
    this.#everReady = true;
    this.#failures = 0;
    this.#state = 'open';
    this.#startHeartbeat();
    this.#resolveReady(message);
  }

  // Heartbeat ---------------------------------------------------------------------------------

  #startHeartbeat(): void {
    const every = this.#options.heartbeatMs ?? 25_000;
    if (!(every > 0) || !Number.isFinite(every)) return;
    this.#stopHeartbeat();
    this.#heartbeatTimer = setInterval(() => {
      const socket = this.#socket;
      if (socket?.readyState !== OPEN || this.#heartbeatDeadline !== undefined) return;
      socket.send(JSON.stringify({ type: 'ping' }));
      this.#heartbeatDeadline = setTimeout(() => this.#dead(), this.#options.heartbeatTimeoutMs ?? 10_000);
    }, every);
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeatTimer);
    clearTimeout(this.#heartbeatDeadline);
    this.#heartbeatTimer = undefined;
    this.#heartbeatDeadline = undefined;
  }

  /** No answer to a heartbeat: the network is gone, and the close handshake would hang too. */
  #dead(): void {
    const socket = this.#socket;
    this.#heartbeatDeadline = undefined;
    if (!socket) return;
    this.#detach(socket);
    this.#socket = undefined;
    socket.close(4000, 'Heartbeat timeout');
    void this.#dropped(1006, true, undefined);
  }
}
