import { CartritaClient, isAPIError, isNotFoundError, type SessionStreamEvent } from '@cartrita/sdk';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';

// Tools and handlers of seed 001 through the SDK against the real server. Their code runs in the
// server's sandbox: these tests hold the SDK and the server to what the contract says user code
// does (results, failures as values, timeouts, `emit`), and pass once the server runs a sandbox.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const setup = async () => {
  const client = new CartritaClient({ baseURL: server.url, apiKey: server.apiKey });
  const { session_id } = await client.sessions.create({ name: 'sandbox' });
  return { client, sessionId: session_id };
};

/** The seed's `get_weather`, in JavaScript: one async function taking the arguments object. */
const getWeather = {
  name: 'get_weather',
  description: 'Get weather information for a location',
  parameters: { location: { type: 'string', description: 'City name' } },
  function_code: `async function get_weather({ location }) {
    return { location, forecast: 'sunny', temperature_c: 24 };
  }`,
};

describe('client.tools', () => {
  it('registers the seed’s get_weather, lists it, calls it and unregisters it', async () => {
    const { client, sessionId } = await setup();
    const tool = await client.tools.register(sessionId, getWeather);
    expect(tool).toMatchObject({
      name: 'get_weather',
      description: 'Get weather information for a location',
      parameters: getWeather.parameters,
    });
    expect(await client.tools.list(sessionId)).toEqual({ tools: [tool], total: 1 });
    const call = await client.tools.execute(sessionId, 'get_weather', {
      arguments: { location: 'Melbourne' },
    });
    expect(call).toMatchObject({
      tool_name: 'get_weather',
      result: { location: 'Melbourne', forecast: 'sunny', temperature_c: 24 },
      error: null,
    });
    expect(call.duration_ms).toBeGreaterThanOrEqual(0);
    expect(await client.tools.unregister(sessionId, 'get_weather')).toEqual({
      tool_name: 'get_weather',
      deleted: true,
    });
    const gone = await client.tools
      .execute(sessionId, 'get_weather', { arguments: { location: 'Melbourne' } })
      .catch((error: unknown) => error);
    expect(isNotFoundError(gone) && gone.code).toBe('TOOL_NOT_FOUND');
  });

  it('checks arguments against the tool’s parameters (422), and answers a failing call with its error', async () => {
    const { client, sessionId } = await setup();
    await client.tools.register(sessionId, getWeather);
    const invalid = await client.tools
      .execute(sessionId, 'get_weather', { arguments: { city: 'Melbourne' } })
      .catch((error: unknown) => error);
    expect(isAPIError(invalid) && [invalid.status, invalid.code]).toEqual([422, 'VALIDATION_ERROR']);
    await client.tools.register(sessionId, {
      name: 'broken',
      function_code: 'async function broken() { throw new Error("no forecast today"); }',
    });
    const failed = await client.tools.execute(sessionId, 'broken');
    expect(failed).toMatchObject({
      tool_name: 'broken',
      result: null,
      error: { kind: 'runtime', message: expect.stringContaining('no forecast today') },
    });
  });

  it('refuses the seed’s Python, saying the code must be JavaScript', async () => {
    const { client, sessionId } = await setup();
    const error = await client.tools
      .register(sessionId, { ...getWeather, function_code: 'async def get_weather(location: str): ...' })
      .catch((caught: unknown) => caught);
    expect(isAPIError(error) && [error.status, error.code]).toEqual([422, 'VALIDATION_ERROR']);
    expect((error as Error).message).toContain('function_code must be JavaScript');
  });
});

describe('client.handlers', () => {
  it('runs a command through its handler: wait resolves it completed with the handler’s return value', async () => {
    const { client, sessionId } = await setup();
    const registered = await client.handlers.registerCommand(sessionId, {
      command_type: 'Greet',
      handler_function: `async function greet(command) {
        return { greeting: 'Hello, ' + command.parameters.name, type: command.command_type };
      }`,
    });
    expect(registered).toMatchObject({ session_id: sessionId, command_type: 'Greet' });
    const done = await client.commands.run(sessionId, { command_type: 'Greet', parameters: { name: 'Ada' } });
    expect(done).toMatchObject({ status: 'completed', result: { greeting: 'Hello, Ada', type: 'Greet' } });
  });

  it('resolves a command whose handler throws as failed, with COMMAND_EXECUTION_FAILED', async () => {
    const { client, sessionId } = await setup();
    await client.handlers.registerCommand(sessionId, {
      command_type: 'Explode',
      handler_function: 'async function explode() { throw new Error("the handler broke"); }',
    });
    const done = await client.commands.run(sessionId, { command_type: 'Explode' });
    expect(done).toMatchObject({
      status: 'failed',
      result: null,
      error: { code: 'COMMAND_EXECUTION_FAILED', message: expect.stringContaining('the handler broke') },
    });
  });

  it('resolves a command that outlives its metadata.timeout as timeout, with COMMAND_TIMEOUT', async () => {
    const { client, sessionId } = await setup();
    await client.handlers.registerCommand(sessionId, {
      command_type: 'Spin',
      handler_function: 'function spin() { for (;;) {} }',
    });
    const done = await client.commands.run(sessionId, { command_type: 'Spin', metadata: { timeout: 1 } });
    expect(done).toMatchObject({
      status: 'timeout',
      error: { code: 'COMMAND_TIMEOUT', message: 'The command did not finish within its timeout of 1 s' },
    });
  });

  it('runs an event handler on its events; what it emits reaches the stream', async () => {
    const { client, sessionId } = await setup();
    await client.handlers.registerEvent(sessionId, {
      event_type: 'OrderPlaced',
      handler_function: `async function onOrderPlaced(event) {
        log('info', 'order placed', { order: event.data.order });
        await emit('OrderConfirmed', { order: event.data.order, from: event.event_id });
      }`,
    });
    const stream = client.events.stream(sessionId);
    onTestFinished(() => stream.close());
    await stream.ready;
    const placed = await client.events.publish(sessionId, { event_type: 'OrderPlaced', data: { order: 42 } });
    const seen: SessionStreamEvent[] = [];
    for await (const event of stream) {
      seen.push(event);
      if (seen.length === 2) break;
    }
    expect(seen.map((event) => [event.event_type, event.data])).toEqual([
      ['OrderPlaced', { order: 42 }],
      ['OrderConfirmed', { order: 42, from: placed.event_id }],
    ]);
  });

  it('lists and unregisters handlers; a command type without one is refused', async () => {
    const { client, sessionId } = await setup();
    await client.handlers.registerCommand(sessionId, {
      command_type: 'Greet',
      handler_function: 'async function greet() { return 1; }',
    });
    await client.handlers.registerEvent(sessionId, {
      event_type: 'Greeted',
      handler_function: 'async function onGreeted() {}',
    });
    const listed = await client.handlers.list(sessionId);
    expect([listed.commands.map((h) => h.command_type), listed.events.map((h) => h.event_type)]).toEqual([
      ['Greet'],
      ['Greeted'],
    ]);
    expect(await client.handlers.unregisterCommand(sessionId, 'Greet')).toEqual({
      command_type: 'Greet',
      deleted: true,
    });
    expect(await client.handlers.unregisterEvent(sessionId, 'Greeted')).toEqual({
      event_type: 'Greeted',
      deleted: true,
    });
    expect(await client.handlers.list(sessionId)).toEqual({ commands: [], events: [] });
    const refused = await client.commands
      .create(sessionId, { command_type: 'Greet' })
      .catch((e: unknown) => e);
    expect(isNotFoundError(refused) && refused.code).toBe('HANDLER_NOT_FOUND');
  });
});
