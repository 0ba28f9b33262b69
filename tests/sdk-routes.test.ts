import { fillPath, type RouteId, routes, routesById } from '@cartrita/contracts';
import {
  CartritaClient,
  type ChatCreateParams,
  ChatKitAttachments,
  ChatKitInput,
  ChatKitItems,
  type ChatKitParams,
  type ChatKitRequestParams,
  ChatKitThreads,
  type ChatStreamEvent,
  type CommandCreateParams,
  type CommandWaitResult,
  type EngineExecuteResult,
  type EventListParams,
  type HealthCheckResult,
  isNotFoundError,
  type RealtimeChatOptions,
  routeMethods,
  type SessionStreamEvent,
  type StudioChatCreateResult,
} from '@cartrita/sdk';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';

// Every SDK method is called against a fetch that records what it was sent and answers 404, and the
// request is compared with the method's route in the table: HTTP method, path, query and body.

const baseURL = 'http://cartrita.test';

/** One request as the server would see it. */
interface Sent {
  method: string;
  url: URL;
  contentType: string | null;
  body: string;
}

/** A client whose every request is recorded, then answered with a 404 (so nothing is retried). */
const recordingClient = () => {
  const sent: Sent[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push({
      method: request.method,
      url: new URL(request.url),
      contentType: request.headers.get('content-type'),
      body: await request.text(),
    });
    const error = { code: 'NOT_FOUND', type: 'NotFoundError', message: 'Recorded', details: {} };
    return Response.json(
      { error, timestamp: '2026-01-01T00:00:00.000Z', request_id: 'req_test' },
      { status: 404 },
    );
  };
  const client = new CartritaClient({ baseURL, clientSecret: 'cks_test', fetch, maxRetries: 0 });
  return { client, sent };
};

/** A `WebSocket` that records the URL it was opened with and never connects. */
const recordingSocket = () => {
  const urls: string[] = [];
  let opened!: () => void;
  const whenOpened = new Promise<void>((resolve) => {
    opened = resolve;
  });
  class RecordingSocket {
    readyState = 0;
    onopen = null;
    onmessage = null;
    onclose = null;
    onerror = null;
    constructor(url: string) {
      urls.push(url);
      opened();
    }
    send() {}
    close() {
      this.readyState = 3;
    }
  }
  return { urls, whenOpened, WebSocket: RecordingSocket as unknown as RealtimeChatOptions['WebSocket'] };
};

const blob = () => new Blob(['hello'], { type: 'text/plain' });
const signed = (attachmentId: string, action: 'upload' | 'preview') =>
  `${baseURL}/chatkit/attachments/${attachmentId}/${action}?expires=1900000000&sig=abc`;

/** What each route's method is called with, and the path parameters it should fill in. */
const calls: Record<RouteId, { args: unknown[]; params?: Record<string, string> }> = {
  'health.get': { args: [] },
  'system.health': { args: [] },
  'chatkit.session.create': { args: [{ ttl_seconds: 600 }] },
  'chatkit.request': { args: [{ type: 'threads.list', params: { limit: 5 } }] },
  'chatkit.attachments.upload': { args: [blob(), 'hello.txt'] },
  'chatkit.attachments.upload_bytes': {
    args: [
      {
        id: 'atc_1',
        type: 'file',
        name: 'hello.txt',
        mime_type: 'text/plain',
        upload_descriptor: { url: signed('atc_1', 'upload'), method: 'POST', headers: {} },
      },
      blob(),
    ],
    params: { attachment_id: 'atc_1' },
  },
  'chatkit.attachments.preview': {
    args: [{ id: 'atc_2', preview_url: signed('atc_2', 'preview') }],
    params: { attachment_id: 'atc_2' },
  },
  'chat.create': { args: [{ message: 'Hello', conversation_id: 'thr_1' }] },
  'chat.stream': { args: [{ message: 'Hello' }] },
  'chat.stream_get': { args: [{ message: 'Hello', conversation_id: 'thr_1' }] },
  'chat.responses.cancel': { args: ['resp_1'], params: { response_id: 'resp_1' } },
  'studio.chat.create': { args: [{ message: 'Hello', context: ['atc_1'] }] },
  'studio.chat.stream': { args: [{ message: 'Hello', session_id: 'thr_1' }] },
  'chat.realtime': { args: [] },
  'observability.logs.list': { args: [{ level: 'warn', session_id: 'sess_1', limit: 5 }] },
  'observability.logs.create': {
    args: [{ level: 'info', message: 'User action completed', metadata: { user_id: 'user123' } }],
  },
  'observability.metrics.get': { args: [{ session_id: 'sess_1' }] },
  'observability.traces.get': {
    args: ['0af7651916cd43dd8448eb211c80319c'],
    params: { trace_id: '0af7651916cd43dd8448eb211c80319c' },
  },
  'observability.prometheus': { args: [] },
  'system.status': { args: [] },
  'system.config': { args: [] },
  'system.shutdown': { args: [{ deadline_seconds: 5 }] },
  'sessions.create': { args: [{ name: 'demo', metadata: { user_id: 'user123' } }] },
  'sessions.get': { args: ['sess_1'], params: { session_id: 'sess_1' } },
  'sessions.delete': { args: ['sess_1'], params: { session_id: 'sess_1' } },
  'sessions.commands.create': {
    args: [
      'sess_1',
      {
        command_type: 'DummyEngineCommand',
        parameters: { prompt: 'Hello' },
        metadata: { priority: 'high', timeout: 30 },
      },
    ],
    params: { session_id: 'sess_1' },
  },
  'sessions.commands.batch': {
    args: [
      'sess_1',
      {
        commands: [
          { command_type: 'DummyEngineCommand', parameters: { prompt: 'First' } },
          { command_type: 'DummyEngineCommand', parameters: { prompt: 'Second' } },
        ],
      },
    ],
    params: { session_id: 'sess_1' },
  },
  'sessions.commands.get': {
    args: ['sess_1', 'cmd_1'],
    params: { session_id: 'sess_1', command_id: 'cmd_1' },
  },
  'sessions.commands.cancel': {
    args: ['sess_1', 'cmd_1'],
    params: { session_id: 'sess_1', command_id: 'cmd_1' },
  },
  'sessions.events.create': {
    args: ['sess_1', { event_type: 'DummyEngineStatusUpdate', data: { status: 'processing' } }],
    params: { session_id: 'sess_1' },
  },
  'sessions.events.list': {
    args: ['sess_1', { limit: 50, offset: 0, event_type: 'StatusUpdate' }],
    params: { session_id: 'sess_1' },
  },
  'sessions.events.stream': { args: ['sess_1'], params: { session_id: 'sess_1' } },
  'studio.socket': { args: ['dashboard-1'], params: { client_id: 'dashboard-1' } },
  'conversations.create': { args: [{ title: 'Trip', persona_id: 'per_1' }] },
  'conversations.by_persona': { args: ['per_1'], params: { persona_id: 'per_1' } },
  'conversations.get': { args: ['thr_1'], params: { id: 'thr_1' } },
  'conversations.update': { args: ['thr_1', { title: 'Renamed' }], params: { id: 'thr_1' } },
  'conversations.delete': { args: ['thr_1'], params: { id: 'thr_1' } },
  'conversations.memories.delete': { args: ['thr_1'], params: { id: 'thr_1' } },
  'messages.create': { args: [{ conversation_id: 'thr_1', role: 'user', content: 'Hi' }] },
  'messages.by_conversation': { args: ['thr_1'], params: { conversation_id: 'thr_1' } },
  'messages.get': { args: ['msg_1'], params: { id: 'msg_1' } },
  'messages.update': { args: ['msg_1', { content: 'Changed' }], params: { id: 'msg_1' } },
  'messages.delete': { args: ['msg_1'], params: { id: 'msg_1' } },
  'sessions.events.get': { args: ['sess_1', 'evt_1'], params: { session_id: 'sess_1', event_id: 'evt_1' } },
  'sessions.tools.create': {
    args: [
      'sess_1',
      {
        name: 'get_weather',
        description: 'Get weather information for a location',
        parameters: { location: { type: 'string', description: 'City name' } },
        function_code: 'async function get_weather({ location }) { return location; }',
      },
    ],
    params: { session_id: 'sess_1' },
  },
  'sessions.tools.list': { args: ['sess_1'], params: { session_id: 'sess_1' } },
  'sessions.tools.execute': {
    args: ['sess_1', 'get_weather', { arguments: { location: 'Melbourne' } }],
    params: { session_id: 'sess_1', tool_name: 'get_weather' },
  },
  'sessions.tools.delete': {
    args: ['sess_1', 'get_weather'],
    params: { session_id: 'sess_1', tool_name: 'get_weather' },
  },
  'sessions.handlers.list': { args: ['sess_1'], params: { session_id: 'sess_1' } },
  'sessions.handlers.commands.create': {
    args: ['sess_1', { command_type: 'Greet', handler_function: 'async function greet(command) {}' }],
    params: { session_id: 'sess_1' },
  },
  'sessions.handlers.events.create': {
    args: ['sess_1', { event_type: 'Greeted', handler_function: 'async function onGreeted(event) {}' }],
    params: { session_id: 'sess_1' },
  },
  'sessions.handlers.commands.delete': {
    args: ['sess_1', 'Greet'],
    params: { session_id: 'sess_1', command_type: 'Greet' },
  },
  'sessions.handlers.events.delete': {
    args: ['sess_1', 'Greeted'],
    params: { session_id: 'sess_1', event_type: 'Greeted' },
  },
  'engines.create': {
    args: [{ engine_type: 'DummyEngine', model_name: 'gpt-4', session_id: 'sess_1', configuration: {} }],
  },
  'engines.list': { args: [{ session_id: 'sess_1', status: 'active' }] },
  'engines.get': { args: ['eng_1'], params: { engine_id: 'eng_1' } },
  'engines.execute': {
    args: ['eng_1', { prompt: 'Hello, world!', parameters: { temperature: 0.7 } }],
    params: { engine_id: 'eng_1' },
  },
  'engines.delete': { args: ['eng_1'], params: { engine_id: 'eng_1' } },
  'memory.list': { args: [{ type: 'fact', limit: 10, offset: 0 }] },
  'memory.create': {
    args: [{ type: 'fact', content: 'The user lives in Lisbon', metadata: { source: 'form' } }],
  },
  'memory.clear': { args: [{ type: 'conversation', older_than: '2026-01-01T00:00:00Z' }] },
  'memory.get': { args: ['mem_1'], params: { memory_id: 'mem_1' } },
  'memory.update': {
    args: ['mem_1', { content: 'The user lives in Porto' }],
    params: { memory_id: 'mem_1' },
  },
  'memory.delete': { args: ['mem_1'], params: { memory_id: 'mem_1' } },
  'config.list': { args: [] },
  'config.reload': { args: [] },
  'config.validate': { args: ['context'], params: { config_type: 'context' } },
  'config.get': { args: ['memory'], params: { config_type: 'memory' } },
  'config.update': {
    args: ['memory', { config_type: 'memory', updates: { max_memories_per_prompt: 3 } }],
    params: { config_type: 'memory' },
  },
  'files.upload': { args: [blob(), { filename: 'hello.txt' }] },
  'files.upload_api': { args: [blob(), { filename: 'hello.txt', conversationId: 'thr_1' }] },
  'files.status': { args: ['file_1'], params: { file_id: 'file_1' } },
  'files.list': { args: [] },
  'files.delete': { args: ['file_1'], params: { file_id: 'file_1' } },
  'search.query': { args: [{ query: 'harbour', provider: 'local' }] },
  'github.repos.get': { args: [{ owner: 'octo', repo: 'hello' }], params: { owner: 'octo', repo: 'hello' } },
  'github.issues.list': {
    args: [{ owner: 'octo', repo: 'hello', state: 'open', per_page: 5 }],
    params: { owner: 'octo', repo: 'hello' },
  },
  'github.issues.get': {
    args: [{ owner: 'octo', repo: 'hello', issue_number: 7 }],
    params: { owner: 'octo', repo: 'hello', issue_number: '7' },
  },
  'github.pulls.list': {
    args: [{ owner: 'octo', repo: 'hello', base: 'main' }],
    params: { owner: 'octo', repo: 'hello' },
  },
  'github.pulls.get': {
    args: [{ owner: 'octo', repo: 'hello', pull_number: 3 }],
    params: { owner: 'octo', repo: 'hello', pull_number: '3' },
  },
  'github.search.repositories': { args: [{ q: 'cartrita language:typescript', per_page: 10 }] },
  'github.search.issues': { args: [{ q: 'is:pr is:open', order: 'desc' }] },
  'computer_use.execute': {
    args: [
      { task: 'Open the docs', environment: { type: 'browser', display_width: 1280, display_height: 800 } },
    ],
  },
  'computer_use.continue': {
    args: ['cu_1', { call_id: 'call_1', screenshot: 'data:image/png;base64,iVBORw0KGgo=' }],
    params: { run_id: 'cu_1' },
  },
  'computer_use.get': { args: ['cu_1'], params: { run_id: 'cu_1' } },
  'computer_use.cancel': { args: ['cu_1'], params: { run_id: 'cu_1' } },
  'huggingface.inference': {
    args: [{ model: 'facebook/bart-large-cnn', task: 'summarization', inputs: 'A long text.' }],
  },
  'agents.list': { args: [] },
  'voice.process': { args: [blob(), { language: 'en' }] },
  'personas.create': { args: [{ name: 'Guide', template: 'You are @tone.', mode: 'reactive' }] },
  'personas.list': { args: [{ active: true }] },
  'personas.upload_image': { args: [blob(), 'face.png'] },
  'personas.image': {
    args: ['/api/personas/images/0b5e1c9a-2f1d-4c1e-9a57-3d1c2b7e6f10.png'],
    params: { image_name: '0b5e1c9a-2f1d-4c1e-9a57-3d1c2b7e6f10.png' },
  },
  'personas.get': { args: ['per_1'], params: { persona_id: 'per_1' } },
  'personas.update': { args: ['per_1', { is_active: false }], params: { persona_id: 'per_1' } },
  'personas.delete': { args: ['per_1'], params: { persona_id: 'per_1' } },
  'modules.create': { args: [{ name: 'tone', type: 'simple', content: 'calm' }] },
  'modules.list': { args: [{ type: 'advanced', active: false }] },
  'modules.plugin_functions': { args: [] },
  'modules.test_script': { args: [{ script: 'ctx.set_output("greeting", "Hello!")' }] },
  'modules.get': { args: ['mod_1'], params: { module_id: 'mod_1' } },
  'modules.update': { args: ['mod_1', { content: 'warm' }], params: { module_id: 'mod_1' } },
  'modules.delete': { args: ['mod_1'], params: { module_id: 'mod_1' } },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the text names a template placeholder
  'templates.resolve': { args: [{ template: 'Hello ${name}', variables: { name: 'Ada' } }] },
};

/** The method at a dotted path of the client, bound to the object that holds it. */
const methodAt = (client: CartritaClient, dotted: string) => {
  const keys = dotted.split('.');
  const name = keys.pop() as string;
  const owner = keys.reduce<Record<string, unknown>>(
    (node, key) => node[key] as Record<string, unknown>,
    client as unknown as Record<string, unknown>,
  );
  const method = owner[name];
  if (typeof method !== 'function') throw new TypeError(`${dotted} is not a method`);
  return (...args: unknown[]) => method.apply(owner, args) as unknown;
};

/** Checks what one request carried against the route it was meant for. */
const expectRoute = (id: RouteId, request: Sent) => {
  const route = routesById[id];
  expect(request.method).toBe(route.method);
  expect(request.url.origin).toBe(baseURL);
  expect(request.url.pathname).toBe(fillPath(route.path, calls[id].params));
  const query = Object.fromEntries(request.url.searchParams);
  if ('query' in route) expect(route.query.safeParse(query).success).toBe(true);
  else expect(query).toEqual({});
  if ('body' in route) {
    expect(request.contentType).toBe('application/json');
    expect((route.body as z.ZodMiniType).safeParse(JSON.parse(request.body)).success).toBe(true);
  } else if ('bodyType' in route && route.bodyType === 'multipart') {
    expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/);
    for (const field of route.files) expect(request.body).toContain(`name="${field}"`);
  } else {
    expect(request.body).toBe('');
  }
};

const httpIds = routes.filter((route) => !('websocket' in route.response)).map((route) => route.id);

/** The part of a WebSocket URL a route's path names: `ws://host/path`. */
const socketTarget = (url: URL) => `${url.protocol}//${url.host}${url.pathname}`;

describe('every SDK method of the route table', () => {
  it('has a call here for every route', () => {
    expect(Object.keys(calls).sort()).toEqual(routes.map((route) => route.id).sort());
  });

  it.each(httpIds)('%s sends its route’s method, path, query and body', async (id) => {
    const { client, sent } = recordingClient();
    const call = methodAt(client, routeMethods[id])(...calls[id].args);
    await expect(call).rejects.toSatisfy(isNotFoundError);
    expect(sent).toHaveLength(1);
    expectRoute(id, sent[0] as Sent);
  });

  it('chat.realtime opens its route’s WebSocket', async () => {
    const socket = recordingSocket();
    const { client } = recordingClient();
    const chat = methodAt(
      client,
      routeMethods['chat.realtime'],
    )({
      WebSocket: socket.WebSocket,
      reconnect: false,
      heartbeatMs: 0,
    }) as { close(): void };
    await socket.whenOpened;
    chat.close();
    const url = new URL(socket.urls[0] as string);
    expect(routesById['chat.realtime'].method).toBe('GET');
    expect(socketTarget(url)).toBe(`ws://cartrita.test${routesById['chat.realtime'].path}`);
    expect(routesById['chat.realtime'].query.safeParse(Object.fromEntries(url.searchParams)).success).toBe(
      true,
    );
  });

  it('studio.socket opens its route’s WebSocket', async () => {
    const socket = recordingSocket();
    const { client } = recordingClient();
    const route = routesById['studio.socket'];
    const studio = methodAt(client, routeMethods['studio.socket'])('dashboard-1', {
      WebSocket: socket.WebSocket,
      heartbeatMs: 0,
    }) as { close(): void };
    await socket.whenOpened;
    studio.close();
    const url = new URL(socket.urls[0] as string);
    expect(socketTarget(url)).toBe(`ws://cartrita.test${fillPath(route.path, calls[route.id].params)}`);
    expect(route.query.safeParse(Object.fromEntries(url.searchParams)).success).toBe(true);
  });

  it('sessions.events.stream opens its route’s WebSocket with its query', async () => {
    const socket = recordingSocket();
    const { client } = recordingClient();
    const route = routesById['sessions.events.stream'];
    const stream = methodAt(client, routeMethods['sessions.events.stream'])('sess_1', {
      WebSocket: socket.WebSocket,
      lastEventId: 'evt_1',
      eventType: 'StatusUpdate',
      heartbeatMs: 0,
    }) as { close(): void };
    await socket.whenOpened;
    stream.close();
    const url = new URL(socket.urls[0] as string);
    expect(route.method).toBe('GET');
    expect(socketTarget(url)).toBe(`ws://cartrita.test${fillPath(route.path, calls[route.id].params)}`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      last_event_id: 'evt_1',
      event_type: 'StatusUpdate',
      access_token: 'cks_test',
    });
    expect(route.query.safeParse(Object.fromEntries(url.searchParams)).success).toBe(true);
  });
});

/** Params for each typed request of `/chatkit`, which all go through the `chatkit.request` route. */
const chatKitCalls: { [Type in ChatKitRequestParams['type']]: ChatKitParams<Type> } = {
  'threads.create': {
    input: { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} },
  },
  'threads.add_user_message': {
    thread_id: 'thr_1',
    input: { content: [{ type: 'input_text', text: 'Hi' }], attachments: [], inference_options: {} },
  },
  'threads.add_client_tool_output': { thread_id: 'thr_1', result: { ok: true } },
  'threads.add_structured_input': {
    thread_id: 'thr_1',
    item_id: 'msg_1',
    input: { answers: { q1: { values: ['yes'] } } },
  },
  'threads.retry_after_item': { thread_id: 'thr_1', item_id: 'msg_1' },
  'threads.custom_action': { thread_id: 'thr_1', action: { type: 'approve' } },
  'threads.sync_custom_action': { thread_id: 'thr_1', action: { type: 'approve' } },
  'threads.get_by_id': { thread_id: 'thr_1' },
  'threads.list': { limit: 10, order: 'asc' },
  'threads.update': { thread_id: 'thr_1', title: 'Renamed' },
  'threads.delete': { thread_id: 'thr_1' },
  'items.list': { thread_id: 'thr_1', limit: 10 },
  'items.feedback': { thread_id: 'thr_1', item_ids: ['msg_1'], kind: 'positive' },
  'attachments.create': { name: 'a.txt', size: 5, mime_type: 'text/plain' },
  'attachments.delete': { attachment_id: 'atc_1' },
  'input.transcribe': { audio_base64: 'AAAA', mime_type: 'audio/webm' },
};

/** The typed ChatKit methods and the request type each sends. */
const chatKitMethods: Record<string, ChatKitRequestParams['type']> = {
  'chatkit.threads.create': 'threads.create',
  'chatkit.threads.addUserMessage': 'threads.add_user_message',
  'chatkit.threads.addClientToolOutput': 'threads.add_client_tool_output',
  'chatkit.threads.addStructuredInput': 'threads.add_structured_input',
  'chatkit.threads.retryAfterItem': 'threads.retry_after_item',
  'chatkit.threads.customAction': 'threads.custom_action',
  'chatkit.threads.syncCustomAction': 'threads.sync_custom_action',
  'chatkit.threads.retrieve': 'threads.get_by_id',
  'chatkit.threads.list': 'threads.list',
  'chatkit.threads.update': 'threads.update',
  'chatkit.threads.delete': 'threads.delete',
  'chatkit.items.list': 'items.list',
  'chatkit.items.feedback': 'items.feedback',
  'chatkit.attachments.create': 'attachments.create',
  'chatkit.attachments.delete': 'attachments.delete',
  'chatkit.input.transcribe': 'input.transcribe',
};

/** Methods of the ChatKit sub-resources that are routes of their own rather than `/chatkit` requests. */
const ownRoutes = new Set(Object.values(routeMethods));

describe('every typed request of /chatkit', () => {
  it('has a method for every request type, and every method is listed here', () => {
    const methods = Object.entries({
      threads: ChatKitThreads,
      items: ChatKitItems,
      attachments: ChatKitAttachments,
      input: ChatKitInput,
    }).flatMap(([area, type]) =>
      Object.getOwnPropertyNames(type.prototype)
        .filter((name) => name !== 'constructor')
        .map((name) => `chatkit.${area}.${name}`)
        .filter((dotted) => !ownRoutes.has(dotted)),
    );
    expect(methods.sort()).toEqual(Object.keys(chatKitMethods).sort());
    expect(Object.values(chatKitMethods).sort()).toEqual(Object.keys(chatKitCalls).sort());
  });

  it.each(Object.entries(chatKitMethods))('%s posts a %s request to /chatkit', async (dotted, type) => {
    const { client, sent } = recordingClient();
    await expect(methodAt(client, dotted)(chatKitCalls[type])).rejects.toSatisfy(isNotFoundError);
    expect(sent).toHaveLength(1);
    expectRoute('chatkit.request', sent[0] as Sent);
    expect(JSON.parse((sent[0] as Sent).body)).toMatchObject({ type, params: chatKitCalls[type] });
  });
});

describe('the types of SDK methods', () => {
  it('come from the schemas of their routes', () => {
    type Route<Id extends RouteId> = (typeof routesById)[Id];
    expectTypeOf<ChatCreateParams>().toEqualTypeOf<z.input<Route<'chat.create'>['body']>>();
    expectTypeOf<HealthCheckResult>().toEqualTypeOf<z.output<Route<'health.get'>['response']['json']>>();
    expectTypeOf<StudioChatCreateResult>().toEqualTypeOf<
      z.output<Route<'studio.chat.create'>['response']['json']>
    >();
    expectTypeOf<Exclude<ChatStreamEvent, { type: 'unknown' }>>().toEqualTypeOf<
      z.output<Route<'chat.stream'>['response']['sse']>
    >();
    expectTypeOf(new CartritaClient().chat.create).returns.resolves.toEqualTypeOf<
      z.output<Route<'chat.create'>['response']['json']>
    >();
    expectTypeOf(new CartritaClient().chatkit.createSession)
      .parameter(0)
      .toEqualTypeOf<z.input<Route<'chatkit.session.create'>['body']> | undefined>();
    expectTypeOf<CommandCreateParams>().toEqualTypeOf<z.input<Route<'sessions.commands.create'>['body']>>();
    expectTypeOf<EventListParams>().toEqualTypeOf<z.input<Route<'sessions.events.list'>['query']>>();
    expectTypeOf<EngineExecuteResult>().toEqualTypeOf<
      z.output<Route<'engines.execute'>['response']['json']>
    >();
    expectTypeOf<CommandWaitResult['status']>().toEqualTypeOf<
      'completed' | 'failed' | 'timeout' | 'cancelled'
    >();
    expectTypeOf<SessionStreamEvent>().toEqualTypeOf<
      Extract<z.output<Route<'sessions.events.stream'>['response']['websocket']['server']>, { type: 'event' }>
    >();
  });
});
