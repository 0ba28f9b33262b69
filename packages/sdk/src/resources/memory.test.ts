import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import { isNotFoundError, UnprocessableEntityError } from '../core/errors.js';

const baseURL = 'http://studio.test';
const apiKey = 'test-key-memory-0123456789';
const store = createStore({ baseURL, apiKeys: [apiKey] });
const mock = setupCartritaServer({ store });

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => mock.close());

const client = () => new CartritaClient({ baseURL, apiKey });

describe('client.memory', () => {
  it('remembers, lists, changes, forgets and clears memories', async () => {
    const sdk = client();
    const fact = await sdk.memory.create({
      type: 'fact',
      content: 'Lives in Lisbon',
      metadata: { from: 'form' },
    });
    expect(fact).toMatchObject({ type: 'fact', content: 'Lives in Lisbon', metadata: { from: 'form' } });
    await sdk.memory.create({ type: 'profile', content: 'Prefers short answers' });
    const { memories, total } = await sdk.memory.list({ type: 'fact' });
    expect(memories.map((memory) => memory.id)).toEqual([fact.id]);
    expect(total).toBe(1);
    expect((await sdk.memory.update(fact.id, { content: 'Lives in Porto' })).content).toBe('Lives in Porto');
    expect(await sdk.memory.get(fact.id)).toMatchObject({ content: 'Lives in Porto' });
    expect(await sdk.memory.delete(fact.id)).toEqual({ id: fact.id, deleted: true });
    const gone = await sdk.memory.get(fact.id).catch((error: unknown) => error);
    expect(isNotFoundError(gone)).toBe(true);
    expect(await sdk.memory.clear()).toEqual({ cleared: 1 });
    expect(await sdk.memory.list()).toEqual({ memories: [], total: 0 });
  });

  it('keeps a studio chat exchange as a conversation memory', async () => {
    const sdk = client();
    const reply = await sdk.studio.chat.create({ message: 'Remember the blue door' });
    const { memories } = await sdk.memory.list({ type: 'conversation' });
    expect(memories.map((memory) => memory.metadata)).toEqual([
      {
        session_id: reply.session_id,
        message_id: reply.message_id,
        user_message: 'Remember the blue door',
        assistant_message: reply.response,
      },
    ]);
  });
});

describe('client.studioConfig', () => {
  it('reads, changes and checks a section, and refuses an invalid change with a 422', async () => {
    const sdk = client();
    expect((await sdk.studioConfig.list()).context.chunk_size).toBe(1000);
    const changed = await sdk.studioConfig.update('memory', { updates: { max_memories_per_prompt: 2 } });
    expect(changed).toMatchObject({ config_type: 'memory', config: { max_memories_per_prompt: 2 } });
    expect((await sdk.studioConfig.get('memory')).config.max_memories_per_prompt).toBe(2);
    const refused = await sdk.studioConfig
      .update('context', { updates: { chunk_overlap: 5000 } })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnprocessableEntityError);
    expect(await sdk.studioConfig.validate('context')).toEqual({ valid: true, errors: [] });
    expect((await sdk.studioConfig.reload()).memory.max_memories_per_prompt).toBe(2);
  });

  it('starts from the defaults again after the mock is reset', async () => {
    expect((await client().studioConfig.get('memory')).config.max_memories_per_prompt).toBe(5);
  });
});
