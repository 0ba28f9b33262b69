import {
  CartritaClient,
  type EventStream,
  isAPIError,
  isNotFoundError,
  type SessionStreamEvent,
} from '@cartrita/sdk';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';
import { startProxy } from '../faults/proxy.js';

// Seed 001 through the SDK against the real server: real HTTP, and the event stream's real
// WebSocket (the admin API key goes in its Authorization header, as Node's WebSocket allows; a
// client secret in access_token, as a browser sends it).

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const admin = () => new CartritaClient({ baseURL: server.url, apiKey: server.apiKey });

const dummy = (prompt: string, metadata: Record<string, unknown> = {}) => ({
  command_type: 'DummyEngineCommand',
  parameters: { prompt },
  metadata,
});

const follow = (stream: EventStream) => {
  onTestFinished(() => stream.close());
  return stream[Symbol.asyncIterator]();
};

const take = async (iterator: AsyncIterator<SessionStreamEvent>, count: number) => {
  const events: SessionStreamEvent[] = [];
  while (events.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    events.push(next.value);
  }
  return events;
};

const status = (value: string) => ({ event_type: 'DummyEngineStatusUpdate', data: { status: value } });

describe('the seed 001 walk-through through the SDK', () => {
  it('runs sessions, commands, events and their stream, engines and the system routes end to end', async () => {
    const client = admin();
    // Session management
    const session = await client.sessions.create({
      name: 'optional-session-name',
      metadata: { user_id: 'user123', project: 'my-project' },
    });
    expect(session).toMatchObject({ status: 'active', name: 'optional-session-name' });
    const sessionId = session.session_id;

    // Everything the session publishes, live, from before the first command on.
    const stream = client.events.stream(sessionId);
    const live = follow(stream);
    expect(await stream.ready).toEqual({ type: 'ready', session_id: sessionId, replayed: 0 });

    // Command execution: answered at once, then followed to its end
    const queued = await client.commands.create(
      sessionId,
      dummy('Hello, world!', { priority: 'high', timeout: 30 }),
    );
    expect(queued).toMatchObject({ metadata: { priority: 'high', timeout: 30 }, result: null, error: null });
    expect(['queued', 'executing']).toContain(queued.status);
    const done = await client.commands.wait(sessionId, queued.command_id);
    expect(done).toMatchObject({
      status: 'completed',
      result: { response: 'Processed: Hello, world!' },
      error: null,
    });
    expect(done.completed_at).not.toBeNull();

    // Batch: answered and run in order
    const batch = await client.commands.batch(sessionId, {
      commands: [dummy('First command'), dummy('Second command')],
    });
    expect(batch.commands.map((command) => command.parameters.prompt)).toEqual([
      'First command',
      'Second command',
    ]);
    const finished = await Promise.all(
      batch.commands.map((c) => client.commands.wait(sessionId, c.command_id)),
    );
    expect(finished.map((command) => command.result)).toEqual([
      { response: 'Processed: First command' },
      { response: 'Processed: Second command' },
    ]);

    // Event management
    const published = await client.events.publish(sessionId, {
      ...status('processing'),
      metadata: { source: 'engine', priority: 'normal' },
    });
    const statusEvents = await client.events.list(sessionId, {
      limit: 50,
      offset: 0,
      event_type: 'DummyEngineStatusUpdate',
    });
    expect(statusEvents.total).toBe(7);
    expect(statusEvents.events.at(-1)).toEqual(published);
    expect(await client.events.get(sessionId, published.event_id)).toEqual(published);

    // The stream saw the same events, in the same order: the commands' status updates, then ours.
    const streamed = await take(live, 7);
    expect(streamed.map((event) => event.event_id)).toEqual(
      statusEvents.events.map((event) => event.event_id),
    );
    expect(streamed.slice(0, 2).map((event) => event.data)).toEqual([
      { status: 'processing', command_id: queued.command_id },
      { status: 'completed', command_id: queued.command_id },
    ]);

    // Engine management
    const engine = await client.engines.create({
      engine_type: 'DummyEngine',
      model_name: 'gpt-4',
      session_id: sessionId,
      configuration: { temperature: 0.7, max_tokens: 1000 },
    });
    expect(engine).toMatchObject({
      engine_type: 'DummyEngine',
      status: 'initialized',
      session_id: sessionId,
    });
    expect(
      await client.engines.execute(engine.engine_id, {
        prompt: 'Hello, world!',
        parameters: { temperature: 0.7 },
      }),
    ).toMatchObject({
      response: 'Processed: Hello, world!',
      model: 'gpt-4',
      usage: { input_tokens: 2, output_tokens: 3 },
    });
    const demo = await client.engines.create({ engine_type: 'demo', session_id: sessionId });
    const demoRun = await client.engines.execute(demo.engine_id, { prompt: 'Hello' });
    expect(demoRun.engine_type).toBe('demo');
    expect(demoRun.response.length).toBeGreaterThan(0);
    const openai = await client.engines.create({ engine_type: 'openai', session_id: sessionId });
    const unconfigured = await client.engines
      .execute(openai.engine_id, { prompt: 'Hello' }, { maxRetries: 0 })
      .catch((error: unknown) => error);
    expect(isAPIError(unconfigured) && [unconfigured.status, unconfigured.code]).toEqual([
      503,
      'PROVIDER_NOT_CONFIGURED',
    ]);
    const engines = await client.engines.list({ session_id: sessionId });
    expect(engines.engines.map((e) => e.engine_id).sort()).toEqual(
      [engine.engine_id, demo.engine_id, openai.engine_id].sort(),
    );
    expect(await client.engines.get(engine.engine_id)).toMatchObject({
      status: 'active',
      usage: { executions: 1 },
    });
    expect(await client.engines.delete(openai.engine_id)).toEqual({
      engine_id: openai.engine_id,
      deleted: true,
    });

    // What the session holds
    expect((await client.sessions.get(sessionId)).counts).toEqual({
      commands: 3,
      queued: 0,
      executing: 0,
      events: 9,
      engines: 2,
      tools: 0,
      handlers: 0,
    });

    // System management
    expect(await client.system.health()).toMatchObject({ status: 'healthy' });
    const serverStatus = await client.system.status();
    expect(serverStatus.sockets.events).toBe(1);
    expect(serverStatus.commands).toEqual({ queued: 0, executing: 0 });
    const config = await client.system.config();
    expect(JSON.stringify(config)).not.toContain(server.apiKey);

    // Deleting the session ends its stream: the loop finishes, with the engine's status events last.
    await client.sessions.delete(sessionId);
    const rest: SessionStreamEvent[] = [];
    for (let next = await live.next(); !next.done; next = await live.next()) rest.push(next.value);
    expect(rest.map((event) => event.data)).toEqual([
      { status: 'processing', engine_id: engine.engine_id },
      { status: 'completed', engine_id: engine.engine_id },
    ]);
    expect(stream.state).toBe('closed');
  });

  it('answers failures in the error envelope, as typed errors', async () => {
    const client = admin();
    const missing = await client.sessions.get('sess_missing').catch((error: unknown) => error);
    expect(isNotFoundError(missing) && [missing.code, missing.type, missing.requestId]).toEqual([
      'SESSION_NOT_FOUND',
      'NotFoundError',
      expect.stringMatching(/^req_/),
    ]);
    const engine = await client.engines.get('eng_missing').catch((error: unknown) => error);
    expect(isNotFoundError(engine) && engine.code).toBe('ENGINE_NOT_FOUND');
    const { session_id } = await client.sessions.create();
    const handler = await client.commands
      .create(session_id, { command_type: 'NoSuchCommand' })
      .catch((error: unknown) => error);
    expect(isNotFoundError(handler) && handler.code).toBe('HANDLER_NOT_FOUND');
    const invalid = await client.commands
      .create(session_id, dummy('x', { priority: 'urgent' }))
      .catch((error: unknown) => error);
    expect(isAPIError(invalid) && [invalid.status, invalid.code, invalid.details]).toEqual([
      422,
      'VALIDATION_ERROR',
      { fields: [expect.objectContaining({ path: 'body.metadata.priority' })] },
    ]);
  });

  it('runs a batch in order, and every high command before any normal', async () => {
    const client = admin();
    const { session_id } = await client.sessions.create();
    const prompts = ['one', 'two', 'three', 'four'];
    const { commands } = await client.commands.batch(session_id, {
      commands: [...prompts.map((prompt) => dummy(prompt)), dummy('urgent', { priority: 'high' })],
    });
    expect(commands.map((command) => command.parameters.prompt)).toEqual([...prompts, 'urgent']);
    await Promise.all(commands.map((command) => client.commands.wait(session_id, command.command_id)));
    const { events } = await client.events.list(session_id, { event_type: 'DummyEngineStatusUpdate' });
    const started = events
      .filter((event) => event.data.status === 'processing')
      .map((e) => e.data.command_id);
    const byId = new Map(commands.map((command) => [command.command_id, command.parameters.prompt]));
    // The first one may have started before the rest were read; the high one goes before the others.
    expect(started.map((id) => byId.get(id as string)).slice(-3)).toEqual(['two', 'three', 'four']);
    expect(started.indexOf(commands[4]?.command_id)).toBeLessThan(started.indexOf(commands[1]?.command_id));
  });
});

describe('client.events.stream against the real server', () => {
  it('follows a ChatKit session with its client secret, as a browser does', async () => {
    const minted = await admin().chatkit.createSession({ user: 'walkthrough' });
    const backend = new CartritaClient({
      baseURL: server.url,
      apiKey: server.apiKey,
      defaultHeaders: { 'x-cartrita-user': minted.user_id as string },
    });
    const browser = new CartritaClient({ baseURL: server.url, clientSecret: minted.client_secret });
    const stream = browser.events.stream(minted.session_id);
    const iterator = follow(stream);
    await stream.ready;
    const sent = [
      await backend.events.publish(minted.session_id, status('processing')),
      await backend.events.publish(minted.session_id, status('completed')),
    ];
    expect(await take(iterator, 2)).toEqual(sent.map((event) => ({ type: 'event', ...event })));
  });

  it('resumes after the connection is cut: the events published while it was down arrive once each, in order', async () => {
    const proxy = await startProxy({ target: server.url });
    onTestFinished(() => proxy.close());
    const direct = admin();
    const { session_id } = await direct.sessions.create();
    const throughProxy = new CartritaClient({ baseURL: proxy.url, apiKey: server.apiKey });
    const reconnects: (string | undefined)[] = [];
    const stream = throughProxy.events.stream(session_id, {
      reconnect: { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: Number.POSITIVE_INFINITY },
      onReconnect: ({ lastEventId }) => reconnects.push(lastEventId),
    });
    const iterator = follow(stream);
    await stream.ready;
    const publish = (label: string) => direct.events.publish(session_id, status(label));

    const before = [await publish('before 1'), await publish('before 2')];
    const seen = await take(iterator, 2);
    proxy.refusing = true;
    expect(proxy.cutAll()).toBe(1);
    while (stream.state !== 'reconnecting') await new Promise((resolve) => setTimeout(resolve, 5));
    const during: Awaited<ReturnType<typeof publish>>[] = [];
    for (let index = 1; index <= 5; index++) during.push(await publish(`during ${index}`));
    proxy.refusing = false;
    seen.push(...(await take(iterator, 5)));
    const after = [await publish('after 1'), await publish('after 2')];
    seen.push(...(await take(iterator, 2)));

    expect(seen.map((event) => event.event_id)).toEqual(
      [...before, ...during, ...after].map((e) => e.event_id),
    );
    expect(stream.reconnects).toBe(1);
    expect(new Set(reconnects)).toEqual(new Set([before[1]?.event_id]));
    const { events } = await direct.events.list(session_id);
    expect(events.map((event) => event.event_id)).toEqual(seen.map((event) => event.event_id));
  });

  it('ends the loop when the session is deleted (4404)', async () => {
    const client = admin();
    const { session_id } = await client.sessions.create();
    const stream = client.events.stream(session_id);
    onTestFinished(() => stream.close());
    await stream.ready;
    const last = await client.events.publish(session_id, status('last'));
    await client.sessions.delete(session_id);
    const seen: SessionStreamEvent[] = [];
    for await (const event of stream) seen.push(event);
    expect(seen).toEqual([{ type: 'event', ...last }]);
    expect(stream.state).toBe('closed');
  });

  it('rejects with NotFoundError when the server refuses the upgrade for an unknown session', async () => {
    const stream = admin().events.stream('sess_missing');
    onTestFinished(() => stream.close());
    const error = await stream.ready.catch((caught: unknown) => caught);
    expect(isNotFoundError(error) && error.code).toBe('SESSION_NOT_FOUND');
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toBe(error);
  });
});
