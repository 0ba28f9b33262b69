import { APIPromise } from './api-promise.js';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  inCall,
  isAPIConnectionError,
  isAPIError,
  isAPITimeoutError,
  isStreamError,
  type RequestDescription,
  StreamError,
} from './errors.js';
import { parseRetryAfter } from './headers.js';
import type { RequestOptions, Transport } from './request.js';
import { backoffDelay, isRetryableStatus, jitter, sleep } from './retry.js';
import { type SSEMessage, Stream, type StreamSource } from './stream.js';
import { isActiveTimeout, whenAborted } from './timeouts.js';

/** Default number of reconnects in a row, without a new event, before a resumable stream gives up. */
export const DEFAULT_MAX_RECONNECTS = 5;

/** Default wait before the second reconnect in a row; the first one after a drop is immediate. */
export const DEFAULT_RECONNECT_DELAY_MS = 500;

/** What {@link ResumeOptions.onReconnect} receives before each reconnect. */
export interface ReconnectEvent extends RequestDescription {
  /** How many times this stream has reconnected, this one included (1 for the first). */
  reconnect: number;
  /** Reconnects in a row that brought no new event yet, this one included (1 right after a drop). */
  attempt: number;
  /** Sent as `Last-Event-ID`: the id of the last event received. */
  lastEventId: string;
  /** How long the stream waits before reconnecting, in milliseconds. */
  delayMs: number;
  /** Why the connection ended: an `APIConnectionError`, an idle `APITimeoutError`, a 5xx, ... */
  error: unknown;
}

/** How a resumable stream reconnects after a dropped connection. */
export interface ResumeOptions {
  /**
   * Reconnects in a row that bring no new event before the stream gives up and throws why the last one
   * failed. A reconnect that brings an event starts the count again. `0` turns resuming off.
   * Default: 5.
   */
  maxReconnects?: number | undefined;
  /**
   * The first reconnect after a drop is immediate; each further one in a row waits this long in
   * milliseconds, doubling up to 8 s, ±25 % jitter, or what a `Retry-After` header of the failed
   * reconnect says. Default: 500.
   */
  reconnectDelay?: number | undefined;
  /** Called before each reconnect: for logging and metrics. */
  onReconnect?: ((event: ReconnectEvent) => void) | undefined;
}

/** Options of {@link ResumableConnector}. */
export interface ResumableConnectorInit<T> extends ResumeOptions {
  /** Sends each connection. */
  transport: Transport;
  /**
   * The call that opens the stream. It is sent again, with `Last-Event-ID`, to reconnect; its
   * `signal` and `totalTimeout` bound the whole stream, reconnects included.
   */
  request: RequestOptions;
  /** Turns one SSE message into an item; unknown messages should become items too, never be dropped. */
  decode: (message: SSEMessage) => T;
  /** Whether an item is the last one of the stream: no reconnect follows it. */
  isTerminal: (item: T) => boolean;
  /** Start after this event (a resume): sent as `Last-Event-ID` from the first connection on. */
  lastEventId?: string | undefined;
}

/** One event of a connection, with its `id:`. */
export interface IdentifiedEvent<T> {
  /** The event's `id:`, when it had one. */
  readonly id: string | undefined;
  /** The decoded event. */
  readonly item: T;
}

/** A connection of a resumable stream. */
export type Connection<T> = Stream<IdentifiedEvent<T>>;

/**
 * The sequence number an event id carries after its last colon (`resp_3f9a:17` → 17), or `undefined`
 * when it has none. Resumable streams use it to deliver each event exactly once.
 */
export const eventSequence = (id: string): number | undefined => {
  const match = /:(\d{1,15})$/.exec(id);
  return match ? Number(match[1]) : undefined;
};

/**
 * Whether a failure ends a connection in a way a reconnect may mend: a dropped connection, a stream
 * cut mid-event, an idle or headers timeout, or a retryable status (408, 409, 429, 5xx) on a
 * reconnect. Not: the total deadline, the caller's abort, or any other status (a 404 means the reply
 * is gone, a 401 that the secret is).
 */
export const isResumableFailure = (error: unknown): boolean =>
  isAPIConnectionError(error) ||
  isStreamError(error) ||
  (isAPITimeoutError(error) && error.kind !== 'total') ||
  (isAPIError(error) && isRetryableStatus(error.status));

/**
 * Opens the connections of one resumable stream: it owns the stream's controller (the caller's
 * signal and {@link ResumableStream.abort} end it), its total deadline across reconnects, and the
 * reconnect settings. Used by {@link ResumableStream}; most callers never see it.
 */
export class ResumableConnector<T> {
  /** Aborted when the stream must stop: the caller's signal, `abort()`, the end of the stream. */
  readonly controller = new AbortController();
  /** The call's method and path, for error messages. */
  readonly request: RequestDescription;
  readonly init: ResumableConnectorInit<T>;
  readonly #deadline: number;
  readonly #totalTimeout: number;
  readonly #unlink: () => void;

  constructor(init: ResumableConnectorInit<T>) {
    this.init = init;
    this.request = { method: init.request.method, path: init.request.path };
    const totalTimeout = init.request.totalTimeout ?? init.transport.streamTotalTimeout;
    this.#totalTimeout = totalTimeout;
    this.#deadline = isActiveTimeout(totalTimeout) ? Date.now() + totalTimeout : Number.POSITIVE_INFINITY;
    const signal = init.request.signal;
    this.#unlink = whenAborted(signal, () =>
      this.controller.abort(new APIUserAbortError({ ...this.request, cause: signal?.reason })),
    );
  }

  /** Milliseconds left before the stream's total deadline; `Infinity` without one. */
  get remaining(): number {
    return this.#deadline - Date.now();
  }

  /** The error the total deadline ends the stream with. */
  deadlineError(): APITimeoutError {
    return new APITimeoutError({ ...this.request, kind: 'total', timeoutMs: this.#totalTimeout });
  }

  /**
   * Opens one connection. The first is sent as the caller's call (retries and idempotency key
   * included); a reconnect carries `Last-Event-ID`, no idempotency key and no retries of its own,
   * since the stream's reconnect loop retries it.
   */
  connect(lastEventId: string | undefined, reconnect: boolean): APIPromise<Connection<T>> {
    const { request, transport, decode } = this.init;
    const remaining = this.remaining;
    if (remaining <= 0) return new APIPromise<Connection<T>>(Promise.reject(this.deadlineError()));
    return transport.stream<IdentifiedEvent<T>>({
      ...request,
      headers: { ...request.headers, ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) },
      ...(reconnect ? { idempotencyKey: false, maxRetries: 0 } : {}),
      signal: this.controller.signal,
      totalTimeout: Number.isFinite(remaining) ? remaining : 0,
      decode: (message) => ({ id: message.id, item: decode(message) }),
      // The decoder always answers, so no `UnknownSSEEvent` can come out of this stream.
    }) as APIPromise<Connection<T>>;
  }

  /** Releases the link to the caller's signal. Safe to call twice. */
  dispose(): void {
    this.#unlink();
  }
}

/** The wait before reconnect attempt `attempt` in a row (1 right after a drop: no wait). */
const reconnectWait = (attempt: number, base: number, error: unknown): number => {
  if (attempt <= 1) return 0;
  const fromServer = isAPIError(error) ? parseRetryAfter(error.headers) : undefined;
  if (fromServer !== undefined) return fromServer;
  return jitter(backoffDelay(attempt - 2, base));
};

/** The state a {@link Stream} shares with its `tee()` branches; see `StreamConstructorInit.state`. */
interface SharedState {
  lastEventId: string | undefined;
  stopped: boolean;
}

/**
 * A {@link Stream} of server-sent events that survives dropped connections. When a connection breaks
 * (a network error, a body cut short, the idle timeout) it reconnects by sending the same call again
 * with `Last-Event-ID: <id of the last event received>`, and the server replays what came after. Events
 * whose sequence number (`<stream>:<n>`) was already delivered are skipped, so a `for await` loop sees
 * every event exactly once, in order; a gap in the numbers is a {@link StreamError}.
 *
 * The stream ends after an event `isTerminal` accepts, or when a reconnect ends cleanly without a new
 * event (the server had nothing more to send). It fails when a failure is not worth a reconnect (see
 * {@link isResumableFailure}), after `maxReconnects` reconnects in a row without a new event, at the
 * total deadline, or when the caller's signal aborts.
 */
export class ResumableStream<T> extends Stream<T> {
  readonly #connector: ResumableConnector<T>;
  readonly #shared: SharedState;
  readonly #source: AsyncGenerator<IdentifiedEvent<T>, void, undefined>;
  #first: Connection<T> | undefined;
  #peeked: IdentifiedEvent<T> | undefined;
  /** The id of the last event received (ahead of `lastEventId` by a peeked event at most). */
  #receivedId: string | undefined;
  #lastSeq: number | undefined;
  #reconnects = 0;
  #started = false;
  readonly #ended: Promise<void>;
  #settle: (failure?: unknown) => void = () => {};

  /**
   * Wraps an open first connection. Use the static helpers of a subclass, or
   * {@link ResumableStream.connect}, rather than calling this directly.
   */
  constructor(connector: ResumableConnector<T>, first: Connection<T>) {
    const shared: SharedState = { lastEventId: connector.init.lastEventId, stopped: false };
    const holder: { source?: StreamSource<T> } = {};
    super(() => (holder.source as StreamSource<T>)(), {
      controller: connector.controller,
      response: first.response,
      state: shared,
    });
    holder.source = () => this.#deliver();
    this.#connector = connector;
    this.#shared = shared;
    this.#first = first;
    this.#receivedId = connector.init.lastEventId;
    this.#lastSeq = this.#receivedId === undefined ? undefined : eventSequence(this.#receivedId);
    this.#source = this.#run();
    this.#ended = new Promise<void>((resolve, reject) => {
      this.#settle = (failure) => (failure === undefined ? resolve() : reject(failure));
    });
    // Nobody may wait for it; its failure reaches the loop reading the stream anyway.
    this.#ended.catch(() => {});
  }

  /**
   * Opens a resumable stream: sends the call and resolves once the response headers are in. Like
   * every call, `.withResponse()` adds the first connection's `Response` and request id.
   *
   * @example
   * ```ts
   * const stream = await ResumableStream.connect({
   *   transport,
   *   request: { method: 'POST', path: '/api/chat/stream', body: { message: 'Hi' } },
   *   decode: ({ data }) => JSON.parse(data),
   *   isTerminal: (frame) => frame.type === 'done' || frame.type === 'error',
   * });
   * for await (const frame of stream) console.log(frame);
   * ```
   */
  static connect<T>(init: ResumableConnectorInit<T>): APIPromise<ResumableStream<T>> {
    const connector = new ResumableConnector(init);
    return connector.connect(init.lastEventId, false).mapData(
      (first) => new ResumableStream(connector, first),
      () => connector.dispose(),
    );
  }

  /** How many times the stream has reconnected so far. */
  get reconnects(): number {
    return this.#reconnects;
  }

  /**
   * Reads the first event ahead, without delivering it: the loop still gets it first. Resolves
   * `undefined` when the stream ended before any event. For subclasses that need the first event's
   * data (an id) before handing the stream out.
   */
  protected async peek(): Promise<T | undefined> {
    if (!this.#peeked) {
      const result = await this.#source.next();
      if (result.done) return undefined;
      this.#peeked = result.value;
    }
    return this.#peeked.item;
  }

  /** Whether the loop reading the stream has started. */
  protected get started(): boolean {
    return this.#started;
  }

  /**
   * Settles when the loop reading the stream is over: resolves when it ended or was stopped, rejects
   * with the failure that ended it.
   */
  protected get ended(): Promise<void> {
    return this.#ended;
  }

  /** Called with each item as the loop reaches it, before it is yielded. */
  protected onItem(_item: T): void {}

  /**
   * Called when the consumer left early: broke out of its loop, or cancelled a readable made by
   * `toReadableStream()`. The connection is closed right after.
   */
  protected onEarlyExit(): void {}

  /** Stops the stream quietly (a loop reading it ends without an error) and closes the connection. */
  protected stop(reason?: unknown): void {
    super.abort(reason ?? new APIUserAbortError({ ...this.#connector.request }));
  }

  /** The iteration the consumer sees: a peeked event first, then the rest. */
  async *#deliver(): AsyncGenerator<T, void, undefined> {
    this.#started = true;
    let settled = false;
    let failure: unknown;
    try {
      for (;;) {
        let event = this.#peeked;
        this.#peeked = undefined;
        if (!event) {
          const result = await this.#source.next();
          if (result.done) break;
          event = result.value;
        }
        if (event.id !== undefined) this.#shared.lastEventId = event.id;
        this.onItem(event.item);
        yield event.item;
      }
      settled = true;
    } catch (error) {
      settled = true;
      failure = error;
      throw error;
    } finally {
      if (!settled && !this.controller.signal.aborted) {
        this.onEarlyExit();
        this.stop();
      }
      await this.#source.return(undefined);
      this.#connector.dispose();
      this.#settle(failure);
    }
  }

  /** Reads connection after connection until the stream ends; yields each new event once. */
  async *#run(): AsyncGenerator<IdentifiedEvent<T>, void, undefined> {
    const connector = this.#connector;
    const { request } = connector;
    const { isTerminal, maxReconnects = DEFAULT_MAX_RECONNECTS } = connector.init;
    const signal = this.controller.signal;
    let connection = this.#first;
    this.#first = undefined;
    let failure: unknown;
    let attempt = 0;
    for (;;) {
      if (connection) {
        let fresh = 0;
        let gap: StreamError | undefined;
        try {
          for await (const event of connection) {
            const seq = event.id === undefined ? undefined : eventSequence(event.id);
            if (seq !== undefined && this.#lastSeq !== undefined) {
              // A replayed event the loop already has. A final event is never held back: a server that
              // lost frames in a crash numbers its `incomplete` frame after what it had stored.
              if (seq <= this.#lastSeq && !isTerminal(event.item)) continue;
              if (seq > this.#lastSeq + 1) {
                gap = new StreamError(
                  `Events ${this.#lastSeq + 1} to ${seq - 1} are missing from the stream${inCall(request)}`,
                  { ...request },
                );
                break;
              }
            }
            if (seq !== undefined) this.#lastSeq = Math.max(seq, this.#lastSeq ?? 0);
            if (event.id !== undefined) this.#receivedId = event.id;
            fresh++;
            attempt = 0;
            yield event;
            if (isTerminal(event.item)) return;
          }
          if (gap) throw gap;
          // A clean end. The server ends a response only when the reply is over, so a resumed
          // connection that ends with nothing new means there is nothing more to come; one that brought
          // events was ended by something in between, and is resumed.
          if (fresh === 0 && (this.#reconnects > 0 || connector.init.lastEventId !== undefined)) return;
          failure = new APIConnectionError(`The stream ended before its last event${inCall(request)}`, {
            ...request,
          });
        } catch (error) {
          if (error === gap) throw error;
          failure = error;
        }
        connection = undefined;
      }

      if (signal.aborted) {
        if (this.#shared.stopped) return;
        throw signal.reason;
      }
      const lastEventId = this.#receivedId;
      if (lastEventId === undefined || !isResumableFailure(failure) || attempt >= maxReconnects) {
        throw failure;
      }
      attempt++;
      const delayMs = reconnectWait(
        attempt,
        connector.init.reconnectDelay ?? DEFAULT_RECONNECT_DELAY_MS,
        failure,
      );
      if (delayMs >= connector.remaining) throw failure;
      this.#reconnects++;
      connector.init.onReconnect?.({
        ...request,
        reconnect: this.#reconnects,
        attempt,
        lastEventId,
        delayMs,
        error: failure,
      });
      try {
        if (delayMs > 0) await sleep(delayMs, signal);
        connection = await connector.connect(lastEventId, true);
      } catch (error) {
        // A reconnect that fails counts as an attempt; the loop decides whether to try again.
        failure = error;
      }
    }
  }
}
