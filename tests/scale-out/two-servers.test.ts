import { request } from 'node:http';
import { createClient } from 'redis';
import { expect, it, onTestFinished } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';
import { postgresEngine } from '../engines.js';
import { startRedisServer } from '../redis.js';
import { startTcpGate } from '../tcp-gate.js';

/** A server on `redisUrl`, stopped when the test finishes. */
const server = async (env: Record<string, string>): Promise<TestServer> => {
  const started = await startTestServer({ env });
  onTestFinished(() => started.close());
  return started;
};

/** A throwaway Redis of this test's own: the limits' keys of one test never meet another's. */
const ownRedis = async () => {
  const redis = await startRedisServer();
  onTestFinished(() => redis.stop());
  return redis;
};

/** `GET /openapi.json` from `ip` (through `X-Forwarded-For`, which these servers trust): its status and remaining budget. */
const get = async (target: TestServer, ip = '203.0.113.7') => {
  const response = await fetch(`${target.url}/openapi.json`, { headers: { 'X-Forwarded-For': ip } });
  await response.arrayBuffer();
  return [response.status, response.headers.get('ratelimit-remaining')];
};

/** Waits until `done()` resolves true, failing after a generous deadline. */
const until = async (done: () => Promise<boolean> | boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

it('delivers what one server publishes to a subscriber on the other, both on one PostgreSQL and one Redis', async () => {
  const redis = await ownRedis();
  const { url: databaseUrl } = await postgresEngine.createDatabase();
  const env = { REDIS_URL: redis.url, DATABASE_URL: databaseUrl };
  const [one, two] = [await server(env), await server(env)];
  const seen: unknown[] = [];
  await two.running.context.bus.subscribe('session:sess_across', (message) => seen.push(message.data));
  const id = await one.running.context.bus.publish('session:sess_across', { type: 'item.added', n: 1 });
  await until(() => seen.length === 1, 'the message on the other server');
  expect(seen).toEqual([{ type: 'item.added', n: 1 }]);
  // A subscriber that resumes after that id, on either server, gets only what came next.
  const resumed: unknown[] = [];
  await one.running.context.bus.subscribe('session:sess_across', (message) => resumed.push(message.data), {
    after: id,
  });
  await two.running.context.bus.publish('session:sess_across', { type: 'item.added', n: 2 });
  await until(() => seen.length === 2 && resumed.length === 1, 'the second message on both servers');
  expect(resumed).toEqual([{ type: 'item.added', n: 2 }]);
});

it('delivers an event POSTed to one server to a WebSocket following the session on the other, and resumes there', async () => {
  const redis = await ownRedis();
  const { url: databaseUrl } = await postgresEngine.createDatabase();
  const key = 'two-servers-sessions-key-0123456789';
  const env = { REDIS_URL: redis.url, DATABASE_URL: databaseUrl, API_KEYS: `app:sessions:${key}` };
  const [one, two] = [await server(env), await server(env)];
  const headers = { 'x-api-key': key, 'content-type': 'application/json' };
  const { session_id } = (await (
    await fetch(`${one.url}/api/sessions`, { method: 'POST', headers, body: '{}' })
  ).json()) as { session_id: string };
  const follow = (target: TestServer, query = '') => {
    const socket = new WebSocket(
      `${target.url.replace('http', 'ws')}/api/sessions/${session_id}/events/stream${query}`,
      {
        headers: { 'x-api-key': key },
      } as never,
    );
    const messages: { type: string; event_id?: string; data?: unknown }[] = [];
    socket.addEventListener('message', (message) => messages.push(JSON.parse(String(message.data))));
    onTestFinished(() => socket.close());
    return messages;
  };
  const onTwo = follow(two);
  await until(() => onTwo.length === 1, 'the stream on the second server to be ready');
  const publish = async (target: TestServer, n: number) =>
    (await (
      await fetch(`${target.url}/api/sessions/${session_id}/events`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ event_type: 'Tick', data: { n } }),
      })
    ).json()) as { event_id: string };
  const first = await publish(one, 1);
  await until(() => onTwo.length === 2, 'the event on the other server');
  expect(onTwo[1]).toMatchObject({ type: 'event', event_id: first.event_id, data: { n: 1 } });
  // Events published on either server while a client was away reach it when it resumes on the other.
  const second = await publish(two, 2);
  const third = await publish(one, 3);
  const resumed = follow(one, `?last_event_id=${first.event_id}`);
  await until(() => resumed.length === 3, 'the missed events and ready');
  expect(resumed.map((message) => message.event_id ?? message.type)).toEqual([
    second.event_id,
    third.event_id,
    'ready',
  ]);
  await until(() => onTwo.length === 4, 'every event on the second server');
  expect(onTwo.slice(1).map((message) => message.event_id)).toEqual([
    first.event_id,
    second.event_id,
    third.event_id,
  ]);
});

it('streams a chat turn on one server to a /ws/{client_id} subscribed on the other', async () => {
  const redis = await ownRedis();
  const { url: databaseUrl } = await postgresEngine.createDatabase();
  const key = 'two-servers-chat-key-0123456789';
  const env = { REDIS_URL: redis.url, DATABASE_URL: databaseUrl, API_KEYS: `app:chat:${key}` };
  const [one, two] = [await server(env), await server(env)];
  const headers = { 'x-api-key': key, 'content-type': 'application/json' };
  const chat = async (body: Record<string, unknown>) =>
    (await (
      await fetch(`${one.url}/chat/`, { method: 'POST', headers, body: JSON.stringify(body) })
    ).json()) as {
      session_id: string;
      response: string;
    };
  const { session_id } = await chat({ message: 'Hello' });
  const socket = new WebSocket(`${two.url.replace('http', 'ws')}/ws/dashboard`, {
    headers: { 'x-api-key': key },
  } as never);
  onTestFinished(() => socket.close());
  const messages: { type: string; message?: string; is_complete?: boolean }[] = [];
  socket.addEventListener('message', (message) => messages.push(JSON.parse(String(message.data))));
  await until(() => messages.length === 1, 'the socket on the second server to connect');
  socket.send(JSON.stringify({ type: 'subscribe', session_id }));
  await until(() => messages.some((message) => message.type === 'subscribed'), 'the subscription');
  const answer = await chat({ message: 'Across servers', session_id });
  await until(
    () => messages.some((message) => message.type === 'execution_monitoring_update'),
    'the turn on the other server',
  );
  const updates = messages.filter((message) => message.type === 'chat_update');
  expect(
    updates
      .filter((update) => !update.is_complete)
      .map((update) => update.message)
      .join(''),
  ).toBe(answer.response);
  expect(updates.at(-1)).toMatchObject({ is_complete: true, message: answer.response });
});

it('keeps each server to its own bus without REDIS_URL', async () => {
  const [one, two] = [await server({}), await server({})];
  const seen: unknown[] = [];
  await two.running.context.bus.subscribe('session:sess_alone', (message) => seen.push(message.data));
  await one.running.context.bus.publish('session:sess_alone', 'on one');
  await two.running.context.bus.publish('session:sess_alone', 'on two');
  // The in-process bus delivers as it publishes.
  expect(seen).toEqual(['on two']);
});

it('spends one per-address request budget across two servers on one Redis', async () => {
  const redis = await ownRedis();
  const env = { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'true' };
  const [one, two] = [await server(env), await server(env)];
  expect(await get(one)).toEqual([200, '2']);
  expect(await get(two)).toEqual([200, '1']);
  expect(await get(one)).toEqual([200, '0']);
  expect(await get(two)).toEqual([429, '0']);
  expect(await get(one)).toEqual([429, '0']);
  // Another address has a budget of its own.
  expect(await get(two, '203.0.113.8')).toEqual([200, '2']);
  const keys = await createClient({ url: redis.url })
    .connect()
    .then(async (client) => {
      const found = await client.keys('*');
      client.destroy();
      return found.sort();
    });
  expect(keys).toEqual(['cartrita:limits:rl:ip:203.0.113.7', 'cartrita:limits:rl:ip:203.0.113.8']);
});

it('without REDIS_URL, gives each server a budget of its own', async () => {
  const env = { RATE_LIMIT_PER_MINUTE: '1', TRUST_PROXY: 'true' };
  const [one, two] = [await server(env), await server(env)];
  expect(await get(one)).toEqual([200, '0']);
  expect(await get(two)).toEqual([200, '0']);
  expect(await get(one)).toEqual([429, '0']);
});

it('spends one failed-authentication budget and one new-socket budget across two servers', async () => {
  const redis = await ownRedis();
  const env = {
    REDIS_URL: redis.url,
    AUTH_FAILURES_PER_MINUTE: '2',
    WS_CONNECTIONS_PER_MINUTE: '1',
  };
  const [one, two] = [await server(env), await server(env)];
  const wrong = { authorization: 'Bearer ck_wrong_0123456789abcdef' };
  // Refused before the body is read, so none is sent.
  const chat = (target: TestServer, headers: Record<string, string>) =>
    fetch(`${target.url}/api/chat`, { method: 'POST', headers }).then(async (response) => {
      await response.arrayBuffer();
      return response.status;
    });
  expect(await chat(one, wrong)).toBe(401);
  expect(await chat(two, wrong)).toBe(401);
  // The budget is spent: even the right key is refused now, on either server.
  expect(await chat(one, { authorization: `Bearer ${one.apiKey}` })).toBe(429);
  expect(await chat(two, { authorization: `Bearer ${two.apiKey}` })).toBe(429);

  const upgrade = (target: TestServer) =>
    new Promise<number>((resolve, reject) => {
      const { port } = new URL(target.url);
      const req = request({
        host: '127.0.0.1',
        port,
        path: '/ws/chat',
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.on('upgrade', (_response, socket) => {
        socket.destroy();
        resolve(101);
      });
      req.on('error', reject);
      req.end();
    });
  // The first socket passes the connection budget (and is refused for want of a credential).
  expect(await upgrade(one)).toBe(401);
  expect(await upgrade(two)).toBe(429);
});

it('counts in each server’s memory while Redis is unreachable, and in Redis again once it is back', async () => {
  const redis = await ownRedis();
  const gate = await startTcpGate(redis.port);
  onTestFinished(() => gate.close());
  const limit = { RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'true' };
  // `cut` reaches Redis through the gate; `direct` always reaches it.
  const cut = await server({ ...limit, REDIS_URL: `redis://127.0.0.1:${gate.port}` });
  const direct = await server({ ...limit, REDIS_URL: redis.url });
  let address = 0;
  /** An address whose budget `direct` has spent in Redis: `cut` refuses it while it counts in Redis. */
  const spentInRedis = async () => {
    address += 1;
    const ip = `198.51.${Math.floor(address / 250)}.${(address % 250) + 1}`;
    expect(await get(direct, ip)).toEqual([200, '1']);
    expect(await get(direct, ip)).toEqual([200, '0']);
    return ip;
  };

  await gate.shut();
  // Once `cut` notices, it counts in memory, where a spent address starts afresh.
  let fresh = '';
  await until(async () => {
    fresh = await spentInRedis();
    return (await get(cut, fresh))[0] === 200;
  }, 'the server cut off from Redis to count in memory');
  // Still a limit, not none: the memory budget of that address is spent after two.
  expect(await get(cut, fresh)).toEqual([200, '0']);
  expect(await get(cut, fresh)).toEqual([429, '0']);
  // The other server still counts in Redis.
  expect(await get(direct, fresh)).toEqual([429, '0']);

  await gate.open();
  await until(
    async () => (await get(cut, await spentInRedis()))[0] === 429,
    'the server to count in Redis again',
  );
});
