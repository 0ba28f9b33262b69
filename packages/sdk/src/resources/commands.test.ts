import type { Command } from '@cartrita/contracts';
import { createStore, mockRoute } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import { isAPIError, isAPITimeoutError, isAPIUserAbortError, isNotFoundError } from '../core/errors.js';

const baseURL = 'http://llmgine.test';
const apiKey = 'test-key-commands-0123456789';
const store = createStore({ baseURL, apiKeys: [apiKey] });
const mock = setupCartritaServer({ store });

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => mock.close());

const setup = async () => {
  const client = new CartritaClient({ baseURL, apiKey });
  const { session_id } = await client.sessions.create({ name: 'commands' });
  return { client, sessionId: session_id };
};

const dummy = (prompt: string, metadata: Record<string, unknown> = {}) => ({
  command_type: 'DummyEngineCommand',
  parameters: { prompt },
  metadata,
});

/** A command of the contract in `status`, for the mocked `GET .../commands/{command_id}`. */
const commandIn = (status: Command['status'], extra: Partial<Command> = {}): Command => ({
  command_id: 'cmd_scripted',
  session_id: 'sess_scripted',
  command_type: 'Scripted',
  parameters: {},
  metadata: { priority: 'normal', timeout: 30 },
  status,
  result: null,
  error: null,
  created_at: '2026-01-01T00:00:00.000Z',
  started_at: status === 'queued' ? null : '2026-01-01T00:00:01.000Z',
  completed_at: null,
  ...extra,
});

/** Answers `GET .../commands/{command_id}` with each of `commands` in turn, the last one for good. */
const scriptPolls = (...commands: Command[]) => {
  let polls = 0;
  mock.use(
    mockRoute('sessions.commands.get', ({ json }) => json(commands[Math.min(polls++, commands.length - 1)]), {
      store,
    }),
  );
  return { polls: () => polls };
};

describe('client.commands', () => {
  it('create() answers at once and wait() resolves the completed command with its result', async () => {
    const { client, sessionId } = await setup();
    const queued = await client.commands.create(
      sessionId,
      dummy('Hello, world!', { priority: 'high', timeout: 30 }),
    );
    expect(queued).toMatchObject({
      session_id: sessionId,
      command_type: 'DummyEngineCommand',
      parameters: { prompt: 'Hello, world!' },
      metadata: { priority: 'high', timeout: 30 },
      result: null,
      error: null,
    });
    expect(['queued', 'executing']).toContain(queued.status);
    const done = await client.commands.wait(sessionId, queued.command_id);
    expect(done).toMatchObject({
      command_id: queued.command_id,
      status: 'completed',
      result: { response: 'Processed: Hello, world!' },
      error: null,
    });
    expect(await client.commands.get(sessionId, queued.command_id)).toEqual(done);
  });

  it('run() queues a command and resolves it finished, with the server’s default priority and timeout', async () => {
    const { client, sessionId } = await setup();
    const done = await client.sessions.commands.run(sessionId, dummy('Run me'));
    expect(done).toMatchObject({
      status: 'completed',
      result: { response: 'Processed: Run me' },
      metadata: { priority: 'normal', timeout: 30 },
    });
  });

  it('batch() answers the commands in the order sent, and runs them in that order', async () => {
    const { client, sessionId } = await setup();
    const prompts = ['First command', 'Second command', 'Third command'];
    const { commands } = await client.commands.batch(sessionId, { commands: prompts.map((p) => dummy(p)) });
    expect(commands.map((command) => command.parameters.prompt)).toEqual(prompts);
    const done = await Promise.all(commands.map((c) => client.commands.wait(sessionId, c.command_id)));
    expect(done.map((command) => command.result)).toEqual(
      prompts.map((p) => ({ response: `Processed: ${p}` })),
    );
    const { events } = await client.events.list(sessionId, { event_type: 'DummyEngineStatusUpdate' });
    expect(events.map((event) => [event.data.command_id, event.data.status])).toEqual(
      commands.flatMap((command) => [
        [command.command_id, 'processing'],
        [command.command_id, 'completed'],
      ]),
    );
  });

  it('runs a batch by priority: every high before any normal, then low', async () => {
    const { client, sessionId } = await setup();
    const { commands } = await client.commands.batch(sessionId, {
      commands: [
        dummy('low', { priority: 'low' }),
        dummy('normal', { priority: 'normal' }),
        dummy('high', { priority: 'high' }),
      ],
    });
    await Promise.all(commands.map((c) => client.commands.wait(sessionId, c.command_id)));
    const { events } = await client.events.list(sessionId, { event_type: 'DummyEngineStatusUpdate' });
    const started = events
      .filter((event) => event.data.status === 'processing')
      .map((e) => e.data.command_id);
    expect(started).toEqual([commands[2], commands[1], commands[0]].map((command) => command?.command_id));
  });

  it('cancel() answers a finished command as it is', async () => {
    const { client, sessionId } = await setup();
    const done = await client.commands.run(sessionId, dummy('Already done'));
    expect(await client.commands.cancel(sessionId, done.command_id)).toEqual(done);
  });

  it('rejects with the envelope’s codes: an unknown type, invalid parameters, an unknown command', async () => {
    const { client, sessionId } = await setup();
    const unknownType = await client.commands
      .create(sessionId, { command_type: 'NoSuchCommand', parameters: {} })
      .catch((error: unknown) => error);
    expect(isNotFoundError(unknownType) && unknownType.code).toBe('HANDLER_NOT_FOUND');
    const invalid = await client.commands
      .create(sessionId, { command_type: 'DummyEngineCommand', parameters: {} })
      .catch((error: unknown) => error);
    expect(isAPIError(invalid) && [invalid.status, invalid.code]).toEqual([422, 'VALIDATION_ERROR']);
    const unknownCommand = await client.commands
      .wait(sessionId, 'cmd_missing')
      .catch((error: unknown) => error);
    expect(isNotFoundError(unknownCommand) && unknownCommand.code).toBe('NOT_FOUND');
  });
});

describe('client.commands.wait', () => {
  it('polls until the command finishes, and resolves it failed with its error', async () => {
    const error = { code: 'COMMAND_EXECUTION_FAILED', message: 'The handler failed (runtime): boom' };
    const script = scriptPolls(
      commandIn('queued'),
      commandIn('executing'),
      commandIn('executing'),
      commandIn('failed', { error, completed_at: '2026-01-01T00:00:02.000Z' }),
    );
    const client = new CartritaClient({ baseURL, apiKey });
    const done = await client.commands.wait('sess_scripted', 'cmd_scripted', { pollIntervalMs: 1 });
    expect(done).toMatchObject({ status: 'failed', error, result: null });
    expect(script.polls()).toBe(4);
  });

  it.each([
    ['timeout', { code: 'COMMAND_TIMEOUT', message: 'The command did not finish within its timeout of 1 s' }],
    ['cancelled', { code: 'COMMAND_CANCELLED', message: 'The command was cancelled' }],
  ] as const)('resolves a command that ended %s', async (status, error) => {
    scriptPolls(commandIn('executing'), commandIn(status, { error }));
    const client = new CartritaClient({ baseURL, apiKey });
    const done = await client.commands.wait('sess_scripted', 'cmd_scripted', { pollIntervalMs: 1 });
    expect(done).toMatchObject({ status, error });
  });

  it('rejects with APITimeoutError after timeoutMs, and polls no more', async () => {
    const script = scriptPolls(commandIn('executing'));
    const client = new CartritaClient({ baseURL, apiKey });
    const error = await client.commands
      .wait('sess_scripted', 'cmd_scripted', { pollIntervalMs: 1, maxPollIntervalMs: 2, timeoutMs: 30 })
      .catch((caught: unknown) => caught);
    expect(isAPITimeoutError(error) && [error.kind, error.timeoutMs, error.message]).toEqual([
      'total',
      30,
      'Timed out after 30 ms before the call completed: GET /api/sessions/sess_scripted/commands/cmd_scripted',
    ]);
    const polls = script.polls();
    expect(polls).toBeGreaterThan(1);
    await client.system.health();
    expect(script.polls()).toBe(polls);
  });

  it('rejects with APIUserAbortError when its signal aborts', async () => {
    const script = scriptPolls(commandIn('executing'));
    const client = new CartritaClient({ baseURL, apiKey });
    const controller = new AbortController();
    const waiting = client.commands.wait('sess_scripted', 'cmd_scripted', {
      pollIntervalMs: 1,
      signal: controller.signal,
    });
    while (script.polls() < 2) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort();
    await expect(waiting).rejects.toSatisfy(isAPIUserAbortError);
  });

  it('refuses poll intervals that are not positive numbers', async () => {
    const client = new CartritaClient({ baseURL, apiKey });
    await expect(client.commands.wait('sess_1', 'cmd_1', { pollIntervalMs: 0 })).rejects.toThrow(
      new TypeError('pollIntervalMs must be a positive number of milliseconds, got 0'),
    );
    await expect(client.commands.wait('sess_1', 'cmd_1', { maxPollIntervalMs: Number.NaN })).rejects.toThrow(
      new TypeError('maxPollIntervalMs must be a positive number of milliseconds, got NaN'),
    );
  });
});
