/**
 * @module Contract cases of LLMGine (seed 001): sessions, commands, events, engines and the system
 * routes, run alike on the mocks and the server. Commands run in the background: a case waits for
 * one to finish with requests it does not record (their number depends on timing), then records
 * the command as it ended.
 */
import {
  Command,
  CommandBatch,
  CommandHandler,
  CommandHandlerDeleted,
  Engine,
  EngineExecution,
  EngineList,
  EventHandler,
  EventList,
  HandlerList,
  Session,
  SessionCreated,
  SessionDeleted,
  SessionEvent,
  StatusResponse,
  Tool,
  ToolDeleted,
  ToolExecution,
  ToolList,
} from '@cartrita/contracts';
import { expect } from 'vitest';
import type { ContractCase, ContractTarget } from './cases.js';
import { readError, readJson, type Schema } from './wire.js';

/** The LLMGine API of one new user of a target. */
const llmgine = (target: ContractTarget) => {
  const headers = target.apiHeaders();
  const send = (method: string, path: string, body?: unknown, compare?: 'status' | 'body') =>
    target.fetch(
      `${target.baseURL}${path}`,
      {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      },
      compare === undefined ? {} : { compare },
    );
  const json = async <T>(schema: Schema<T>, method: string, path: string, body?: unknown, status = 200) =>
    readJson(await send(method, path, body), schema, `${target.name} ${method} ${path}`, status, 'allowed');
  return {
    send,
    json,
    session: async (body: unknown = { name: 'contract' }) =>
      (await json(SessionCreated, 'POST', '/api/sessions', body, 201)).session_id,
    /** Waits, without recording, until a command has finished; then records it once. */
    async finished(sessionId: string, commandId: string) {
      const path = `/api/sessions/${sessionId}/commands/${commandId}`;
      for (let attempt = 0; attempt < 500; attempt++) {
        const response = await fetch(`${target.baseURL}${path}`, { headers });
        const { status } = (await response.json()) as { status: string };
        if (status !== 'queued' && status !== 'executing') break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return json(Command, 'GET', path);
    },
    /** Waits, without recording, until a session holds `count` events of a type; then records them. */
    async events(sessionId: string, eventType: string, count: number) {
      const path = `/api/sessions/${sessionId}/events?event_type=${eventType}`;
      for (let attempt = 0; attempt < 500; attempt++) {
        const response = await fetch(`${target.baseURL}${path}`, { headers });
        const { total } = (await response.json()) as { total: number };
        if (total >= count) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return json(EventList, 'GET', path);
    },
  };
};

const dummy = (prompt: string, metadata: Record<string, unknown> = {}) => ({
  command_type: 'DummyEngineCommand',
  parameters: { prompt },
  metadata,
});

/** The cases of seed 001, in the order they run. */
export const llmgineContractCases: readonly ContractCase[] = [
  {
    name: 'a session is created with its name and metadata, shows what it holds, and is deleted with it',
    async run(target) {
      const api = llmgine(target);
      const created = await api.json(
        SessionCreated,
        'POST',
        '/api/sessions',
        {
          name: 'optional-session-name',
          metadata: { user_id: 'user123', project: 'my-project' },
        },
        201,
      );
      expect(created.status).toBe('active');
      const bare = await api.json(SessionCreated, 'POST', '/api/sessions', undefined, 201);
      expect([bare.name, bare.metadata]).toEqual([null, {}]);
      const id = created.session_id;
      const session = await api.json(Session, 'GET', `/api/sessions/${id}`);
      expect(session).toMatchObject({ name: 'optional-session-name', expires_at: null, status: 'active' });
      await api.json(SessionDeleted, 'DELETE', `/api/sessions/${id}`);
      await readError(await api.send('GET', `/api/sessions/${id}`), 404, 'SESSION_NOT_FOUND', target.name);
      await readError(await api.send('DELETE', `/api/sessions/${id}`), 404, 'SESSION_NOT_FOUND', target.name);
      await readError(
        await api.send('POST', '/api/sessions', { name: '' }),
        422,
        'VALIDATION_ERROR',
        target.name,
      );
    },
  },
  {
    name: 'a DummyEngineCommand answers as executing and ends completed, reporting its status as events',
    async run(target) {
      const api = llmgine(target);
      const id = await api.session();
      const command = await api.json(
        Command,
        'POST',
        `/api/sessions/${id}/commands`,
        dummy('Hello, world!', { priority: 'high', timeout: 30 }),
        202,
      );
      expect([command.status, command.result, command.error]).toEqual(['executing', null, null]);
      const done = await api.finished(id, command.command_id);
      expect(done).toMatchObject({ status: 'completed', result: { response: 'Processed: Hello, world!' } });
      const events = await api.json(
        EventList,
        'GET',
        `/api/sessions/${id}/events?event_type=DummyEngineStatusUpdate`,
      );
      expect(events.events.map((event) => event.data.status)).toEqual(['processing', 'completed']);
      const session = await api.json(Session, 'GET', `/api/sessions/${id}`);
      expect(session.counts).toEqual({
        commands: 1,
        queued: 0,
        executing: 0,
        events: 2,
        engines: 0,
        tools: 0,
        handlers: 0,
      });
    },
  },
  {
    name: 'a batch is answered in the order sent and runs by priority',
    async run(target) {
      const api = llmgine(target);
      const id = await api.session();
      const batch = await api.json(
        CommandBatch,
        'POST',
        `/api/sessions/${id}/commands/batch`,
        {
          commands: [
            dummy('first', { priority: 'low' }),
            dummy('second'),
            dummy('third', { priority: 'high' }),
          ],
        },
        202,
      );
      expect(batch.commands.map((command) => [command.parameters.prompt, command.status])).toEqual([
        ['first', 'queued'],
        ['second', 'queued'],
        ['third', 'executing'],
      ]);
      for (const command of batch.commands) await api.finished(id, command.command_id);
      const events = await api.json(EventList, 'GET', `/api/sessions/${id}/events?limit=10`);
      const prompts = new Map(
        batch.commands.map((command) => [command.command_id, command.parameters.prompt]),
      );
      expect(
        events.events
          .filter((event) => event.data.status === 'processing')
          .map((event) => prompts.get(event.data.command_id as string)),
      ).toEqual(['third', 'second', 'first']);
    },
  },
  {
    name: 'commands are refused for unknown types, bad parameters and absent sessions, and cancel answers a finished one as it is',
    async run(target) {
      const api = llmgine(target);
      const id = await api.session();
      await readError(
        await api.send('POST', `/api/sessions/${id}/commands`, { command_type: 'NoSuchCommand' }),
        404,
        'HANDLER_NOT_FOUND',
        target.name,
      );
      await readError(
        await api.send('POST', `/api/sessions/${id}/commands`, {
          command_type: 'DummyEngineCommand',
          parameters: {},
        }),
        422,
        'VALIDATION_ERROR',
        target.name,
      );
      await readError(
        await api.send('POST', `/api/sessions/${id}/commands`, dummy('x', { priority: 'urgent' })),
        422,
        'VALIDATION_ERROR',
        target.name,
      );
      await readError(
        await api.send('POST', `/api/sessions/${id}/commands/batch`, {
          commands: [dummy('fine'), { command_type: 'NoSuchCommand' }],
        }),
        404,
        'HANDLER_NOT_FOUND',
        target.name,
      );
      await readError(
        await api.send('POST', '/api/sessions/sess_absent/commands', dummy('x')),
        404,
        'SESSION_NOT_FOUND',
        target.name,
      );
      const command = await api.json(
        Command,
        'POST',
        `/api/sessions/${id}/commands`,
        dummy('done soon'),
        202,
      );
      const done = await api.finished(id, command.command_id);
      expect(
        await api.json(Command, 'POST', `/api/sessions/${id}/commands/${command.command_id}/cancel`),
      ).toEqual(done);
      await readError(
        await api.send('GET', `/api/sessions/${id}/commands/cmd_absent`),
        404,
        'NOT_FOUND',
        target.name,
      );
    },
  },
  {
    name: 'events are published, paged oldest first, filtered by type and read one by one',
    async run(target) {
      const api = llmgine(target);
      const id = await api.session();
      const published = [];
      for (const [index, type] of ['StatusUpdate', 'Other', 'StatusUpdate'].entries()) {
        published.push(
          await api.json(
            SessionEvent,
            'POST',
            `/api/sessions/${id}/events`,
            {
              event_type: type,
              data: { status: 'processing', index },
              metadata: { source: 'engine', priority: 'normal' },
            },
            201,
          ),
        );
      }
      const page = await api.json(EventList, 'GET', `/api/sessions/${id}/events?limit=2&offset=1`);
      expect([page.total, page.events.map((event) => event.event_id)]).toEqual([
        3,
        [published[1]?.event_id, published[2]?.event_id],
      ]);
      const typed = await api.json(EventList, 'GET', `/api/sessions/${id}/events?event_type=StatusUpdate`);
      expect(typed.total).toBe(2);
      expect(
        await api.json(SessionEvent, 'GET', `/api/sessions/${id}/events/${published[0]?.event_id}`),
      ).toEqual(published[0]);
      await readError(
        await api.send('GET', `/api/sessions/${id}/events/evt_absent`),
        404,
        'NOT_FOUND',
        target.name,
      );
      await readError(
        await api.send('GET', `/api/sessions/${id}/events?limit=0`),
        422,
        'VALIDATION_ERROR',
        target.name,
      );
      await readError(
        await api.send('POST', `/api/sessions/${id}/events`, { event_type: 'has spaces' }),
        422,
        'VALIDATION_ERROR',
        target.name,
      );
      const stream = await api.send('GET', `/api/sessions/${id}/events/stream`);
      expect(stream.status).toBe(426);
      await stream.body?.cancel();
    },
  },
  {
    name: 'a DummyEngine runs prompts and counts its use; a provider engine without a key answers 503',
    async run(target) {
      const api = llmgine(target);
      const id = await api.session();
      const engine = await api.json(
        Engine,
        'POST',
        '/api/engines',
        {
          engine_type: 'DummyEngine',
          model_name: 'gpt-4',
          session_id: id,
          configuration: { temperature: 0.7, max_tokens: 1000 },
        },
        201,
      );
      expect([engine.status, engine.model_name, engine.last_used_at]).toEqual(['initialized', 'gpt-4', null]);
      const run = await api.json(EngineExecution, 'POST', `/api/engines/${engine.engine_id}/execute`, {
        prompt: 'Hello, world!',
        parameters: { temperature: 0.7 },
      });
      expect(run).toMatchObject({
        response: 'Processed: Hello, world!',
        model: 'gpt-4',
        usage: { input_tokens: 2, output_tokens: 3 },
      });
      const used = await api.json(Engine, 'GET', `/api/engines/${engine.engine_id}`);
      expect([used.status, used.usage]).toEqual([
        'active',
        { executions: 1, input_tokens: 2, output_tokens: 3 },
      ]);
      const listed = await api.json(EngineList, 'GET', `/api/engines?session_id=${id}&status=active`);
      expect(listed.engines.map((each) => each.engine_id)).toEqual([engine.engine_id]);
      const openai = await api.json(
        Engine,
        'POST',
        '/api/engines',
        { engine_type: 'openai', session_id: id },
        201,
      );
      await readError(
        await api.send('POST', `/api/engines/${openai.engine_id}/execute`, { prompt: 'hi' }),
        503,
        'PROVIDER_NOT_CONFIGURED',
        target.name,
      );
      expect((await api.json(Engine, 'GET', `/api/engines/${openai.engine_id}`)).status).toBe('error');
      await readError(
        await api.send('POST', '/api/engines', { engine_type: 'NoSuchEngine', session_id: id }),
        422,
        'VALIDATION_ERROR',
        target.name,
      );
      await readError(
        await api.send('POST', '/api/engines', { engine_type: 'DummyEngine', session_id: 'sess_absent' }),
        404,
        'SESSION_NOT_FOUND',
        target.name,
      );
      await api.json(Engine, 'GET', `/api/engines/${engine.engine_id}`);
      expect(await (await api.send('DELETE', `/api/engines/${engine.engine_id}`)).json()).toEqual({
        engine_id: engine.engine_id,
        deleted: true,
      });
      await readError(
        await api.send('GET', `/api/engines/${engine.engine_id}`),
        404,
        'ENGINE_NOT_FOUND',
        target.name,
      );
    },
  },
  {
    name: 'a JavaScript tool is registered, listed, called with checked arguments, and unregistered; Python is refused',
    async run(target) {
      const api = llmgine(target);
      const id = await api.session();
      const weather = {
        name: 'get_weather',
        description: 'Get weather information for a location',
        parameters: { location: { type: 'string', description: 'City name' } },
        function_code: `async function get_weather({ location }) {
          return { location, forecast: location.length > 5 ? 'sunny' : 'rain' };
        }`,
      };
      const tool = await api.json(Tool, 'POST', `/api/sessions/${id}/tools`, weather, 201);
      expect(tool).toMatchObject({ name: 'get_weather', parameters: weather.parameters });
      await readError(
        await api.send('POST', `/api/sessions/${id}/tools`, weather),
        409,
        'CONFLICT',
        target.name,
      );
      const listed = await api.json(ToolList, 'GET', `/api/sessions/${id}/tools`);
      expect(listed.tools.map((each) => each.name)).toEqual(['get_weather']);
      const call = await api.json(ToolExecution, 'POST', `/api/sessions/${id}/tools/get_weather/execute`, {
        arguments: { location: 'Melbourne' },
      });
      expect([call.result, call.error]).toEqual([{ location: 'Melbourne', forecast: 'sunny' }, null]);
      for (const body of [
        { arguments: {} },
        { arguments: { location: 3 } },
        { arguments: { city: 'Oslo' } },
      ]) {
        await readError(
          await api.send('POST', `/api/sessions/${id}/tools/get_weather/execute`, body),
          422,
          'VALIDATION_ERROR',
          target.name,
        );
      }
      await api.json(
        Tool,
        'POST',
        `/api/sessions/${id}/tools`,
        {
          name: 'broken',
          function_code: '() => { throw new TypeError("no forecast today"); }',
        },
        201,
      );
      const failed = await api.json(ToolExecution, 'POST', `/api/sessions/${id}/tools/broken/execute`, {});
      expect([failed.result, failed.error]).toEqual([
        null,
        { kind: 'runtime', message: 'TypeError: no forecast today' },
      ]);
      const python = await readError(
        await api.send('POST', `/api/sessions/${id}/tools`, {
          ...weather,
          name: 'get_weather_py',
          function_code: 'async def get_weather(location: str): ...',
        }),
        422,
        'VALIDATION_ERROR',
        target.name,
      );
      expect(python.error.message).toContain('function_code must be JavaScript');
      await api.json(ToolDeleted, 'DELETE', `/api/sessions/${id}/tools/get_weather`);
      await readError(
        await api.send('POST', `/api/sessions/${id}/tools/get_weather/execute`, { arguments: {} }),
        404,
        'TOOL_NOT_FOUND',
        target.name,
      );
    },
  },
  {
    name: 'handlers run commands of their type and the events they wait for; what they emit is stored',
    async run(target) {
      const api = llmgine(target);
      const id = await api.session();
      const handler = await api.json(
        CommandHandler,
        'POST',
        `/api/sessions/${id}/handlers/commands`,
        {
          command_type: 'PlaceOrder',
          handler_function: `async function placeOrder(command) {
            await emit('OrderPlaced', { order: command.parameters.order });
            return { placed: command.parameters.order };
          }`,
        },
        201,
      );
      expect(handler).toMatchObject({ session_id: id, command_type: 'PlaceOrder' });
      await api.json(
        EventHandler,
        'POST',
        `/api/sessions/${id}/handlers/events`,
        {
          event_type: 'OrderPlaced',
          handler_function: `async function onOrderPlaced(event) {
            await emit('OrderConfirmed', { order: event.data.order, after: event.event_type });
          }`,
        },
        201,
      );
      await api.json(
        CommandHandler,
        'POST',
        `/api/sessions/${id}/handlers/commands`,
        { command_type: 'Fail', handler_function: '() => { throw new Error("the handler broke"); }' },
        201,
      );
      const listed = await api.json(HandlerList, 'GET', `/api/sessions/${id}/handlers`);
      expect([listed.commands.map((h) => h.command_type), listed.events.map((h) => h.event_type)]).toEqual([
        ['Fail', 'PlaceOrder'],
        ['OrderPlaced'],
      ]);
      const placed = await api.json(
        Command,
        'POST',
        `/api/sessions/${id}/commands`,
        { command_type: 'PlaceOrder', parameters: { order: 42 } },
        202,
      );
      const done = await api.finished(id, placed.command_id);
      expect([done.status, done.result]).toEqual(['completed', { placed: 42 }]);
      const confirmed = await api.events(id, 'OrderConfirmed', 1);
      expect(confirmed.events.map((event) => event.data)).toEqual([{ order: 42, after: 'OrderPlaced' }]);
      const failing = await api.json(
        Command,
        'POST',
        `/api/sessions/${id}/commands`,
        { command_type: 'Fail' },
        202,
      );
      const failed = await api.finished(id, failing.command_id);
      expect([failed.status, failed.error?.code]).toEqual(['failed', 'COMMAND_EXECUTION_FAILED']);
      expect(failed.error?.message).toContain('the handler broke');
      await readError(
        await api.send('POST', `/api/sessions/${id}/handlers/commands`, {
          command_type: 'Py',
          handler_function: 'async def handle_command(command): ...',
        }),
        422,
        'VALIDATION_ERROR',
        target.name,
      );
      await api.json(CommandHandlerDeleted, 'DELETE', `/api/sessions/${id}/handlers/commands/PlaceOrder`);
      await readError(
        await api.send('POST', `/api/sessions/${id}/commands`, { command_type: 'PlaceOrder' }),
        404,
        'HANDLER_NOT_FOUND',
        target.name,
      );
    },
  },
  {
    name: 'the status and configuration answer to the API key, and not to a client secret',
    async run(target) {
      const api = llmgine(target);
      const status = await api.send('GET', '/api/status', undefined, 'status');
      expect(status.status).toBe(200);
      await readJson(status, StatusResponse, `${target.name} GET /api/status`);
      const config = await api.send('GET', '/api/config', undefined, 'status');
      expect(config.status).toBe(200);
      expect(JSON.stringify(await config.json())).not.toMatch(/contract-admin-0123|contract-observer-0123/);
      const secret = await target.createSecret();
      for (const path of ['/api/status', '/api/config']) {
        await readError(
          await target.fetch(`${target.baseURL}${path}`, { headers: { authorization: `Bearer ${secret}` } }),
          403,
          'FORBIDDEN',
          target.name,
        );
      }
    },
  },
];
