// biome-ignore-all lint/suspicious/noTemplateCurlyInString: module contents write `${variable}` placeholders
import { createQuickJsSandbox } from '@cartrita/engine/quickjs';
import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { CartritaClient, isRealtimeError } from '@cartrita/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

const baseURL = 'http://mocked.test';
// Module scripts run in QuickJS in this thread, as the mocks run them in a browser.
const store = createStore({ baseURL, paceMs: 1, sandbox: createQuickJsSandbox() });
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

  it('picks an agent with agent on the chat message: a provider and model, or a persona', async () => {
    const sdk = client();
    const chat = sdk.realtime.chat();
    onTestFinished(() => chat.close());
    const byProvider = await chat.send('Hello', { agent: 'demo/demo-1' }).done;
    expect([byProvider.status, byProvider.provider, byProvider.model]).toEqual([
      'completed',
      'demo',
      'demo-1',
    ]);
    const persona = await sdk.personas.create({ name: 'Pirate', template: 'You are a pirate.' });
    const byPersona = await chat.send('Ahoy', { agent: persona.id }).done;
    expect(byPersona.status).toBe('completed');
    expect((await sdk.conversations.get(byPersona.conversationId as string)).persona_id).toBe(persona.id);
    const error = await chat.send('Hi', { agent: 'per_nobody' }).done.catch((e: unknown) => e);
    expect(isRealtimeError(error) && error.code).toBe('NOT_FOUND');
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

describe('the stages of a realtime run against the MSW mocks', () => {
  it('tells each stage and resolves with what the after-reply modules did, a failing one included', async () => {
    store.respondWith('Mocked reply');
    const sdk = client();
    await sdk.modules.create({
      name: 'tally',
      type: 'simple',
      content: 'answered with ${response}',
      trigger_pattern: 'count',
      execution_stage: 'POST_RESPONSE',
    });
    await sdk.modules.create({
      name: 'faulty',
      type: 'advanced',
      content: '${x}',
      script: 'throw new Error("mock failure")',
      trigger_pattern: 'count',
      execution_stage: 'POST_RESPONSE',
    });
    const chat = sdk.realtime.chat();
    onTestFinished(() => chat.close());
    const stages: string[] = [];
    const errors: (string | undefined)[] = [];
    chat.on('stage', ({ stage, status, error }) => {
      stages.push(`${stage}:${status}`);
      errors.push(error);
    });
    const result = await chat.send('count this').done;
    expect(result.text).toBe('Mocked reply');
    // The failing module ends the stage `failed`, naming it; the reply and the other report are kept.
    expect(stages.slice(-2)).toEqual(['post_response:started', 'post_response:failed']);
    expect(errors.at(-1)).toBe('@faulty: runtime: Error: mock failure');
    expect(stages.filter((update) => update.endsWith(':started'))).toEqual([
      'prompt_resolution:started',
      'context:started',
      'generation:started',
      'post_response:started',
    ]);
    expect(result.modules.map(({ name, status, text, error }) => ({ name, status, text, error }))).toEqual([
      { name: 'tally', status: 'completed', text: 'answered with Mocked reply', error: null },
      { name: 'faulty', status: 'failed', text: null, error: 'runtime: Error: mock failure' },
    ]);
    const stored = await sdk.messages.get(result.messageId as string);
    expect((stored.extra_data as { post_response: { modules: unknown[] } }).post_response.modules).toEqual(
      result.modules,
    );
  });
});
