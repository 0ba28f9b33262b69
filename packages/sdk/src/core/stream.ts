import { createParser, type EventSourceMessage } from 'eventsource-parser';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  inCall,
  isCartritaError,
  type RequestDescription,
  StreamError,
} from './errors.js';
import { DEFAULT_IDLE_TIMEOUT_MS, isActiveTimeout, startTimer } from './timeouts.js';

/** One server-sent event, as handed to a {@link SSEDecoder}. */
export interface SSEMessage {
  /** The `event:` field; `undefined` when the server sent none (browsers would say `message`). */
  event?: string | undefined;
  /** The `id:` field of this event, when it had one. */
  id?: string | undefined;
  /** The `data:` lines joined with `\n`. */
  data: string;
}

/**
 * Turns one SSE message into a stream item. Return `undefined` for a message it does not recognise:
 * the stream then yields it as an {@link UnknownSSEEvent}, so new server events reach the caller
 * instead of vanishing. Throwing ends the stream with a {@link StreamError} (malformed data).
 */
export type SSEDecoder<T> = (message: SSEMessage) => T | undefined;

/** An SSE message the decoder did not recognise, passed through as it arrived. */
export interface UnknownSSEEvent {
  type: 'unknown';
  /** The `event:` field, if any. */
  event: string | undefined;
  /** The `id:` field, if any. */
  id: string | undefined;
  /** The raw `data:` text. */
  data: string;
}

/** Options shared by every way of making a {@link Stream}. */
export interface StreamInit {
  /**
   * Controls the underlying request: aborting it stops the stream. Pass the controller whose signal the
   * fetch used, so that breaking out of a loop also closes the connection. Default: a new controller.
   */
  controller?: AbortController | undefined;
  /**
   * Longest wait for the next event (SSE comments count, so server heartbeats keep a stream alive), in
   * milliseconds. Only time spent waiting on the network counts, not time the consumer spends between
   * reads. `0` or `Infinity` turns it off. Default: 60 000.
   */
  idleTimeout?: number | undefined;
  /** The call's method and path, for error messages. */
  request?: RequestDescription | undefined;
  /** Runs once when the stream is over, however it ended (used to release a call's timers). */
  onClose?: (() => void) | undefined;
}

/** Options of {@link Stream.fromSSEResponse}. */
export interface SSEStreamInit<T> extends StreamInit {
  /** Turns each SSE message into an item; see {@link SSEDecoder}. */
  decode: SSEDecoder<T>;
}

/** State shared by a stream and the branches `tee()` makes of it. */
interface StreamState {
  lastEventId: string | undefined;
  /** Set when the consumer ended the stream (`abort()`, `break`), so its abort is not reported as an error. */
  stopped: boolean;
}

interface ReadContext {
  controller: AbortController;
  idleTimeout: number;
  request: RequestDescription | undefined;
  state: StreamState;
  onClose: (() => void) | undefined;
}

/**
 * Turns whatever stopped the reading of a response body into the error its reader should see: the
 * reason the call was aborted with (a caller's own reason as an `APIUserAbortError`), a Cartrita error
 * as it is, anything else as a lost connection. `what` names the body in the message.
 */
export const readFailure = (
  error: unknown,
  signal: AbortSignal,
  request: RequestDescription | undefined,
  what: 'response' | 'stream',
): unknown => {
  if (signal.aborted) {
    if (isCartritaError(signal.reason)) return signal.reason;
    return new APIUserAbortError({ ...request, cause: signal.reason });
  }
  if (isCartritaError(error)) return error;
  return new APIConnectionError(`The connection was lost while reading the ${what}${inCall(request)}`, {
    ...request,
    cause: error,
  });
};

/**
 * Reads a body as text chunks, enforcing the idle timeout and turning failures into Cartrita errors.
 * `sawEvent` is asked, after each chunk was handled, whether it completed an event: only then does the
 * idle clock restart.
 */
async function* readText(
  body: ReadableStream<Uint8Array>,
  context: ReadContext,
  sawEvent: () => boolean,
): AsyncGenerator<string, void, undefined> {
  const { controller, idleTimeout, request, state } = context;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  // Cancelling the reader also stops streams that are not wired to the fetch signal (a caller's Response).
  const cancel = () => void reader.cancel(controller.signal.reason).catch(() => {});
  controller.signal.addEventListener('abort', cancel, { once: true });
  let finished = false;
  let idleSpent = 0;
  try {
    for (;;) {
      const started = Date.now();
      const stopTimer = isActiveTimeout(idleTimeout)
        ? startTimer(Math.max(1, idleTimeout - idleSpent), () =>
            controller.abort(new APITimeoutError({ ...request, kind: 'idle', timeoutMs: idleTimeout })),
          )
        : () => {};
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        // Before the read, for an abort that came between two; after it, for one that ended it.
        controller.signal.throwIfAborted();
        result = await reader.read();
        controller.signal.throwIfAborted();
      } catch (error) {
        // The consumer stopped the stream: a quiet end.
        if (state.stopped) return;
        throw readFailure(error, controller.signal, request, 'stream');
      } finally {
        stopTimer();
      }
      if (result.done) {
        finished = true;
        const rest = decoder.decode();
        if (rest) yield rest;
        return;
      }
      yield decoder.decode(result.value, { stream: true });
      idleSpent = sawEvent() ? 0 : idleSpent + (Date.now() - started);
    }
  } finally {
    controller.signal.removeEventListener('abort', cancel);
    if (!finished) {
      // The consumer left early (break, return, or an error while handling an item): close the request.
      if (!controller.signal.aborted) {
        state.stopped = true;
        controller.abort(new APIUserAbortError({ ...request }));
      }
      void reader.cancel().catch(() => {});
    }
    reader.releaseLock();
    context.onClose?.();
  }
}

async function* iterateSSE<T>(
  body: ReadableStream<Uint8Array>,
  decode: SSEDecoder<T>,
  context: ReadContext,
): AsyncGenerator<T | UnknownSSEEvent, void, undefined> {
  /** What the parser reported, in order: ids (strings) and events. */
  const queue: Array<string | EventSourceMessage> = [];
  let sawEvent = false;
  let truncated = false;
  let flushing = false;
  const parser = createParser({
    onId: (id) => {
      sawEvent = true;
      if (!flushing) queue.push(id);
    },
    onEvent: (message) => {
      sawEvent = true;
      if (flushing) truncated = true;
      else queue.push(message);
    },
    onComment: () => {
      sawEvent = true;
    },
  });
  const consumeEvent = () => {
    const saw = sawEvent;
    sawEvent = false;
    return saw;
  };

  for await (const text of readText(body, context, consumeEvent)) {
    parser.feed(text);
    // Read in place, not shift()ed: a 64 KB chunk can hold hundreds of events.
    for (const entry of queue) {
      if (typeof entry === 'string') {
        // An id, recorded when the consumer reaches it, so a resume never skips an event it has not seen.
        context.state.lastEventId = entry || undefined;
        continue;
      }
      let item: T | undefined;
      try {
        item = decode(entry);
      } catch (cause) {
        throw new StreamError(`Could not decode a stream event${inCall(context.request)}`, {
          ...context.request,
          cause,
        });
      }
      yield item === undefined
        ? { type: 'unknown', event: entry.event, id: entry.id, data: entry.data }
        : item;
    }
    queue.length = 0;
  }
  if (context.state.stopped) return;
  // A clean end leaves nothing buffered; two newlines dispatch whatever the server left half-sent.
  flushing = true;
  parser.feed('\n\n');
  if (truncated) {
    throw new StreamError(`The stream ended in the middle of an event${inCall(context.request)}`, {
      ...context.request,
    });
  }
}

async function* iterateNDJSON<T>(
  body: ReadableStream<Uint8Array>,
  context: ReadContext,
): AsyncGenerator<T, void, undefined> {
  let buffer = '';
  let sawLine = false;
  const parseLine = (line: string): T => {
    try {
      return JSON.parse(line) as T;
    } catch (cause) {
      throw new StreamError(`Could not parse a stream line as JSON${inCall(context.request)}`, {
        ...context.request,
        cause,
      });
    }
  };
  const consumeLine = () => {
    const saw = sawLine;
    sawLine = false;
    return saw;
  };
  for await (const text of readText(body, context, consumeLine)) {
    buffer += text;
    let start = 0;
    for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n', start)) {
      const line = buffer.slice(start, end).trim();
      start = end + 1;
      if (line === '') continue;
      sawLine = true;
      yield parseLine(line);
    }
    buffer = buffer.slice(start);
  }
  if (!context.state.stopped && buffer.trim() !== '') yield parseLine(buffer.trim());
}

/** Where a {@link Stream} gets its items; see the constructor. */
export type StreamSource<T> = () => AsyncIterator<T>;

/** Options of the {@link Stream} constructor. */
export interface StreamConstructorInit {
  /** Aborting it stops the stream and the request behind it. */
  controller: AbortController;
  /** The response the items come from, if any. */
  response?: Response | undefined;
  /** @internal State shared with the stream this one was teed from. */
  state?: StreamState | undefined;
}

/**
 * A stream of items from a server-sent events response: iterate it once with `for await`, or split it
 * with `tee()`. Breaking out of the loop aborts the request. Errors arrive as Cartrita errors:
 * `APITimeoutError` (`idle` or `total`), `APIConnectionError` when the connection drops, `StreamError`
 * when the stream ends mid-event or an event cannot be decoded, `APIUserAbortError` when the caller's
 * signal aborts. `abort()` ends the loop quietly.
 *
 * @example
 * ```ts
 * const stream = await transport.stream({ method: 'POST', path: '/chatkit', body, decode });
 * for await (const event of stream) {
 *   if (event.type === 'unknown') continue; // a newer server's event
 *   render(event);
 * }
 * ```
 */
export class Stream<T> implements AsyncIterable<T> {
  /** Aborting it stops the stream and the request behind it; shared with `tee()` branches. */
  readonly controller: AbortController;
  /** The response the stream reads, when it came from one. */
  readonly response: Response | undefined;
  readonly #source: StreamSource<T>;
  readonly #state: StreamState;
  #consumed = false;

  /**
   * Wraps an iterator factory. Most callers want {@link Stream.fromSSEResponse},
   * {@link Stream.fromReadableStream} or the transport's `stream()` instead.
   */
  constructor(source: StreamSource<T>, init: StreamConstructorInit) {
    this.#source = source;
    this.controller = init.controller;
    this.response = init.response;
    this.#state = init.state ?? { lastEventId: undefined, stopped: false };
  }

  /**
   * Reads a server-sent events response. Every message goes through `decode`; messages it does not
   * recognise are yielded as {@link UnknownSSEEvent}.
   */
  static fromSSEResponse<T>(response: Response, init: SSEStreamInit<T>): Stream<T | UnknownSSEEvent> {
    const context = readContext(init);
    const { controller, state } = context;
    const source = () => {
      if (!response.body) {
        context.onClose?.();
        return failingIterator(
          new StreamError(`The response has no body${inCall(init.request)}`, init.request),
        );
      }
      return iterateSSE(response.body, init.decode, context);
    };
    return new Stream<T | UnknownSSEEvent>(source, { controller, response, state });
  }

  /**
   * The inverse of {@link Stream.toReadableStream}: reads newline-delimited JSON, one item per line, for
   * example a stream a server handed to a browser through its own endpoint.
   */
  static fromReadableStream<T>(readable: ReadableStream<Uint8Array>, init: StreamInit = {}): Stream<T> {
    const context = readContext(init);
    const { controller, state } = context;
    return new Stream<T>(() => iterateNDJSON<T>(readable, context), { controller, state });
  }

  /** The controller's signal: aborted when the stream was stopped or failed. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The response headers; empty for a stream that did not come from a response. */
  get headers(): Headers {
    return this.response?.headers ?? new Headers();
  }

  /**
   * The `id:` of the last event the consumer reached (for `tee()` branches: the one furthest ahead).
   * A resuming layer sends it back as `Last-Event-ID`.
   */
  get lastEventId(): string | undefined {
    return this.#state.lastEventId;
  }

  /** Stops the stream and aborts the request. A loop reading the stream ends without an error. */
  abort(reason?: unknown): void {
    if (this.controller.signal.aborted) return;
    this.#state.stopped = true;
    this.controller.abort(reason ?? new APIUserAbortError());
  }

  /** Starts the one iteration this stream allows. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.#take();
  }

  /**
   * Splits the stream into two that each yield every item, at their own pace (items one side has read
   * and the other not yet are buffered). Both share the request: `abort()` on either stops both, and the
   * request is closed once both have stopped reading.
   */
  tee(): [Stream<T>, Stream<T>] {
    const source = this.#take();
    const queues: Array<Array<Promise<IteratorResult<T>>> | undefined> = [[], []];
    const branch =
      (side: 0 | 1): StreamSource<T> =>
      () => ({
        next: () => {
          const queue = queues[side];
          if (!queue) return Promise.resolve({ done: true, value: undefined });
          if (queue.length === 0) {
            const result = source.next();
            for (const other of queues) other?.push(result);
          }
          return queue.shift() as Promise<IteratorResult<T>>;
        },
        return: async () => {
          queues[side] = undefined;
          if (queues.every((queue) => queue === undefined)) await source.return?.();
          return { done: true, value: undefined };
        },
      });
    const init = { controller: this.controller, response: this.response, state: this.#state };
    return [new Stream(branch(0), init), new Stream(branch(1), init)];
  }

  /**
   * The items as newline-delimited JSON bytes, for handing a stream across a boundary (a server route
   * relaying to a browser, a worker). Cancelling the readable aborts the request.
   * {@link Stream.fromReadableStream} turns it back into a stream.
   */
  toReadableStream(): ReadableStream<Uint8Array> {
    const iterator = this.#take();
    const encoder = new TextEncoder();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const result = await iterator.next();
          if (result.done) {
            controller.close();
            return;
          }
          controller.enqueue(encoder.encode(`${JSON.stringify(result.value) ?? 'null'}\n`));
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    });
  }

  #take(): AsyncIterator<T> {
    if (this.#consumed) {
      throw new StreamError('This stream was already read; use tee() to read it twice');
    }
    this.#consumed = true;
    return this.#source();
  }
}

/** What reading a body needs, from a stream's options: a fresh state, and a controller unless given. */
const readContext = (init: StreamInit): ReadContext => ({
  controller: init.controller ?? new AbortController(),
  idleTimeout: init.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS,
  request: init.request,
  state: { lastEventId: undefined, stopped: false },
  onClose: init.onClose,
});

// biome-ignore lint/correctness/useYield: an iterator that fails on first read, with no items.
async function* failingIterator(error: unknown): AsyncGenerator<never, void, undefined> {
  throw error;
}
