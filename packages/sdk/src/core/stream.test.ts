import { describe, expect, it } from 'vitest';
import { type APITimeoutError, isAPITimeoutError, isAPIUserAbortError, isStreamError } from './errors.js';
import { type SSEMessage, Stream, type UnknownSSEEvent } from './stream.js';

const encoder = new TextEncoder();

/** A body that delivers `chunks` one read at a time, then ends (or stays open when `end` is false). */
const body = (chunks: string[], options: { end?: boolean; onCancel?: (reason: unknown) => void } = {}) => {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk !== undefined) controller.enqueue(encoder.encode(chunk));
      else if (options.end !== false) controller.close();
      else return new Promise(() => {});
    },
    cancel: options.onCancel,
  });
};

/** Splits `text` into pieces of `size` characters, so that events straddle reads. */
const pieces = (text: string, size: number) => {
  const result: string[] = [];
  for (let index = 0; index < text.length; index += size) result.push(text.slice(index, index + size));
  return result;
};

type Delta = { type: 'delta'; text: string };
const decodeDelta = ({ event, data }: SSEMessage): Delta | undefined =>
  event === undefined || event === 'delta' ? { type: 'delta', text: JSON.parse(data).text } : undefined;

const sse = (chunks: string[], options?: Parameters<typeof body>[1]) =>
  Stream.fromSSEResponse(new Response(body(chunks, options)), { decode: (message) => message });

const collect = async <T>(stream: AsyncIterable<T>): Promise<T[]> => {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
};

describe('Stream.fromSSEResponse', () => {
  const wire = [
    ': connected',
    '',
    'id: 1',
    'event: delta',
    'data: {"text":',
    'data: "two lines"}',
    '',
    ':keepalive',
    '',
    'id: 2',
    'data: {"text":"plain"}',
    '',
    'data: {"text":"no id"}',
    '',
    '',
  ].join('\n');

  it('parses multi-line data, comments, ids and event names however the bytes are split', async () => {
    for (const size of [1, 3, 7, wire.length]) {
      const items = await collect(sse(pieces(wire, size)));
      expect(items).toEqual([
        { id: '1', event: 'delta', data: '{"text":\n"two lines"}' },
        { id: '2', event: undefined, data: '{"text":"plain"}' },
        { id: undefined, event: undefined, data: '{"text":"no id"}' },
      ]);
    }
  });

  it('parses CRLF line endings', async () => {
    const items = await collect(sse(['data: a\r\n\r', '\ndata: b\r\n\r\n']));
    expect(items.map((item) => item.data)).toEqual(['a', 'b']);
  });

  it('keeps the last event id the consumer reached', async () => {
    const stream = sse(pieces(wire, 5));
    const seen: Array<string | undefined> = [];
    for await (const _ of stream) seen.push(stream.lastEventId);
    expect(seen).toEqual(['1', '2', '2']);
  });

  it('does not advance the last event id past an event the consumer has not reached', async () => {
    const stream = sse(['id: 1\ndata: a\n\nid: 2\ndata: b\n\n']);
    for await (const _ of stream) break;
    expect(stream.lastEventId).toBe('1');
  });

  it('surfaces events the decoder does not recognise', async () => {
    const stream = Stream.fromSSEResponse(
      new Response(body(['data: {"text":"hi"}\n\n', 'event: thread.future\nid: 9\ndata: {"x":1}\n\n'])),
      { decode: decodeDelta },
    );
    const items: Array<Delta | UnknownSSEEvent> = await collect(stream);
    expect(items).toEqual([
      { type: 'delta', text: 'hi' },
      { type: 'unknown', event: 'thread.future', id: '9', data: '{"x":1}' },
    ]);
  });

  it('raises a StreamError when the stream ends in the middle of an event', async () => {
    const error = await collect(sse(['data: whole\n\n', 'data: half'])).catch((caught: unknown) => caught);
    expect(isStreamError(error)).toBe(true);
    expect((error as Error).message).toMatch(/ended in the middle of an event/);
  });

  it('raises a StreamError with the cause when the decoder throws', async () => {
    const stream = Stream.fromSSEResponse(new Response(body(['data: {not json\n\n'])), {
      decode: decodeDelta,
    });
    const error = await collect(stream).catch((caught: unknown) => caught);
    expect(isStreamError(error)).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it('refuses to be read twice', async () => {
    const stream = sse(['data: a\n\n']);
    await collect(stream);
    await expect(collect(stream)).rejects.toThrow(/already read; use tee\(\)/);
  });

  it('exposes the response headers', () => {
    const response = new Response(body([]), { headers: { 'x-request-id': 'req_1' } });
    const stream = Stream.fromSSEResponse(response, { decode: (message) => message });
    expect(stream.headers.get('x-request-id')).toBe('req_1');
    expect(stream.response).toBe(response);
  });

  it('cancels the body when the consumer breaks out early', async () => {
    const cancelled: unknown[] = [];
    const stream = sse(['data: a\n\n', 'data: b\n\n'], {
      end: false,
      onCancel: (reason) => cancelled.push(reason),
    });
    for await (const _ of stream) break;
    expect(cancelled).toHaveLength(1);
    expect(stream.signal.aborted).toBe(true);
  });

  it('ends the loop quietly when abort() is called', async () => {
    const stream = sse(['data: a\n\n', 'data: b\n\n'], { end: false });
    const items: string[] = [];
    for await (const item of stream) {
      items.push(item.data);
      stream.abort();
    }
    expect(items).toEqual(['a']);
  });

  it('raises APIUserAbortError when its controller is aborted from outside', async () => {
    const controller = new AbortController();
    const stream = Stream.fromSSEResponse(new Response(body(['data: a\n\n'], { end: false })), {
      decode: (message) => message,
      controller,
    });
    const error = await (async () => {
      for await (const _ of stream) controller.abort('user left');
    })().catch((caught: unknown) => caught);
    expect(isAPIUserAbortError(error)).toBe(true);
    expect((error as Error).cause).toBe('user left');
  });

  it('ends a silent stream with an idle APITimeoutError', async () => {
    const stream = Stream.fromSSEResponse(new Response(body(['data: a\n\n'], { end: false })), {
      decode: (message) => message,
      idleTimeout: 30,
    });
    const items: string[] = [];
    const error = await (async () => {
      for await (const item of stream) items.push(item.data);
    })().catch((caught: unknown) => caught);
    expect(items).toEqual(['a']);
    expect(isAPITimeoutError(error)).toBe(true);
    expect((error as APITimeoutError).kind).toBe('idle');
  });

  it('does not count the time the consumer spends between reads as idle', async () => {
    const stream = Stream.fromSSEResponse(new Response(body(['data: a\n\n', 'data: b\n\n'])), {
      decode: (message) => message,
      idleTimeout: 20,
    });
    const items: string[] = [];
    for await (const item of stream) {
      items.push(item.data);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    expect(items).toEqual(['a', 'b']);
  });
});

describe('Stream.tee', () => {
  it('gives both consumers every event', async () => {
    const stream = sse(pieces('data: 1\n\ndata: 2\n\ndata: 3\n\n', 4));
    const [left, right] = stream.tee();
    const [a, b] = await Promise.all([collect(left), collect(right)]);
    expect(a.map((item) => item.data)).toEqual(['1', '2', '3']);
    expect(b.map((item) => item.data)).toEqual(['1', '2', '3']);
  });

  it('lets one branch run ahead of the other', async () => {
    const [left, right] = sse(['data: 1\n\ndata: 2\n\n']).tee();
    expect((await collect(left)).length).toBe(2);
    expect((await collect(right)).length).toBe(2);
  });

  it('keeps the request open until both branches stop', async () => {
    const cancelled: unknown[] = [];
    const [left, right] = sse(['data: 1\n\n', 'data: 2\n\n'], {
      end: false,
      onCancel: (reason) => cancelled.push(reason),
    }).tee();
    for await (const _ of left) break;
    expect(cancelled).toHaveLength(0);
    for await (const _ of right) break;
    expect(cancelled).toHaveLength(1);
  });
});

describe('Stream.toReadableStream', () => {
  it('round-trips through fromReadableStream', async () => {
    const original = Stream.fromSSEResponse(
      new Response(body(['data: {"text":"a"}\n\n', 'event: other\ndata: 1\n\n', 'data: {"text":"é ✓"}\n\n'])),
      { decode: decodeDelta },
    );
    const copy = Stream.fromReadableStream<Delta | UnknownSSEEvent>(original.toReadableStream());
    expect(await collect(copy)).toEqual([
      { type: 'delta', text: 'a' },
      { type: 'unknown', event: 'other', id: undefined, data: '1' },
      { type: 'delta', text: 'é ✓' },
    ]);
  });

  it('writes one JSON document per line', async () => {
    const text = await new Response(sse(['data: x\n\n']).toReadableStream()).text();
    expect(text).toBe('{"data":"x"}\n');
  });

  it('aborts the source when the readable is cancelled', async () => {
    const cancelled: unknown[] = [];
    const stream = sse(['data: 1\n\n'], { end: false, onCancel: (reason) => cancelled.push(reason) });
    const reader = stream.toReadableStream().getReader();
    await reader.read();
    await reader.cancel();
    expect(cancelled).toHaveLength(1);
    expect(stream.signal.aborted).toBe(true);
  });

  it('reads NDJSON split anywhere, and a last line without a newline', async () => {
    const copy = Stream.fromReadableStream<number>(body(pieces('1\n2\n\n3', 1)));
    expect(await collect(copy)).toEqual([1, 2, 3]);
  });

  it('raises a StreamError for a line that is not JSON', async () => {
    const error = await collect(Stream.fromReadableStream(body(['1\nnope\n']))).catch(
      (caught: unknown) => caught,
    );
    expect(isStreamError(error)).toBe(true);
  });
});
