/**
 * The last line of defence, in a real process: a chat provider that throws from a timer or leaves a
 * promise rejected with nobody awaiting it. The request (or socket) it escaped from is closed, the
 * log names it by request id, and the process serves the next request. Runs the built server
 * (`reference-server/dist`), which the test command builds first, in a child process: an error that
 * escaped for real would end that process, not the test runner.
 */
import { once } from 'node:events';
import { ErrorEnvelope } from '@cartrita/contracts';
import { expect, it } from 'vitest';
import { serverModule, startChildServer } from '../child-server.js';

/** The child's program: the server with two faulty providers besides the demo one. */
const program = `
const { loadConfig, startServer } = await import(${JSON.stringify(serverModule)});
const aborted = (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
const timer = {
  name: 'timer', defaultModel: 'timer',
  async *stream({ signal }) {
    setTimeout(() => { throw new Error('escaped from a timer'); }, 5);
    yield { type: 'text', delta: 'partial ' };
    await aborted(signal);
  },
};
const rejection = {
  name: 'rejection', defaultModel: 'rejection',
  async *stream({ signal }) {
    Promise.reject(new Error('nobody awaited this'));
    yield { type: 'text', delta: 'partial ' };
    await aborted(signal);
  },
};
const config = loadConfig({ env: { ...process.env } });
const running = await startServer(config, { providers: [timer, rejection] });
process.stdout.write('listening on ' + running.url + '\\n');
`;

const start = async () => {
  const server = await startChildServer({ program, env: { LOG_LEVEL: 'error' } });
  return { url: server.url, child: server.child, logLines: server.log };
};

const secretFor = async (url: string) =>
  (
    (await (await fetch(`${url}/api/chatkit/session`, { method: 'POST' })).json()) as {
      client_secret: string;
    }
  ).client_secret;

it('closes only the request an error escaped from, logs it with the request id, and keeps serving', async () => {
  const { url, child, logLines } = await start();
  const secret = await secretFor(url);
  for (const [provider, message] of [
    ['timer', 'escaped from a timer'],
    ['rejection', 'nobody awaited this'],
  ] as const) {
    const response = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'hello', provider }),
    });
    expect(response.status).toBe(500);
    const body = ErrorEnvelope.parse(await response.json());
    expect(body.error).toEqual({
      code: 'INTERNAL_ERROR',
      type: 'InternalError',
      message: 'An internal error occurred',
      details: {},
    });
    const requestId = response.headers.get('x-request-id');
    expect(body.request_id).toBe(requestId);
    await expect
      .poll(() => logLines().find((line) => line.requestId === requestId)?.err?.message)
      .toBe(message);
    expect(child.exitCode).toBeNull();
    const healthy = await fetch(`${url}/health`);
    expect(healthy.status).toBe(200);
  }
  const normal = await fetch(`${url}/api/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'hello' }),
  });
  expect(normal.status).toBe(200);
  expect(((await normal.json()) as { provider: string }).provider).toBe('demo');
});

it('closes only the socket an error escaped from, with 1011, and keeps serving', async () => {
  const { url, child, logLines } = await start();
  const secret = await secretFor(url);
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws/chat?access_token=${secret}`);
  await once(socket, 'open');
  const closed = once(socket, 'close') as Promise<[CloseEvent]>;
  socket.send(JSON.stringify({ type: 'chat', data: { message: 'hello', provider: 'timer' } }));
  const [event] = await closed;
  expect(event.code).toBe(1011);
  await expect
    .poll(() => logLines().find((line) => line.socket === '/ws/chat')?.err?.message)
    .toBe('escaped from a timer');
  expect(child.exitCode).toBeNull();
  const other = new WebSocket(`${url.replace('http', 'ws')}/ws/chat?access_token=${secret}`);
  const [first] = (await once(other, 'message')) as [MessageEvent<string>];
  expect(JSON.parse(first.data).type).toBe('session_start');
  other.close();
});
