/**
 * Every route of the table against every kind of bad credential: none, malformed, an unknown key,
 * an expired secret, a key without the route's scope, and another session's ids. Protected routes
 * answer 401 (403 for the scope) in the envelope; open routes answer as if no credential came; ids
 * of another session's records are not found. Built from the table: a new route without a case
 * for another session's ids fails this file.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import {
  ErrorEnvelope,
  type RouteDef,
  type RouteId,
  routes,
  type Scope,
  scopeNames,
} from '@cartrita/contracts';
import { signClientSecret } from '@cartrita/engine';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';
import { paramNames, pathOf, random, sampleOf } from './samples.js';

const signingSecret = `matrix-signing-${randomBytes(8).toString('hex')}`;
/** One API key per scope, so every route has a key that lacks its scope. */
const scopedKeys = Object.fromEntries(
  scopeNames
    .filter((scope) => scope !== 'admin')
    .map((scope) => [scope, `key-${scope}-${randomBytes(12).toString('hex')}`]),
) as Record<Exclude<Scope, 'admin'>, string>;

/** A key of the LLMGine API that acts for the user it names, so two callers can be two users. */
const sessionsKey = `key-llm-${randomBytes(12).toString('hex')}`;

let server: TestServer;
beforeAll(async () => {
  expiredSecret = await signExpired();
  server = await startTestServer({
    env: {
      API_KEY_SECRET: signingSecret,
      API_KEYS: [
        ...Object.entries(scopedKeys).map(
          ([scope, key]) => `only-${scope.replace(/_/g, '-')}:${scope}:${key}`,
        ),
        `llm:sessions+act_as_user:${sessionsKey}`,
      ].join(','),
    },
  });
  return () => server.close();
});

/** What one attempt sends, besides the credential. */
interface Attempt {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | FormData;
}

/** A plausible request to a route: a sample body and query from its schemas, `x` for path parameters. */
const attemptFor = (route: RouteDef): Attempt => {
  const rng = random(1);
  let path = pathOf(route, Object.fromEntries(paramNames(route).map((name) => [name, 'x'])));
  if (route.query) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(sampleOf(route.query, rng) as Record<string, unknown>)) {
      if (name !== 'access_token') query.set(name, String(value));
    }
    path += `?${query}`;
  }
  if (route.method === 'GET') return { method: route.method, path };
  if (route.bodyType === 'multipart') {
    const form = new FormData();
    form.set('file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
    return { method: route.method, path, body: form };
  }
  return {
    method: route.method,
    path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(route.body ? sampleOf(route.body, rng) : {}),
  };
};

/** The status of a WebSocket upgrade (101 when it opened). */
const upgrade = (path: string, headers: Record<string, string>) =>
  new Promise<{ status: number; body: string; requestId: string | undefined }>((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, {
      headers: {
        ...headers,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Version': '13',
      },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: '', requestId: undefined });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, requestId: res.headers['x-request-id'] as string }),
      );
    });
    req.on('error', reject);
    req.end();
  });

/** Sends an attempt with credentials; resolves the status and, for errors, the envelope. */
const send = async (route: RouteDef, attempt: Attempt, credential: Record<string, string>) => {
  if (route.response.websocket) {
    const answer = await upgrade(attempt.path, credential);
    if (answer.status === 101) return { status: 101, envelope: undefined };
    const envelope = ErrorEnvelope.parse(JSON.parse(answer.body));
    expect(envelope.request_id).toBe(answer.requestId);
    return { status: answer.status, envelope };
  }
  const response = await fetch(`${server.url}${attempt.path}`, {
    method: attempt.method,
    headers: { ...attempt.headers, ...credential },
    ...(attempt.body === undefined ? {} : { body: attempt.body }),
  });
  if (response.status < 400) {
    await response.body?.cancel();
    return { status: response.status, envelope: undefined };
  }
  const envelope = ErrorEnvelope.parse(await response.json());
  expect(envelope.request_id).toBe(response.headers.get('x-request-id'));
  return { status: response.status, envelope };
};

let expiredSecret = '';
const expired = () => expiredSecret;
const signExpired = () =>
  signClientSecret(
    { sessionId: 'sess_old', userId: 'usr_old', expiresAt: new Date(Date.now() - 1_000) },
    signingSecret,
  );

/** The bad credentials, each with what a protected route answers. */
const badCredentials = (): [string, Record<string, string>, string][] => [
  ['no credential', {}, 'Authentication required'],
  [
    'a malformed Authorization header',
    { authorization: 'Token abc' },
    'The Authorization header must be "Bearer <token>"',
  ],
  [
    'a malformed bearer token',
    { authorization: 'Bearer a b' },
    'The Authorization header must be "Bearer <token>"',
  ],
  [
    'an unknown API key',
    { 'x-api-key': `unknown-${randomBytes(12).toString('hex')}` },
    'The API key is invalid',
  ],
  [
    'a forged client secret',
    { authorization: 'Bearer cks_eyJ2IjoxfQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    'The client secret is invalid',
  ],
  [
    'an expired client secret',
    { authorization: `Bearer ${expired()}` },
    'The client secret has expired; request a new one',
  ],
];

const table = routes as readonly RouteDef[];
const protectedRoutes = table.filter((route) => route.auth !== 'none');
const openRoutes = table.filter((route) => route.auth === 'none');

describe('protected routes', () => {
  for (const route of protectedRoutes) {
    const scope = (route.auth as { scope: Scope }).scope;
    it(`${route.id} (${route.method} ${route.path}) answers 401 to every bad credential`, async () => {
      for (const [name, credential, message] of badCredentials()) {
        const { status, envelope } = await send(route, attemptFor(route), credential);
        expect(status, name).toBe(401);
        expect(envelope?.error.code, name).toBe('UNAUTHORIZED');
        expect(envelope?.error.message, name).toContain(message);
      }
    });

    it(`${route.id} answers 403 to a key without the "${scope}" scope`, async () => {
      const other = (Object.keys(scopedKeys) as (keyof typeof scopedKeys)[]).find(
        (candidate) => candidate !== scope && candidate !== 'act_as_user',
      ) as keyof typeof scopedKeys;
      const { status, envelope } = await send(route, attemptFor(route), { 'x-api-key': scopedKeys[other] });
      expect(status).toBe(403);
      expect(envelope?.error.code).toBe('FORBIDDEN');
      expect(envelope?.error.details?.required_scope).toBe(scope);
    });
  }
});

describe('open routes', () => {
  for (const route of openRoutes) {
    it(`${route.id} (${route.method} ${route.path}) answers as if no credential came`, async () => {
      // The baseline may be any answer (a signed URL with a made-up signature is a 403 of its own);
      // what matters is that no credential changes it.
      const baseline = await send(route, attemptFor(route), {});
      expect(baseline.envelope?.error.code).not.toBe('UNAUTHORIZED');
      const credentials = [
        ...badCredentials().map(([, credential]) => credential),
        { 'x-api-key': scopedKeys.voice },
        { authorization: 'Basic dXNlcjpwYXNz' },
      ];
      for (const credential of credentials) {
        const { status } = await send(route, attemptFor(route), credential);
        expect(status, JSON.stringify(credential)).toBe(baseline.status);
      }
    });
  }
});

/** A caller of its own session. */
interface Caller {
  secret: string;
  headers: Record<string, string>;
}

const newCaller = async (): Promise<Caller> => {
  const { client_secret } = (await (
    await fetch(`${server.url}/api/chatkit/session`, { method: 'POST' })
  ).json()) as {
    client_secret: string;
  };
  return {
    secret: client_secret,
    headers: { authorization: `Bearer ${client_secret}`, 'content-type': 'application/json' },
  };
};

/** A thread of `owner`'s, and the id of the reply it streamed. */
const threadOf = async (owner: Caller) => {
  const response = await fetch(`${server.url}/api/chat/stream`, {
    method: 'POST',
    headers: owner.headers,
    body: JSON.stringify({ message: 'mine' }),
  });
  const text = await response.text();
  const start = JSON.parse(/data: (\{"type":"start".*)/.exec(text)?.[1] ?? '{}') as {
    conversation_id: string;
    response_id: string;
  };
  return { threadId: start.conversation_id, responseId: start.response_id };
};

/** An attachment of `owner`'s, uploaded or not, and its signed URLs. */
const attachmentOf = async (owner: Caller) => {
  const created = await fetch(`${server.url}/chatkit`, {
    method: 'POST',
    headers: owner.headers,
    body: JSON.stringify({
      type: 'attachments.create',
      params: { name: 'a.txt', size: 5, mime_type: 'text/plain' },
    }),
  });
  const { id, upload_descriptor } = (await created.json()) as {
    id: string;
    upload_descriptor: { url: string };
  };
  return { id, upload: new URL(upload_descriptor.url) };
};

const expectNotFound = async (response: Response, code: string) => {
  expect(response.status).toBe(404);
  expect(ErrorEnvelope.parse(await response.json()).error.code).toBe(code);
};

/** A user of the LLMGine API: a key acting for its own user. */
interface ApiUser {
  headers: Record<string, string>;
  call(method: string, path: string, body?: unknown): Promise<Response>;
}

const apiUser = (): ApiUser => {
  const headers = {
    'x-api-key': sessionsKey,
    'x-cartrita-user': `user-${randomBytes(4).toString('hex')}`,
    'content-type': 'application/json',
  };
  return {
    headers,
    call: (method, path, body) =>
      fetch(`${server.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
};

/** An LLMGine session of `owner`'s with a command, an event, a tool, a handler and an engine in it. */
const llmSessionOf = async (owner: ApiUser) => {
  const json = async (response: Response) => {
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    return (await response.json()) as Record<string, string>;
  };
  const { session_id } = await json(await owner.call('POST', '/api/sessions', { name: 'mine' }));
  const base = `/api/sessions/${session_id}`;
  const { command_id } = await json(
    await owner.call('POST', `${base}/commands`, {
      command_type: 'DummyEngineCommand',
      parameters: { prompt: 'mine' },
    }),
  );
  const { event_id } = await json(await owner.call('POST', `${base}/events`, { event_type: 'Mine' }));
  const { engine_id } = await json(
    await owner.call('POST', '/api/engines', { engine_type: 'DummyEngine', session_id }),
  );
  return { session_id, base, command_id, event_id, engine_id };
};

/**
 * Tries one LLMGine route as another user: the owner's session is `SESSION_NOT_FOUND` (its engine
 * `ENGINE_NOT_FOUND`), and the owner still finds it after.
 */
const llmIntrusion =
  (
    request: (ids: Awaited<ReturnType<typeof llmSessionOf>>) => {
      method: string;
      path: string;
      body?: unknown;
    },
    code = 'SESSION_NOT_FOUND',
  ) =>
  async () => {
    const owner = apiUser();
    const ids = await llmSessionOf(owner);
    const { method, path, body } = request(ids);
    await expectNotFound(await apiUser().call(method, path, body), code);
    expect((await owner.call('GET', ids.base)).status).toBe(200);
  };

/** A conversation of `owner`'s (seed 003) with one message. */
const conversationOf = async (owner: Caller) => {
  const persona = (await (
    await fetch(`${server.url}/api/personas`, {
      method: 'POST',
      headers: owner.headers,
      body: JSON.stringify({ name: 'Mine', template: 'You are mine.' }),
    })
  ).json()) as { id: string };
  const conversation = (await (
    await fetch(`${server.url}/api/conversations`, {
      method: 'POST',
      headers: owner.headers,
      body: JSON.stringify({ title: 'mine', persona_id: persona.id }),
    })
  ).json()) as { id: string };
  const message = (await (
    await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: owner.headers,
      body: JSON.stringify({ conversation_id: conversation.id, role: 'user', content: 'mine' }),
    })
  ).json()) as { id: string };
  return { conversationId: conversation.id, messageId: message.id, personaId: persona.id };
};

/**
 * A route of seed 003's conversations or messages, called by the intruder with the owner's ids: 404,
 * and the owner's records are untouched.
 */
const conversationIntrusion =
  (
    request: (ids: Awaited<ReturnType<typeof conversationOf>>) => {
      method: string;
      path: string;
      body?: unknown;
    },
  ) =>
  async (owner: Caller, intruder: Caller) => {
    const ids = await conversationOf(owner);
    const { method, path, body } = request(ids);
    await expectNotFound(
      await fetch(`${server.url}${path}`, {
        method,
        headers: intruder.headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
      'NOT_FOUND',
    );
    const kept = await fetch(`${server.url}/api/messages/${ids.messageId}`, { headers: owner.headers });
    expect(((await kept.json()) as { content: string }).content).toBe('mine');
  };

/** A persona and a module of `owner`'s (seed 003), by id and name. */
const personaAreaOf = async (owner: Caller) => {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: owner.headers,
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as { id: string; name: string };
  };
  const persona = await post('/api/personas', { name: 'Mine', template: 'You are @mine_module.' });
  const module = await post('/api/modules', { name: 'mine_module', content: 'mine only' });
  return { personaId: persona.id, moduleId: module.id, moduleName: module.name };
};

/** Tries a route of the personas area as another user on the owner's records: 404, and the owner still has them. */
const personaIntrusion =
  (
    request: (ids: Awaited<ReturnType<typeof personaAreaOf>>) => {
      method: string;
      path: string;
      body?: unknown;
    },
  ) =>
  async (owner: Caller, intruder: Caller) => {
    const ids = await personaAreaOf(owner);
    const { method, path, body } = request(ids);
    await expectNotFound(
      await fetch(`${server.url}${path}`, {
        method,
        headers: intruder.headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
      'NOT_FOUND',
    );
    for (const mine of [`/api/personas/${ids.personaId}`, `/api/modules/${ids.moduleId}`]) {
      const still = await fetch(`${server.url}${mine}`, { headers: owner.headers });
      expect(still.status).toBe(200);
      expect(((await still.json()) as { name: string }).name).toMatch(/^(Mine|mine_module)$/);
    }
  };

/**
 * A route of the observability scope, tried with the intruder's client secret on the owner's ids: a
 * client secret never carries that scope, so it is refused whoever's records it names.
 */
const observed =
  (target: (owner: Caller) => Promise<{ path: string; init?: RequestInit }>) =>
  async (owner: Caller, intruder: Caller) => {
    const { path, init = {} } = await target(owner);
    const response = await fetch(`${server.url}${path}`, { ...init, headers: intruder.headers });
    expect(response.status).toBe(403);
    const envelope = ErrorEnvelope.parse(await response.json());
    expect(envelope.error.code).toBe('FORBIDDEN');
    expect(envelope.error.details?.required_scope).toBe('observability');
  };

/** The trace id of a chat request of `owner`'s. */
const traceOf = async (owner: Caller): Promise<string> => {
  const response = await fetch(`${server.url}/api/chat`, {
    method: 'POST',
    headers: owner.headers,
    body: JSON.stringify({ message: 'traced' }),
  });
  expect(response.status).toBe(200);
  await response.body?.cancel();
  return response.headers.get('x-trace-id') as string;
};

/** A fact memory of `owner`'s, and a check that the owner still reaches it. */
const memoryOf = async (owner: Caller) => {
  const created = await fetch(`${server.url}/memory/`, {
    method: 'POST',
    headers: owner.headers,
    body: JSON.stringify({ type: 'fact', content: 'mine' }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const stillMine = async () => {
    const response = await fetch(`${server.url}/memory/${id}`, { headers: owner.headers });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { content: string }).content).toBe('mine');
  };
  return { id, stillMine };
};

/** Tries one memory route with the intruder's credential on the owner's memory: it is not found. */
const memoryIntrusion = (method: string, body?: unknown) => async (owner: Caller, intruder: Caller) => {
  const { id, stillMine } = await memoryOf(owner);
  await expectNotFound(
    await fetch(`${server.url}/memory/${id}`, {
      method,
      headers: intruder.headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    'NOT_FOUND',
  );
  await stillMine();
};

/**
 * For each route: how another session's ids are tried on it, or `null` when the route takes no id
 * of a record a session owns.
 */
const foreignIds: Record<RouteId, ((owner: Caller, intruder: Caller) => Promise<void>) | null> = {
  'health.get': null,
  // The GitHub proxy reads GitHub, not records a session owns.
  'github.repos.get': null,
  'github.issues.list': null,
  'github.issues.get': null,
  'github.pulls.list': null,
  'github.pulls.get': null,
  'github.search.repositories': null,
  'github.search.issues': null,
  'huggingface.inference': null,
  // Client secrets carry no `computer_use` scope; runs are per user (the area's own tests try another user's).
  'computer_use.execute': null,
  'computer_use.continue': null,
  'computer_use.get': null,
  'computer_use.cancel': null,
  'system.health': null,
  'chatkit.session.create': null,
  'chatkit.attachments.upload': null,
  'chatkit.request': async (owner, intruder) => {
    const { threadId } = await threadOf(owner);
    for (const request of [
      { type: 'threads.get_by_id', params: { thread_id: threadId } },
      { type: 'items.list', params: { thread_id: threadId } },
      { type: 'threads.update', params: { thread_id: threadId, title: 'mine now' } },
      { type: 'threads.delete', params: { thread_id: threadId } },
    ]) {
      const response = await fetch(`${server.url}/chatkit`, {
        method: 'POST',
        headers: intruder.headers,
        body: JSON.stringify(request),
      });
      await expectNotFound(response, 'THREAD_NOT_FOUND');
    }
    const { id } = await attachmentOf(owner);
    const deleted = await fetch(`${server.url}/chatkit`, {
      method: 'POST',
      headers: intruder.headers,
      body: JSON.stringify({ type: 'attachments.delete', params: { attachment_id: id } }),
    });
    await expectNotFound(deleted, 'ATTACHMENT_NOT_FOUND');
    const still = await fetch(`${server.url}/chatkit`, {
      method: 'POST',
      headers: owner.headers,
      body: JSON.stringify({ type: 'threads.get_by_id', params: { thread_id: threadId } }),
    });
    expect(still.status).toBe(200);
  },
  'chatkit.attachments.upload_bytes': async (owner, intruder) => {
    const mine = await attachmentOf(owner);
    const theirs = await attachmentOf(intruder);
    // The intruder's own signature does not open the owner's attachment.
    const forged = `${mine.upload.pathname}${theirs.upload.search}`;
    const form = new FormData();
    form.set('file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt');
    const response = await fetch(`${server.url}${forged}`, { method: 'POST', body: form });
    expect(response.status).toBe(403);
  },
  'chatkit.attachments.preview': async (owner, intruder) => {
    const mine = await attachmentOf(owner);
    const theirs = await attachmentOf(intruder);
    const forged = `/chatkit/attachments/${mine.id}/preview${theirs.upload.search}`;
    expect((await fetch(`${server.url}${forged}`)).status).toBe(403);
  },
  'chat.create': async (owner, intruder) => {
    const { threadId } = await threadOf(owner);
    await expectNotFound(
      await fetch(`${server.url}/api/chat`, {
        method: 'POST',
        headers: intruder.headers,
        body: JSON.stringify({ message: 'hi', conversation_id: threadId }),
      }),
      'THREAD_NOT_FOUND',
    );
  },
  'chat.stream': async (owner, intruder) => {
    const { threadId, responseId } = await threadOf(owner);
    await expectNotFound(
      await fetch(`${server.url}/api/chat/stream`, {
        method: 'POST',
        headers: intruder.headers,
        body: JSON.stringify({ message: 'hi', conversation_id: threadId }),
      }),
      'THREAD_NOT_FOUND',
    );
    const resumed = await fetch(`${server.url}/api/chat/stream`, {
      method: 'POST',
      headers: { ...intruder.headers, 'last-event-id': `${responseId}:0` },
      body: JSON.stringify({ message: 'hi' }),
    });
    expect(resumed.status).toBe(404);
    await resumed.body?.cancel();
  },
  'chat.stream_get': async (owner, intruder) => {
    const { threadId } = await threadOf(owner);
    await expectNotFound(
      await fetch(
        `${server.url}/api/chat/stream?message=hi&conversation_id=${threadId}&access_token=${intruder.secret}`,
      ),
      'THREAD_NOT_FOUND',
    );
  },
  'chat.responses.cancel': async (owner, intruder) => {
    const { responseId } = await threadOf(owner);
    const response = await fetch(`${server.url}/api/chat/responses/${responseId}/cancel`, {
      method: 'POST',
      headers: intruder.headers,
    });
    expect(response.status).toBe(404);
  },
  'studio.chat.create': async (owner, intruder) => {
    const { threadId } = await threadOf(owner);
    await expectNotFound(
      await fetch(`${server.url}/chat/`, {
        method: 'POST',
        headers: intruder.headers,
        body: JSON.stringify({ message: 'hi', session_id: threadId }),
      }),
      'THREAD_NOT_FOUND',
    );
  },
  'studio.chat.stream': async (owner, intruder) => {
    const { threadId } = await threadOf(owner);
    await expectNotFound(
      await fetch(`${server.url}/chat/stream`, {
        method: 'POST',
        headers: intruder.headers,
        body: JSON.stringify({ message: 'hi', session_id: threadId }),
      }),
      'THREAD_NOT_FOUND',
    );
  },
  'chat.realtime': async (owner, intruder) => {
    const { threadId } = await threadOf(owner);
    const socket = new WebSocket(
      `${server.url.replace('http', 'ws')}/ws/chat?access_token=${intruder.secret}`,
    );
    const messages: { type: string; data?: { code?: string } }[] = [];
    socket.addEventListener('message', (event) => messages.push(JSON.parse(String(event.data))));
    await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
    socket.send(JSON.stringify({ type: 'chat', data: { message: 'hi', conversation_id: threadId } }));
    await expect
      .poll(() => messages.find((message) => message.type === 'error')?.data?.code)
      .toBe('THREAD_NOT_FOUND');
    expect(messages.some((message) => message.type === 'chunk')).toBe(false);
    socket.close();
  },
  'studio.socket': async (owner, intruder) => {
    // The intruder follows the owner's session and their own; the owner's turn ends before the
    // intruder's starts, so had any of it crossed, it would be there when the intruder's ends.
    const { threadId: ownersSession } = await threadOf(owner);
    const { threadId: ownSession } = await threadOf(intruder);
    const socket = new WebSocket(
      `${server.url.replace('http', 'ws')}/ws/intruder-1?access_token=${intruder.secret}`,
    );
    const messages: { type: string; session_id?: string; is_complete?: boolean }[] = [];
    socket.addEventListener('message', (event) => messages.push(JSON.parse(String(event.data))));
    await new Promise((resolve) => socket.addEventListener('open', resolve, { once: true }));
    for (const sessionId of [ownersSession, ownSession]) {
      socket.send(JSON.stringify({ type: 'subscribe', session_id: sessionId }));
    }
    await expect.poll(() => messages.filter((message) => message.type === 'subscribed').length).toBe(2);
    await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: owner.headers,
      body: JSON.stringify({ message: 'theirs', conversation_id: ownersSession }),
    });
    await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: intruder.headers,
      body: JSON.stringify({ message: 'mine', conversation_id: ownSession }),
    });
    await expect
      .poll(() => messages.some((message) => message.type === 'chat_update' && message.is_complete))
      .toBe(true);
    expect([...new Set(messages.flatMap((message) => message.session_id ?? []))]).toEqual([
      ownersSession,
      ownSession,
    ]);
    expect(
      messages.filter((message) => message.session_id === ownersSession).map((message) => message.type),
    ).toEqual(['subscribed']);
    socket.close();
  },
  'conversations.create': null,
  'conversations.by_persona': conversationIntrusion(({ personaId }) => ({
    method: 'GET',
    path: `/api/conversations/by-persona/${personaId}`,
  })),
  'conversations.get': conversationIntrusion(({ conversationId }) => ({
    method: 'GET',
    path: `/api/conversations/${conversationId}`,
  })),
  'conversations.update': conversationIntrusion(({ conversationId }) => ({
    method: 'PUT',
    path: `/api/conversations/${conversationId}`,
    body: { title: 'theirs' },
  })),
  'conversations.delete': conversationIntrusion(({ conversationId }) => ({
    method: 'DELETE',
    path: `/api/conversations/${conversationId}`,
  })),
  'conversations.memories.delete': conversationIntrusion(({ conversationId }) => ({
    method: 'DELETE',
    path: `/api/conversations/${conversationId}/memories`,
  })),
  'messages.create': conversationIntrusion(({ conversationId }) => ({
    method: 'POST',
    path: '/api/messages',
    body: { conversation_id: conversationId, role: 'user', content: 'theirs' },
  })),
  'messages.by_conversation': conversationIntrusion(({ conversationId }) => ({
    method: 'GET',
    path: `/api/messages/by-conversation/${conversationId}`,
  })),
  'messages.get': conversationIntrusion(({ messageId }) => ({
    method: 'GET',
    path: `/api/messages/${messageId}`,
  })),
  'messages.update': conversationIntrusion(({ messageId }) => ({
    method: 'PUT',
    path: `/api/messages/${messageId}`,
    body: { content: 'theirs' },
  })),
  'messages.delete': conversationIntrusion(({ messageId }) => ({
    method: 'DELETE',
    path: `/api/messages/${messageId}`,
  })),
  // Personas, modules and templates (seed 003): each user's own.
  'personas.create': null,
  'personas.upload_image': null,
  // Open by design: an image's UUID name is what reaches it, as `<img src>` sends no credential.
  'personas.image': null,
  'personas.list': async (owner, intruder) => {
    await personaAreaOf(owner);
    for (const query of ['', '?active=true']) {
      const response = await fetch(`${server.url}/api/personas${query}`, { headers: intruder.headers });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ personas: [], total: 0 });
    }
  },
  'personas.get': personaIntrusion(({ personaId }) => ({
    method: 'GET',
    path: `/api/personas/${personaId}`,
  })),
  'personas.update': personaIntrusion(({ personaId }) => ({
    method: 'PUT',
    path: `/api/personas/${personaId}`,
    body: { name: 'Theirs', is_active: false },
  })),
  'personas.delete': personaIntrusion(({ personaId }) => ({
    method: 'DELETE',
    path: `/api/personas/${personaId}`,
  })),
  'modules.create': async (owner, intruder) => {
    const { moduleName } = await personaAreaOf(owner);
    // Names are unique per user: the intruder's module of the same name is their own.
    const response = await fetch(`${server.url}/api/modules`, {
      method: 'POST',
      headers: intruder.headers,
      body: JSON.stringify({ name: moduleName, content: 'theirs' }),
    });
    expect(response.status).toBe(201);
  },
  'modules.list': async (owner, intruder) => {
    await personaAreaOf(owner);
    const response = await fetch(`${server.url}/api/modules?type=simple`, { headers: intruder.headers });
    expect(await response.json()).toEqual({ modules: [], total: 0 });
  },
  'modules.plugin_functions': null,
  'modules.test_script': null,
  'modules.get': personaIntrusion(({ moduleId }) => ({ method: 'GET', path: `/api/modules/${moduleId}` })),
  'modules.update': personaIntrusion(({ moduleId }) => ({
    method: 'PUT',
    path: `/api/modules/${moduleId}`,
    body: { content: 'theirs' },
  })),
  'modules.delete': personaIntrusion(({ moduleId }) => ({
    method: 'DELETE',
    path: `/api/modules/${moduleId}`,
  })),
  'templates.resolve': async (owner, intruder) => {
    const { moduleName } = await personaAreaOf(owner);
    const response = await fetch(`${server.url}/api/templates/resolve`, {
      method: 'POST',
      headers: intruder.headers,
      body: JSON.stringify({ template: `Say @${moduleName}` }),
    });
    expect(await response.json()).toEqual({ resolved: `Say @${moduleName}`, modules_used: [] });
  },
  'sessions.create': null,
  'system.status': null,
  'system.config': null,
  'system.shutdown': null,
  'sessions.get': llmIntrusion(({ base }) => ({ method: 'GET', path: base })),
  'sessions.delete': llmIntrusion(({ base }) => ({ method: 'DELETE', path: base })),
  'sessions.commands.create': llmIntrusion(({ base }) => ({
    method: 'POST',
    path: `${base}/commands`,
    body: { command_type: 'DummyEngineCommand', parameters: { prompt: 'theirs' } },
  })),
  'sessions.commands.batch': llmIntrusion(({ base }) => ({
    method: 'POST',
    path: `${base}/commands/batch`,
    body: { commands: [{ command_type: 'DummyEngineCommand', parameters: { prompt: 'theirs' } }] },
  })),
  'sessions.commands.get': async () => {
    await llmIntrusion(({ base, command_id }) => ({
      method: 'GET',
      path: `${base}/commands/${command_id}`,
    }))();
    // Nor through a session of the intruder's own.
    const owner = apiUser();
    const { command_id } = await llmSessionOf(owner);
    const intruder = apiUser();
    const own = await llmSessionOf(intruder);
    await expectNotFound(await intruder.call('GET', `${own.base}/commands/${command_id}`), 'NOT_FOUND');
  },
  'sessions.commands.cancel': llmIntrusion(({ base, command_id }) => ({
    method: 'POST',
    path: `${base}/commands/${command_id}/cancel`,
  })),
  'sessions.events.create': llmIntrusion(({ base }) => ({
    method: 'POST',
    path: `${base}/events`,
    body: { event_type: 'Theirs' },
  })),
  'sessions.events.list': async (_owner, intruder) => {
    await llmIntrusion(({ base }) => ({ method: 'GET', path: `${base}/events` }))();
    // A client secret reaches its own session's events only.
    const { base } = await llmSessionOf(apiUser());
    await expectNotFound(
      await fetch(`${server.url}${base}/events`, { headers: intruder.headers }),
      'SESSION_NOT_FOUND',
    );
  },
  'sessions.events.get': async () => {
    await llmIntrusion(({ base, event_id }) => ({ method: 'GET', path: `${base}/events/${event_id}` }))();
    const { event_id } = await llmSessionOf(apiUser());
    const intruder = apiUser();
    const own = await llmSessionOf(intruder);
    await expectNotFound(await intruder.call('GET', `${own.base}/events/${event_id}`), 'NOT_FOUND');
  },
  'sessions.events.stream': async (_owner, intruder) => {
    const { base } = await llmSessionOf(apiUser());
    const byKey = await upgrade(`${base}/events/stream`, apiUser().headers);
    expect(byKey.status).toBe(404);
    expect(ErrorEnvelope.parse(JSON.parse(byKey.body)).error.code).toBe('SESSION_NOT_FOUND');
    const bySecret = await upgrade(`${base}/events/stream?access_token=${intruder.secret}`, {});
    expect(bySecret.status).toBe(404);
  },
  'sessions.tools.create': llmIntrusion(({ base }) => ({
    method: 'POST',
    path: `${base}/tools`,
    body: { name: 'theirs', function_code: '() => 1' },
  })),
  'sessions.tools.list': llmIntrusion(({ base }) => ({ method: 'GET', path: `${base}/tools` })),
  'sessions.tools.execute': llmIntrusion(({ base }) => ({
    method: 'POST',
    path: `${base}/tools/any/execute`,
    body: { arguments: {} },
  })),
  'sessions.tools.delete': llmIntrusion(({ base }) => ({ method: 'DELETE', path: `${base}/tools/any` })),
  'sessions.handlers.list': llmIntrusion(({ base }) => ({ method: 'GET', path: `${base}/handlers` })),
  'sessions.handlers.commands.create': llmIntrusion(({ base }) => ({
    method: 'POST',
    path: `${base}/handlers/commands`,
    body: { command_type: 'Theirs', handler_function: '() => 1' },
  })),
  'sessions.handlers.events.create': llmIntrusion(({ base }) => ({
    method: 'POST',
    path: `${base}/handlers/events`,
    body: { event_type: 'Theirs', handler_function: '() => 1' },
  })),
  'sessions.handlers.commands.delete': llmIntrusion(({ base }) => ({
    method: 'DELETE',
    path: `${base}/handlers/commands/Any`,
  })),
  'sessions.handlers.events.delete': llmIntrusion(({ base }) => ({
    method: 'DELETE',
    path: `${base}/handlers/events/Any`,
  })),
  'engines.create': llmIntrusion(({ session_id }) => ({
    method: 'POST',
    path: '/api/engines',
    body: { engine_type: 'DummyEngine', session_id },
  })),
  'engines.list': async () => {
    const owner = apiUser();
    const { session_id } = await llmSessionOf(owner);
    const theirs = (await (await apiUser().call('GET', `/api/engines?session_id=${session_id}`)).json()) as {
      total: number;
    };
    expect(theirs.total).toBe(0);
    const mine = (await (await owner.call('GET', `/api/engines?session_id=${session_id}`)).json()) as {
      total: number;
    };
    expect(mine.total).toBe(1);
  },
  'engines.get': llmIntrusion(
    ({ engine_id }) => ({ method: 'GET', path: `/api/engines/${engine_id}` }),
    'ENGINE_NOT_FOUND',
  ),
  'engines.execute': llmIntrusion(
    ({ engine_id }) => ({
      method: 'POST',
      path: `/api/engines/${engine_id}/execute`,
      body: { prompt: 'theirs' },
    }),
    'ENGINE_NOT_FOUND',
  ),
  'engines.delete': llmIntrusion(
    ({ engine_id }) => ({ method: 'DELETE', path: `/api/engines/${engine_id}` }),
    'ENGINE_NOT_FOUND',
  ),
  'observability.logs.list': observed(async (owner) => ({
    path: `/api/observability/logs?level=debug&session_id=${(await threadOf(owner)).threadId}`,
  })),
  'observability.logs.create': observed(async (owner) => ({
    path: '/api/observability/logs',
    init: {
      method: 'POST',
      body: JSON.stringify({
        level: 'info',
        message: 'in your name',
        session_id: (await threadOf(owner)).threadId,
      }),
    },
  })),
  'observability.metrics.get': observed(async (owner) => ({
    path: `/api/observability/metrics?session_id=${(await threadOf(owner)).threadId}`,
  })),
  'observability.traces.get': observed(async (owner) => ({
    path: `/api/observability/traces/${await traceOf(owner)}`,
  })),
  'observability.prometheus': observed(async () => ({ path: '/metrics' })),
  'memory.list': async (owner, intruder) => {
    await memoryOf(owner);
    const theirs = await fetch(`${server.url}/memory/`, { headers: intruder.headers });
    expect(((await theirs.json()) as { total: number }).total).toBe(0);
  },
  'memory.create': null,
  'memory.clear': async (owner, intruder) => {
    const { stillMine } = await memoryOf(owner);
    const cleared = await fetch(`${server.url}/memory/clear`, {
      method: 'POST',
      headers: intruder.headers,
      body: JSON.stringify({}),
    });
    expect(await cleared.json()).toEqual({ cleared: 0 });
    await stillMine();
  },
  'memory.get': memoryIntrusion('GET'),
  'memory.update': memoryIntrusion('PUT', { content: 'theirs now' }),
  'memory.delete': memoryIntrusion('DELETE'),
  'config.list': null,
  'config.reload': null,
  'config.validate': null,
  'config.get': null,
  'config.update': null,
  // Files: another user's file is absent to status and delete, and missing from the list.
  'files.upload': null,
  'files.upload_api': null,
  'voice.process': null,
  'files.status': async (owner, intruder) => {
    const fileId = await fileOf(owner);
    await expectNotFound(await fileCall(intruder, 'GET', `/files/status/${fileId}`), 'NOT_FOUND');
    expect((await fileCall(owner, 'GET', `/files/status/${fileId}`)).status).toBe(200);
  },
  'files.list': async (owner, intruder) => {
    const fileId = await fileOf(owner);
    const theirs = (await (await fileCall(intruder, 'GET', '/files/list')).json()) as {
      files: { file_id: string }[];
      total: number;
    };
    expect(theirs).toEqual({ files: [], total: 0 });
    const mine = (await (await fileCall(owner, 'GET', '/files/list')).json()) as {
      files: { file_id: string }[];
    };
    expect(mine.files.map((file) => file.file_id)).toEqual([fileId]);
  },
  'files.delete': async (owner, intruder) => {
    const fileId = await fileOf(owner);
    await expectNotFound(await fileCall(intruder, 'DELETE', `/files/${fileId}`), 'NOT_FOUND');
    expect((await fileCall(owner, 'GET', `/files/status/${fileId}`)).status).toBe(200);
  },
  // Local search finds the caller's own files only: a search key acts for its own user.
  'search.query': async (owner, intruder) => {
    await fileOf(owner);
    const search = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/search`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'notes', provider: 'local' }),
      });
    expect(await (await search({ 'x-api-key': scopedKeys.search })).json()).toEqual({
      query: 'notes',
      provider: 'local',
      results: [],
    });
    expect((await search({ authorization: `Bearer ${intruder.secret}` })).status).toBe(403);
  },
  // Agents list the caller's own personas only; the providers are the same for everyone.
  'agents.list': async (owner, intruder) => {
    const { personaId } = await personaAreaOf(owner);
    const ids = async (caller: Caller) =>
      (
        (await (await fetch(`${server.url}/api/agents`, { headers: caller.headers })).json()) as {
          agents: { id: string }[];
        }
      ).agents.map((agent) => agent.id);
    expect(await ids(owner)).toEqual([personaId, 'demo/demo-1']);
    expect(await ids(intruder)).toEqual(['demo/demo-1']);
  },
};

/** A file of `owner`'s. */
async function fileOf(owner: Caller): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob(['my notes'], { type: 'text/plain' }), 'notes.txt');
  const response = await fetch(`${server.url}/files/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${owner.secret}` },
    body: form,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { file_id: string }).file_id;
}

function fileCall(caller: Caller, method: string, path: string): Promise<Response> {
  return fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${caller.secret}` } });
}

describe("another session's ids", () => {
  it('has a case, or says it takes no ids, for every route of the table', () => {
    expect(Object.keys(foreignIds).sort()).toEqual(table.map((route) => route.id).sort());
  });

  for (const route of table) {
    const attempt = foreignIds[route.id as RouteId];
    if (attempt === null) continue;
    it(`${route.id} does not reach another session's records`, async () => {
      await attempt(await newCaller(), await newCaller());
    });
  }
});
