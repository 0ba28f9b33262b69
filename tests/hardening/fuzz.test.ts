/**
 * Hostile requests for every route of the table, against the built server in a child process:
 * mutated and malformed bodies, paths, queries and headers, then raw bytes that are barely HTTP.
 * Every answer must be below 500, carry `X-Request-Id`, and be the error envelope when it is an
 * error; the process must not exit and must log no error. The cases come from the route table, so
 * a new route is fuzzed the day it is added. Bounded: a fixed number of cases per route and a
 * time limit on each; the seed is printed, and `FUZZ_SEED` repeats a run.
 */
import { connect } from 'node:net';
import { ErrorEnvelope, type RouteDef, routes } from '@cartrita/contracts';
import { describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from '../child-server.js';
import {
  hostileSegments,
  hostileValues,
  mutate,
  paramNames,
  pathOf,
  type Random,
  random,
  sampleOf,
} from './samples.js';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const casesPerRoute = 40;
const rawCases = 150;
const adminKey = 'fuzz-admin-key-0123456789abcdef';

/** What one case sends. */
interface Case {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | FormData;
}

const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'application/merge-patch+json',
  'image/png',
  'x/y',
];

const rawBodies = (rng: Random): string | Uint8Array => {
  const bodies: (() => string | Uint8Array)[] = [
    () => '{',
    () => '[]',
    () => 'null',
    () => '"string"',
    () => '1e999999',
    () => '{"a":1}'.repeat(3),
    () => `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
    () => `{"a":"${'\\u0000'.repeat(50)}"}`,
    () => new Uint8Array(Array.from({ length: 512 }, () => rng.int(256))),
    () => '--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
    () => '',
    () =>
      JSON.stringify({
        type: rng.pick(['threads.create', 'threads.list', 'nope', '']),
        params: rng.pick(hostileValues),
      }),
  ];
  return rng.pick(bodies)();
};

/** One hostile case for a route, from the route's own schemas. */
const caseFor = (route: RouteDef, rng: Random, secret: string): Case => {
  const params = Object.fromEntries(
    paramNames(route).map((name) => [name, rng.chance(0.6) ? rng.pick(hostileSegments) : 'x']),
  );
  const rawPath = rng.chance(0.7);
  let path = pathOf(route, params, rawPath);
  if (route.query || rng.chance(0.3)) {
    const query = new URLSearchParams();
    const sample = route.query ? (sampleOf(route.query, rng) as Record<string, unknown>) : {};
    for (const [name, value] of Object.entries(sample)) query.set(name, String(value));
    for (let i = rng.int(3); i > 0; i--) {
      query.append(
        rng.pick(['message', 'expires', 'sig', 'a[b][c]', '__proto__[x]', 'access_token', 'x']),
        String(rng.pick(hostileValues)).slice(0, 2_000),
      );
    }
    path += `?${query}${rng.chance(0.2) ? '&%ZZ=%' : ''}`;
  }
  const headers: Record<string, string> = {};
  const auth = rng.int(10);
  if (auth < 5) headers.authorization = `Bearer ${secret}`;
  else if (auth < 7) headers['x-api-key'] = adminKey;
  else if (auth < 9)
    headers.authorization = rng.pick([
      'Bearer',
      'Basic eDp5',
      'Bearer cks_garbage',
      `Bearer ${'a'.repeat(3_000)}`,
      'Bearer a b',
    ]);
  if (rng.chance(0.2)) headers['x-cartrita-user'] = rng.pick(['usr_1', 'a b', 'x'.repeat(200), '']);
  if (rng.chance(0.2))
    headers['last-event-id'] = rng.pick(['rsp_1:1', 'garbage', '::', 'rsp_x:-1', 'x'.repeat(500)]);
  if (rng.chance(0.15)) headers['idempotency-key'] = rng.pick(['k', 'x'.repeat(400), '']);
  if (rng.chance(0.1)) headers.origin = rng.pick(['https://evil.example', 'null', 'x']);
  if (rng.chance(0.1)) headers['content-encoding'] = rng.pick(['gzip', 'br', 'identity', 'x']);
  const method = rng.chance(0.9) ? route.method : rng.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
  if (method === 'GET') return { method, path, headers };
  if (route.bodyType === 'multipart' && rng.chance(0.6)) {
    const form = new FormData();
    const bytes = rng.chance(0.5)
      ? new TextEncoder().encode('<html><script>1</script>')
      : new Uint8Array(Array.from({ length: 64 }, () => rng.int(256)));
    form.set(
      rng.chance(0.8) ? 'file' : 'other',
      new Blob([bytes], { type: rng.pick(['image/png', 'text/plain', 'application/pdf', '']) }),
      rng.pick(['a.png', '', '../../x', 'x'.repeat(300)]),
    );
    return { method, path, headers, body: form };
  }
  headers['content-type'] = rng.chance(0.7) ? 'application/json' : rng.pick(contentTypes);
  const body =
    route.body && rng.chance(0.7)
      ? JSON.stringify(rng.chance(0.2) ? sampleOf(route.body, rng) : mutate(sampleOf(route.body, rng), rng))
      : rawBodies(rng);
  return { method, path, headers, body };
};

/**
 * Checks one answer: a request id, the envelope on errors, and no 5xx but the ones the route
 * documents for a missing upstream (a provider that is not configured is a 503 by contract).
 */
const check = async (server: ChildServer, route: RouteDef, label: string, response: Response) => {
  const requestId = response.headers.get('x-request-id');
  expect(requestId, label).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/);
  if (response.status >= 400) {
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      const errors = server.log().filter((line) => line.level >= 50);
      throw new Error(
        `${label}: the answer is not JSON (${text.length} characters); the server logged ${JSON.stringify(errors).slice(0, 2_000)}`,
      );
    }
    const envelope = ErrorEnvelope.safeParse(json);
    expect(envelope.success, `${label}: ${text.slice(0, 200)}`).toBe(true);
    // A replayed answer (Idempotency-Key) is the first answer as it was, with that request's id.
    if (response.headers.get('idempotent-replayed') === 'true')
      expect(envelope.data?.request_id).toMatch(/^req_/);
    else expect(envelope.data?.request_id, label).toBe(requestId);
    if (response.status >= 500) {
      const code = envelope.data?.error.code ?? '';
      expect(code, `${label}: ${text.slice(0, 200)}`).not.toBe('INTERNAL_ERROR');
      expect(route.errors as readonly string[], `${label}: ${text.slice(0, 200)}`).toContain(code);
    }
  } else if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    await response.body?.cancel();
  } else {
    await response.arrayBuffer();
  }
};

const send = async (server: ChildServer, item: Case): Promise<Response> =>
  fetch(`${server.url}${item.path}`, {
    method: item.method,
    headers: item.headers,
    ...(item.body === undefined ? {} : { body: item.body as BodyInit }),
    signal: AbortSignal.timeout(10_000),
  });

/** Sends raw bytes, half-closes, and resolves what came back before the server closed. */
const sendRaw = (url: string, bytes: Buffer) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of the answer after 5 s; got ${JSON.stringify(received.slice(0, 200))}`));
    }, 5_000);
    socket.on('data', (data) => {
      received += data.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.end(bytes);
  });

/**
 * The answers in what a connection received (latin1, so a character is a byte), split by each head's
 * `Content-Length`; an answer without one (a 101, or one that ends the connection) runs to the end.
 */
const answersIn = (received: string): string[] => {
  const answers: string[] = [];
  let rest = received;
  while (rest !== '') {
    const headEnd = rest.indexOf('\r\n\r\n');
    const length = /\r\ncontent-length: *(\d+)/i.exec(headEnd < 0 ? '' : rest.slice(0, headEnd));
    if (headEnd < 0 || !length) {
      answers.push(rest);
      break;
    }
    const end = headEnd + 4 + Number(length[1]);
    answers.push(rest.slice(0, end));
    rest = rest.slice(end);
  }
  return answers;
};

/** Corrupts a well-formed request: flipped, inserted, doubled or cut bytes. */
const corrupt = (request: Buffer, rng: Random): Buffer => {
  const bytes = [...request];
  for (let i = 1 + rng.int(3); i > 0; i--) {
    const at = rng.int(bytes.length);
    switch (rng.int(5)) {
      case 0:
        bytes[at] = rng.int(256);
        break;
      case 1:
        bytes.splice(at, 0, ...rng.pick([[0x0d, 0x0a], [0x00], [0xff], [0x20], [0x3a]]));
        break;
      case 2: {
        const lineEnd = request.indexOf('\r\n', at);
        const lineStart = request.lastIndexOf('\r\n', at);
        if (lineEnd > 0 && lineStart > 0) bytes.splice(lineEnd, 0, ...request.subarray(lineStart, lineEnd));
        break;
      }
      case 3:
        bytes.length = Math.max(1, at);
        break;
      default:
        bytes.splice(at, 1);
    }
  }
  return Buffer.from(bytes);
};

describe(`hostile requests to every route (seed ${seed})`, () => {
  it('answers each below 500, with a request id and the envelope, and survives them all', async () => {
    const server = await startChildServer({ env: { API_KEYS: `fuzz-admin:admin:${adminKey}` } });
    const session = await fetch(`${server.url}/api/chatkit/session`, { method: 'POST' });
    const { client_secret: secret } = (await session.json()) as { client_secret: string };
    const rng = random(seed);
    // `POST /api/shutdown` with the admin key would stop the server under test (that is its job):
    // its own tests send it malformed bodies (tests/system/shutdown.test.ts).
    for (const route of (routes as readonly RouteDef[]).filter(({ id }) => id !== 'system.shutdown')) {
      for (let i = 0; i < casesPerRoute; i++) {
        const item = caseFor(route, rng, secret);
        const label = `${route.id} case ${i}: ${item.method} ${item.path.slice(0, 120)}`;
        await check(server, route, label, await send(server, item));
      }
    }
    expect(server.child.exitCode).toBeNull();
    const healthy = await fetch(`${server.url}/health`);
    expect(healthy.status).toBe(200);
    const errors = server.log().filter((line) => line.level >= 50);
    expect(errors, JSON.stringify(errors.slice(0, 3))).toEqual([]);
  }, 120_000);

  it('answers barely-HTTP bytes in the envelope with a request id, or just closes, and survives them all', async () => {
    const server = await startChildServer();
    const rng = random(seed + 1);
    const valid = [
      'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'POST /api/chatkit/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
      'POST /chatkit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
      'GET /ws/chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    ].map((text) => Buffer.from(text));
    for (let i = 0; i < rawCases; i++) {
      const bytes = corrupt(rng.pick(valid), rng);
      const label = `raw case ${i}: ${JSON.stringify(bytes.toString('latin1').slice(0, 120))}`;
      // What the corruption left of the request may read as two pipelined requests: each gets its answer.
      for (const answer of answersIn(await sendRaw(server.url, bytes))) {
        expect(answer, label).toMatch(/^HTTP\/1\.1 [1-4]\d\d /);
        if (answer.startsWith('HTTP/1.1 101')) continue;
        expect(answer.toLowerCase(), label).toMatch(/\r\nx-request-id: \S+/);
        const status = Number(answer.slice(9, 12));
        const body = answer.split('\r\n\r\n').slice(1).join('\r\n\r\n');
        if (status >= 400 && body.startsWith('{'))
          expect(ErrorEnvelope.safeParse(JSON.parse(body)).success, label).toBe(true);
      }
    }
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const errors = server.log().filter((line) => line.level >= 50);
    expect(errors, JSON.stringify(errors.slice(0, 3))).toEqual([]);
  }, 120_000);
});
