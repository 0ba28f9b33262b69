import { ErrorEnvelope, type FieldIssue } from '@cartrita/contracts';
import { HttpResponse } from 'msw';
import type * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { MockContractError, type MockHttpError } from './errors.js';
import { now } from './ids.js';
import type { CutStreamFault, StallStreamFault } from './scenarios.js';

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
 * Checks a body the fake is about to send against its schema from the contracts, and that it holds
 * no `null`. A failure is a bug in the fake or in a test's scripted reply, so it throws loudly.
 */
export const assertWire = (schema: z.ZodMiniType, value: unknown, what: string): void => {
  const parsed = schema.safeParse(value, parseOptions);
  if (!parsed.success) {
    const fields = fieldIssues(parsed.error)
      .map((issue) => `${issue.path || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new MockContractError(`${what} would break its schema: ${fields}\n${JSON.stringify(value)}`);
  }
  assertNoNulls(value, what);
};

/** The envelope of an error, as every non-2xx JSON response carries it. */
export const errorEnvelope = (error: MockHttpError, requestId: string): ErrorEnvelope => ({
  error: { code: error.code, type: error.type, message: error.message, details: error.details },
  timestamp: now(),
  request_id: requestId,
});

/** A JSON error response with the envelope, `X-Request-Id` and the error's headers. */
export const errorResponse = (error: MockHttpError, requestId: string): Response => {
  const body = errorEnvelope(error, requestId);
  assertWire(ErrorEnvelope, body, `The ${error.status} error envelope`);
  const headers: Record<string, string> = { 'X-Request-Id': requestId, ...error.headers };
  if (error.status === 401) headers['WWW-Authenticate'] ??= 'Bearer';
  return HttpResponse.json(body, { status: error.status, headers });
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
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      // Chunked framing, as a real server streams: in Node a cut stream then fails the client's read
      // instead of looking like a clean end of body.
      'Transfer-Encoding': 'chunked',
      'X-Request-Id': requestId,
    },
  });
