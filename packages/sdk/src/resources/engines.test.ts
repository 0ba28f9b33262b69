import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import { isAPIError, isNotFoundError } from '../core/errors.js';

const baseURL = 'http://llmgine.test';
const apiKey = 'test-key-engines-0123456789';
const store = createStore({ baseURL, apiKeys: [apiKey] });
const mock = setupCartritaServer({ store });

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => mock.close());

const setup = async () => {
  const client = new CartritaClient({ baseURL, apiKey });
  const { session_id } = await client.sessions.create();
  return { client, sessionId: session_id };
};

describe('client.engines', () => {
  it('creates a DummyEngine, runs it, lists, gets and deletes it', async () => {
    const { client, sessionId } = await setup();
    const engine = await client.engines.create({
      engine_type: 'DummyEngine',
      model_name: 'gpt-4',
      session_id: sessionId,
      configuration: { temperature: 0.7, max_tokens: 1000 },
    });
    expect(engine).toMatchObject({
      engine_id: expect.stringMatching(/^eng_/),
      engine_type: 'DummyEngine',
      model_name: 'gpt-4',
      status: 'initialized',
      session_id: sessionId,
      configuration: { temperature: 0.7, max_tokens: 1000 },
      usage: { executions: 0, input_tokens: 0, output_tokens: 0 },
    });
    const run = await client.engines.execute(engine.engine_id, {
      prompt: 'Hello, world!',
      parameters: { temperature: 0.7 },
    });
    expect(run).toMatchObject({
      engine_id: engine.engine_id,
      engine_type: 'DummyEngine',
      model: 'gpt-4',
      response: 'Processed: Hello, world!',
      usage: { input_tokens: 2, output_tokens: 3 },
    });
    expect(await client.engines.get(engine.engine_id)).toMatchObject({
      status: 'active',
      usage: { executions: 1, input_tokens: 2, output_tokens: 3 },
    });
    const other = await client.sessions.create();
    await client.engines.create({ engine_type: 'DummyEngine', session_id: other.session_id });
    const listed = await client.engines.list({ session_id: sessionId, status: 'active' });
    expect([listed.total, listed.engines.map((e) => e.engine_id)]).toEqual([1, [engine.engine_id]]);
    expect((await client.engines.list()).total).toBe(2);
    expect(await client.engines.delete(engine.engine_id)).toEqual({
      engine_id: engine.engine_id,
      deleted: true,
    });
    const gone = await client.engines.get(engine.engine_id).catch((error: unknown) => error);
    expect(isNotFoundError(gone) && gone.code).toBe('ENGINE_NOT_FOUND');
  });

  it('runs a provider engine through its provider, and answers 503 for one without a key', async () => {
    const { client, sessionId } = await setup();
    store.respondWith('Hello from the demo provider');
    const demo = await client.engines.create({
      engine_type: 'demo',
      session_id: sessionId,
      configuration: { system_prompt: 'Be brief.' },
    });
    expect(await client.engines.execute(demo.engine_id, { prompt: 'Hi' })).toMatchObject({
      engine_type: 'demo',
      response: 'Hello from the demo provider',
    });
    const openai = await client.engines.create({ engine_type: 'openai', session_id: sessionId });
    const error = await client.engines
      .execute(openai.engine_id, { prompt: 'Hi' }, { maxRetries: 0 })
      .catch((caught: unknown) => caught);
    expect(isAPIError(error) && [error.status, error.code]).toEqual([503, 'PROVIDER_NOT_CONFIGURED']);
  });

  it('refuses an engine type the server does not have, naming those it has', async () => {
    const { client, sessionId } = await setup();
    const error = await client.engines
      .create({ engine_type: 'NoSuchEngine', session_id: sessionId })
      .catch((caught: unknown) => caught);
    expect(isAPIError(error) && [error.status, error.code, error.serverMessage]).toEqual([
      422,
      'VALIDATION_ERROR',
      'Unknown engine type "NoSuchEngine": the types here are DummyEngine, demo, openai',
    ]);
  });
});
