import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatStreamFrame } from '@cartrita/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import { isStreamError } from '../core/errors.js';
import type { ChatStream, ChatStreamEvent } from './chat.js';

/** Reads a stream to its end, keeping each frame with the id the stream reported for it. */
const collect = async (stream: ChatStream) => {
  const seen: { id: string | undefined; frame: ChatStreamEvent }[] = [];
  for await (const frame of stream) seen.push({ id: stream.lastEventId, frame });
  return seen;
};

/** A scripted SSE server: each request gets the frames its handler writes. */
const scripted = async (handler: (req: IncomingMessage, res: ServerResponse, index: number) => void) => {
  const seen: { lastEventId: string | undefined }[] = [];
  const server = createServer((req, res) => {
    seen.push({ lastEventId: req.headers['last-event-id'] as string | undefined });
    handler(req, res, seen.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    seen,
    client: new CartritaClient({ baseURL: url, clientSecret: 'cks_test' }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** Breaks the connection once what was written has left, as a dropped network would. */
const cut = (res: ServerResponse) => res.write('', () => res.destroy());
const sse = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream' });
const write = (res: ServerResponse, seq: number, frame: unknown) =>
  res.write(
    `id: resp_0123456789abcdef:${seq}\ndata: ${typeof frame === 'string' ? frame : JSON.stringify(frame)}\n\n`,
  );
const start: ChatStreamFrame = {
  type: 'start',
  response_id: 'resp_0123456789abcdef',
  conversation_id: 'thr_1',
  message_id: 'msg_1',
  provider: 'p',
  model: 'm',
};
const chunk = (content: string): ChatStreamFrame => ({ type: 'chunk', content });
const done = (response: string): ChatStreamFrame => ({
  type: 'done',
  conversation_id: 'thr_1',
  message_id: 'msg_1',
  response,
  finish_reason: 'stop',
});

describe('ChatStream against a scripted server', () => {
  const servers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((close) => close()));
  });

  it('surfaces frames it does not know, never drops them', async () => {
    const server = await scripted((_req, res) => {
      sse(res);
      write(res, 1, start);
      write(res, 2, { type: 'reasoning', text: 'new in a later server' });
      write(res, 3, 'not json');
      write(res, 4, done(''));
      res.end();
    });
    servers.push(server.close);
    const seen = await collect(await server.client.chat.stream({ message: 'x' }));
    expect(seen.map(({ frame }) => frame.type)).toEqual(['start', 'unknown', 'unknown', 'done']);
    expect(seen[1]?.frame).toMatchObject({
      type: 'unknown',
      id: 'resp_0123456789abcdef:2',
      data: '{"type":"reasoning","text":"new in a later server"}',
    });
  });

  it('skips frames a resumed connection repeats, and fails on a gap', async () => {
    const server = await scripted((_req, res, index) => {
      sse(res);
      if (index === 0) {
        write(res, 1, start);
        write(res, 2, chunk('a'));
        cut(res);
      } else if (index === 1) {
        // A server that replays too much: the SDK must not deliver 2 twice.
        write(res, 1, start);
        write(res, 2, chunk('a'));
        write(res, 3, chunk('b'));
        write(res, 5, chunk('d'));
        res.end();
      }
    });
    servers.push(server.close);
    const stream = await server.client.chat.stream({ message: 'x' });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const frame of stream) seen.push(frame.type === 'chunk' ? frame.content : frame.type);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['start', 'a', 'b']);
    expect(isStreamError(error) && error.message).toMatch(/Events 4 to 4 are missing/);
    expect(server.seen.map((request) => request.lastEventId)).toEqual([undefined, 'resp_0123456789abcdef:2']);
  });

  it('delivers a final frame even when a restarted server numbers it at or before the last one seen', async () => {
    const server = await scripted((_req, res, index) => {
      sse(res);
      if (index === 0) {
        write(res, 1, start);
        write(res, 2, chunk('a'));
        write(res, 3, chunk('b'));
        cut(res);
      } else {
        // Frame 3 never reached the durable log before the crash: the recovered log ends at 2 + 1.
        write(res, 3, { type: 'incomplete', message_id: 'msg_1', reason: 'server_restarted' });
        res.end();
      }
    });
    servers.push(server.close);
    const seen = await collect(await server.client.chat.stream({ message: 'x' }));
    expect(seen.map(({ frame }) => frame.type)).toEqual(['start', 'chunk', 'chunk', 'incomplete']);
  });

  it('resumes a connection that ends cleanly mid-reply, and ends when a resume brings nothing', async () => {
    const server = await scripted((_req, res, index) => {
      sse(res);
      if (index === 0) {
        write(res, 1, start);
        write(res, 2, chunk('a'));
      } else if (index === 1) write(res, 3, chunk('b'));
      res.end();
    });
    servers.push(server.close);
    const stream = await server.client.chat.stream({ message: 'x' });
    const seen = await collect(stream);
    expect(seen.map(({ frame }) => frame.type)).toEqual(['start', 'chunk', 'chunk']);
    expect(stream.finalFrame).toBeUndefined();
    expect(server.seen.map((request) => request.lastEventId)).toEqual([
      undefined,
      'resp_0123456789abcdef:2',
      'resp_0123456789abcdef:3',
    ]);
    await expect(stream.finalResponse()).rejects.toSatisfy(isStreamError);
  });

  it('fails when the stream does not begin with a start frame', async () => {
    const server = await scripted((_req, res) => {
      sse(res);
      write(res, 1, chunk('a'));
      res.end();
    });
    servers.push(server.close);
    await expect(server.client.chat.stream({ message: 'x' })).rejects.toSatisfy(isStreamError);
  });
});
