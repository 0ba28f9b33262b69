import type { WsServerMessage } from '@cartrita/contracts';
import { describe, expect, it } from 'vitest';
import { Outbound } from './outbound.js';

/** A socket whose buffer the test fills and empties. */
const fakeSocket = () => {
  const written: WsServerMessage[] = [];
  return {
    readyState: 1,
    bufferedAmount: 0,
    written,
    send(data: string) {
      written.push(JSON.parse(data));
    },
  };
};

const chunk = (content: string, id = 'cs_1'): WsServerMessage => ({
  type: 'chunk',
  data: { chat_session_id: id, content, thinking: null, done: false },
});

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
};

describe('Outbound', () => {
  it('sends at once while the socket has room', () => {
    const socket = fakeSocket();
    const outbound = new Outbound(socket, { onOverflow: () => {} });
    outbound.send(chunk('a'));
    outbound.send({ type: 'pong' });
    expect(socket.written).toEqual([chunk('a'), { type: 'pong' }]);
    expect(outbound.queued).toBe(0);
  });

  it('holds messages while the socket is congested, merging the chunks of a chat, and keeps their order', async () => {
    const socket = fakeSocket();
    const outbound = new Outbound(socket, { highWaterMark: 100, pollMs: 1, onOverflow: () => {} });
    socket.bufferedAmount = 500;
    outbound.send(chunk('Hel'));
    outbound.send(chunk('lo'));
    outbound.send(chunk('!', 'cs_2'));
    outbound.send({ type: 'pong' });
    outbound.send({ type: 'pong' });
    outbound.send(chunk(' there'));
    expect(socket.written).toEqual([]);
    expect(outbound.queued).toBe(4);
    socket.bufferedAmount = 0;
    await until(() => outbound.queued === 0);
    expect(socket.written).toEqual([chunk('Hello'), chunk('!', 'cs_2'), { type: 'pong' }, chunk(' there')]);
    outbound.send(chunk('direct'));
    expect(socket.written.at(-1)).toEqual(chunk('direct'));
    outbound.close();
  });

  it('reports a reader too slow for its budget and drops what it held', () => {
    const socket = fakeSocket();
    let overflowed = 0;
    const outbound = new Outbound(socket, {
      highWaterMark: 10,
      maxQueuedBytes: 1_000,
      onOverflow: () => overflowed++,
    });
    socket.bufferedAmount = 50;
    for (let i = 0; i < 20; i++) outbound.send(chunk('x'.repeat(100)));
    expect(overflowed).toBe(1);
    expect(outbound.queued).toBe(0);
    socket.bufferedAmount = 0;
    outbound.send(chunk('after'));
    expect(socket.written).toEqual([]);
  });
});
