import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import { isAPIError } from '../core/errors.js';

const baseURL = 'http://llmgine.test';
const apiKey = 'test-key-system-0123456789';
const store = createStore({
  baseURL,
  apiKeys: [apiKey, { key: 'test-key-chat-0123456789', scopes: ['chat'] }],
});
const mock = setupCartritaServer({ store });

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => mock.close());

describe('client.system', () => {
  it('reports health, status and the configuration', async () => {
    const client = new CartritaClient({ baseURL, apiKey });
    expect(await client.system.health()).toMatchObject({ status: 'healthy', version: '0.0.0-mock' });
    const status = await client.system.status();
    expect(status).toMatchObject({
      status: 'healthy',
      commands: { queued: 0, executing: 0 },
      sockets: { chat: 0, events: 0, studio: 0 },
    });
    const config = await client.system.config();
    expect(config).toMatchObject({ mock: true, baseURL });
    expect(JSON.stringify(config)).not.toContain(apiKey);
  });

  it('refuses status and configuration to a key without their scopes', async () => {
    const client = new CartritaClient({ baseURL, apiKey: 'test-key-chat-0123456789' });
    for (const call of [() => client.system.status(), () => client.system.config()]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(isAPIError(error) && [error.status, error.code]).toEqual([403, 'FORBIDDEN']);
    }
  });

  it('shuts the server down: it answers, then refuses requests with 503', async () => {
    const client = new CartritaClient({ baseURL, apiKey, maxRetries: 0 });
    expect(await client.system.shutdown({ deadline_seconds: 5 })).toEqual({
      status: 'shutting_down',
      deadline_seconds: 5,
      executing: 0,
    });
    const error = await client.sessions.create().catch((caught: unknown) => caught);
    expect(isAPIError(error) && error.status).toBe(503);
  });
});
