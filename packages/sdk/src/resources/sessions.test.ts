import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import { createClient } from '../core/create-client.js';
import { isAPIError, isNotFoundError } from '../core/errors.js';
import { Commands } from './commands.js';
import { Engines } from './engines.js';
import { Events } from './events.js';
import { Handlers } from './handlers.js';
import { Sessions } from './sessions.js';
import { Tools } from './tools.js';

const baseURL = 'http://llmgine.test';
const apiKey = 'test-key-sessions-0123456789';
const store = createStore({ baseURL, apiKeys: [apiKey] });
const mock = setupCartritaServer({ store });

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => mock.close());

describe('client.sessions', () => {
  it('creates, gets and deletes a session', async () => {
    const client = new CartritaClient({ baseURL, apiKey });
    const created = await client.sessions.create({
      name: 'optional-session-name',
      metadata: { user_id: 'user123', project: 'my-project' },
    });
    expect(created).toMatchObject({
      session_id: expect.stringMatching(/^sess_/),
      status: 'active',
      name: 'optional-session-name',
      metadata: { user_id: 'user123', project: 'my-project' },
    });
    await client.commands.run(created.session_id, {
      command_type: 'DummyEngineCommand',
      parameters: { prompt: 'Count me' },
    });
    expect(await client.sessions.get(created.session_id)).toEqual({
      session_id: created.session_id,
      name: 'optional-session-name',
      metadata: { user_id: 'user123', project: 'my-project' },
      status: 'active',
      created_at: created.created_at,
      expires_at: null,
      counts: { commands: 1, queued: 0, executing: 0, events: 2, engines: 0, tools: 0, handlers: 0 },
    });
    expect(await client.sessions.delete(created.session_id)).toEqual({
      session_id: created.session_id,
      deleted: true,
    });
    const gone = await client.sessions.get(created.session_id).catch((error: unknown) => error);
    expect(isNotFoundError(gone) && [gone.code, gone.message]).toEqual([
      'SESSION_NOT_FOUND',
      `Request failed with status 404: GET /api/sessions/${created.session_id} (SESSION_NOT_FOUND: Session ${created.session_id} does not exist)`,
    ]);
  });

  it('creates a session with no params at all', async () => {
    const client = new CartritaClient({ baseURL, apiKey });
    expect(await client.sessions.create()).toMatchObject({ name: null, metadata: {}, status: 'active' });
  });

  it('refuses a client secret, which cannot create sessions (403)', async () => {
    const { client_secret } = await new CartritaClient({ baseURL }).chatkit.createSession();
    const browser = new CartritaClient({ baseURL, clientSecret: client_secret });
    const error = await browser.sessions.create().catch((caught: unknown) => caught);
    expect(isAPIError(error) && [error.status, error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('carries the session’s areas, the same instances as the client’s own', () => {
    const client = new CartritaClient({ baseURL, apiKey });
    expect(client.sessions.commands).toBeInstanceOf(Commands);
    expect(client.sessions.events).toBeInstanceOf(Events);
    expect(client.sessions.tools).toBeInstanceOf(Tools);
    expect(client.sessions.handlers).toBeInstanceOf(Handlers);
    expect(client.commands).toBe(client.sessions.commands);
    expect(client.events).toBe(client.sessions.events);
    expect(client.tools).toBe(client.sessions.tools);
    expect(client.handlers).toBe(client.sessions.handlers);
  });

  it('works in a client made by createClient with only the LLMGine areas', async () => {
    const client = createClient({ baseURL, apiKey, resources: { sessions: Sessions, engines: Engines } });
    expect(Object.keys(client).sort()).toEqual(['engines', 'sessions', 'transport']);
    const { session_id } = await client.sessions.create();
    const engine = await client.engines.create({ engine_type: 'DummyEngine', session_id });
    expect(await client.engines.execute(engine.engine_id, { prompt: 'Hi' })).toMatchObject({
      response: 'Processed: Hi',
    });
    const done = await client.sessions.commands.run(session_id, {
      command_type: 'DummyEngineCommand',
      parameters: { prompt: 'Hi' },
    });
    expect(done.status).toBe('completed');
  });
});
