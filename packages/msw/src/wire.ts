/** @module The wire of the mocks: every answer checked against the contracts, errors in the envelope. */
import { ErrorEnvelope, type FieldIssue } from '@cartrita/contracts';
import { errorEnvelope, type FrameSubscription, type HttpError } from '@cartrita/engine';
import { HttpResponse } from 'msw';
import type * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { CutStreamFault, StallStreamFault } from './scenarios.js';

/**
 * Thrown when the mock itself would break the contract (a response that fails its schema, a `null`
 * on the wire). It is a bug in the mock or in a test's scripted reply, never an expected failure.
 */
export class MockContractError extends Error {
  override readonly name = 'MockContractError';
}

/** Parse options that give issues readable English messages without touching zod's global config. */
export const parseOptions: z.core.ParseContext<z.core.$ZodIssue> = { error: en().localeError };

/** The failing fields of a zod error, with dotted paths (`params.input.content.0.text`). */
export const fieldIssues = (error: z.core.$ZodError, prefix = ''): FieldIssue[] =>
  error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));

/** Throws a {@link MockContractError} when `value` contains a `null` anywhere: the wire omits them. */
export const assertNoNulls = (value: unknown, what: string, path = '$'): void => {
  if (value === null) {
    throw new MockContractError(`${what} would send null at ${path}; the wire omits null fields`);
  }
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) assertNoNulls(entry, what, `${path}[${index}]`);
  } else if (typeof value === 'object' && value !== undefined) {
    for (const [key, entry] of Object.entries(value)) assertNoNulls(entry, what, `${path}.${key}`);
  }
};

/**
 * The URL areas (route tags) of seed 001, whose answers spell an empty field out as `null`
 * (`"result": null, "error": null`), as the seed shows; their schemas say where. Every other area's
 * wire omits null fields.
 */
export const nullSpellingTags: ReadonlySet<string> = new Set([
  'sessions',
  'commands',
  'events',
  'tools',
  'handlers',
  'engines',
  'system',
]);

/** Options of {@link assertWire}. */
export interface AssertWireOptions {
  /** Whether `null` may appear where the schema takes it (seed 001's areas); default false. */
  nulls?: boolean;
}

/**
 * Checks a body the fake is about to send against its schema from the contracts, and (unless
 * `nulls`) that it holds no `null`. A failure is a bug in the fake or in a test's scripted reply,
 * so it throws loudly.
 */
export const assertWire = (
  schema: z.ZodMiniType,
  value: unknown,
  what: string,
  options: AssertWireOptions = {},
): void => {
  const parsed = schema.safeParse(value, parseOptions);
  if (!parsed.success) {
    const fields = fieldIssues(parsed.error)
      .map((issue) => `${issue.path || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new MockContractError(`${what} would break its schema: ${fields}\n${JSON.stringify(value)}`);
  }
  if (!options.nulls) assertNoNulls(value, what);
};

/** A JSON error response with the envelope, `X-Request-Id` and the error's headers, as the server sends it. */
export const errorResponse = (error: HttpError, requestId: string): Response => {
  const body = errorEnvelope(error, requestId);
  assertWire(ErrorEnvelope, body, `The ${error.status} error envelope`);
  return HttpResponse.json(body, {
    status: error.status,
    headers: { ...error.headers, 'X-Request-Id': requestId },
  });
};

/** One SSE frame exactly as ChatKit writes it: `data: <compact JSON>\n\n`, nothing else. */
export const sseFrame = (event: unknown): string => `data: ${JSON.stringify(event)}\n\n`;

const nextMacrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Options of {@link eventStream}. */
export interface EventStreamOptions<T> {
  /** Checks each event before it is written; throwing errors the stream. */
  validate?: (event: T) => void;
  /** A scenario fault: break or go silent after some events. */
  fault?: CutStreamFault | StallStreamFault | undefined;
  /** Called when the client goes away before the end, as a server sees its connection close. */
  onCancel?: () => void;
}

/**
 * Turns events into an SSE body, written one frame per read so a slow or aborting client is seen
 * as it would be by a server. When the client aborts, the event source is closed with `return()`,
 * which is where a turn saves its partial reply.
 */
export const eventStream = <T>(
  events: AsyncIterable<T>,
  options: EventStreamOptions<T> = {},
): ReadableStream<Uint8Array> => {
  const iterator = events[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  const { fault, validate } = options;
  let sent = 0;
  let wake: (() => void) | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (fault && sent >= fault.events) {
          if (fault.kind === 'stall_stream') {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            return;
          }
          await iterator.return?.();
          // Let the frames already written reach the client before the connection breaks.
          await nextMacrotask();
          controller.error(new Error(`The stream was cut after ${fault.events} events (cutStreamAfter)`));
          return;
        }
        try {
          const next = await iterator.next();
          if (next.done) {
            controller.close();
            return;
          }
          validate?.(next.value);
          controller.enqueue(encoder.encode(sseFrame(next.value)));
          sent += 1;
        } catch (error) {
          if (error instanceof MockContractError) console.error(error);
          controller.error(error);
        }
      },
      async cancel() {
        wake?.();
        options.onCancel?.();
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
};

/** A `text/event-stream` response around {@link eventStream}. */
export const sseResponse = <T>(
  events: AsyncIterable<T>,
  requestId: string,
  options: EventStreamOptions<T> = {},
): Response =>
  new HttpResponse(eventStream(events, options), {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      // Chunked framing, as a real server streams: in Node a cut stream then fails the client's read
      // instead of looking like a clean end of body.
      'Transfer-Encoding': 'chunked',
      'X-Request-Id': requestId,
    },
  });

/** Options of {@link frameResponse}. */
export interface FrameResponseOptions {
  /** A `: keep-alive` comment after this long without a frame. */
  heartbeatMs: number;
  /** A scenario fault: break or go silent after some frames. */
  fault?: CutStreamFault | StallStreamFault | undefined;
  /** Checks each frame before it is written. */
  validate?: (frame: unknown) => void;
}

/**
 * The SSE answer of the resumable chat doors, as the server writes it: `id: <response_id>:<seq>`
 * and `data: <json>` per frame, `: keep-alive` comments while the reply is silent. A client that
 * goes away only stops listening: the reply runs on, so it can resume.
 */
export const frameResponse = (
  subscription: FrameSubscription,
  requestId: string,
  options: FrameResponseOptions,
): Response => {
  const encoder = new TextEncoder();
  let stop = () => {};
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let sent = 0;
      let lastWrite = Date.now();
      let open = true;
      const write = (text: string) => {
        if (!open) return;
        controller.enqueue(encoder.encode(text));
        lastWrite = Date.now();
      };
      const finish = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        stop();
        controller.close();
      };
      heartbeat = setInterval(
        () => {
          if (Date.now() - lastWrite >= options.heartbeatMs) write(': keep-alive\n\n');
        },
        Math.max(10, Math.min(options.heartbeatMs, 1_000)),
      );
      stop = subscription.listen(({ seq, data, frame }) => {
        const { fault } = options;
        if (fault && sent >= fault.events) {
          if (!open) return;
          // Both faults leave the reply running: the client is the one that comes back for it.
          open = false;
          clearInterval(heartbeat);
          stop();
          if (fault.kind === 'cut_stream') {
            // Let the frames already written reach the client before the connection breaks.
            setTimeout(
              () =>
                controller.error(
                  new Error(`The stream was cut after ${fault.events} frames (cutStreamAfter)`),
                ),
              0,
            );
          }
          return;
        }
        options.validate?.(frame);
        write(`id: ${subscription.responseId}:${seq}\ndata: ${data}\n\n`);
        sent += 1;
      }, finish);
    },
    cancel() {
      clearInterval(heartbeat);
      stop();
    },
  });
  return new HttpResponse(body, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      'Transfer-Encoding': 'chunked',
      'X-Request-Id': requestId,
    },
  });
};
