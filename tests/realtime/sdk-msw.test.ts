import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { CartritaClient, isRealtimeError } from '@cartrita/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

const baseURL = 'http://mocked.test';
const store = createStore({ baseURL, paceMs: 1 });
const server = setupCartritaServer({ store });

// setupCartritaServer mocks the /ws/chat socket next to the HTTP routes, over the same store.
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => store.reset());
afterAll(() => server.close());

const client = () => {
  const anonymous = new CartritaClient({ baseURL });
  let secret: string | undefined;
  return new CartritaClient({
    baseURL,
    getClientSecret: async ({ force }) => {
      if (force || !secret) secret = (await anonymous.chatkit.createSession()).client_secret;
      return secret;
    },
  });
};

describe('client.realtime against the MSW mocks', () => {
  it('runs a chat against the mocked socket and finds it in the mocked /chatkit', async () => {
    store.respondWith('Scripted **reply**');
    const sdk = client();
    const chat = sdk.realtime.chat();
    onTestFinished(() => chat.close());
    const run = chat.send('Hi mock');
    const chunks: string[] = [];
    for await (const message of run) if (message.type === 'chunk') chunks.push(message.data.content);
    const result = await run.done;
    expect(result).toMatchObject({ status: 'completed', text: 'Scripted **reply**' });
    expect(chunks.join('')).toBe('Scripted **reply**');
    const page = (await sdk.chatkit.request({
      type: 'items.list',
      params: { thread_id: result.conversationId as string, order: 'asc' },
    })) as { data: { type: string }[] };
    expect(page.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
  });

  it('cancels a mocked reply and lets a new message replace the running one', async () => {
    store.respondWith('one two three four five six seven eight nine ten', 'Second reply');
    const chat = client().realtime.chat();
    onTestFinished(() => chat.close());
    const first = chat.send('/slow');
    for await (const message of first) if (message.type === 'chunk') break;
    expect((await first.done).status).toBe('cancelled');
    const second = await chat.send('again').done;
    expect(second.text).toBe('Second reply');
  });

  it('answers messages sent at once in order, each to its own run', async () => {
    // Chats replaced before they started never reach the assistant: only the last one takes a reply.
    store.respondWith('the answer');
    const chat = client().realtime.chat();
    onTestFinished(() => chat.close());
    const results = await Promise.all(['/slow', '/slow', 'three'].map((text) => chat.send(text).done));
    expect(results.map((result) => result.status)).toEqual(['cancelled', 'cancelled', 'completed']);
    expect(results[2]?.text).toBe('the answer');
    expect(store.provider.queued).toBe(0);
  });

  it('reports a mocked server error as a RealtimeError of the run', async () => {
    const chat = client().realtime.chat();
    onTestFinished(() => chat.close());
    const error = await chat.send('x', { conversation_id: 'thr_missing' }).done.catch((e: unknown) => e);
    expect(isRealtimeError(error) && error.code).toBe('THREAD_NOT_FOUND');
  });
});
