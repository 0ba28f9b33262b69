import { cutStreamAfter } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import { ChatStream } from './chat.js';

const baseURL = 'http://cartrita.test';
const mock = setupCartritaServer({ baseURL });

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => mock.close());

const client = async () => {
  const { client_secret } = await new CartritaClient({ baseURL }).chatkit.createSession();
  return new CartritaClient({ baseURL, clientSecret: client_secret });
};

describe('client.studio.chat', () => {
  it('create() makes a session_id that the next message continues', async () => {
    const studio = (await client()).studio;
    mock.store.respondWith('One', 'Two');
    const first = await studio.chat.create({ message: 'Hi', context: ['atc_1'] });
    expect(first).toMatchObject({ response: 'One', session_id: expect.stringMatching(/^thr_/) });
    const second = await studio.chat.create({ message: 'Again', session_id: first.session_id });
    expect(second).toMatchObject({ response: 'Two', session_id: first.session_id });
    const items = await mock.store.repositories.chatkit.items.list(first.session_id, { limit: 100 });
    expect(items.data.map((item) => item.type)).toEqual([
      'assistant_message',
      'user_message',
      'assistant_message',
      'user_message',
    ]);
  });

  it('stream() carries session_id in its frames and resumes after a cut', async () => {
    const studio = (await client()).studio;
    const text = 'A reply long enough to be cut in the middle of it.';
    mock.store.respondWith(text);
    mock.scenarios.use(cutStreamAfter(4), { route: 'studio.chat.stream', once: true });
    const stream = await studio.chat.stream({ message: 'Stream' });
    expect(stream).toBeInstanceOf(ChatStream);
    const result = await stream.finalResponse();
    expect(result).toMatchObject({ response: text, finish_reason: 'stop' });
    expect(result.session_id).toBe(result.conversation_id);
    expect(stream.start?.session_id).toBe(result.session_id);
    expect(stream.text).toBe(text);
    expect(stream.reconnects).toBe(1);
  });
});
