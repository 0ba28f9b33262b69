/**
 * The last line of defence, in a real process: a chat provider that throws from a timer or leaves a
 * promise rejected with nobody awaiting it. The request (or socket) it escaped from is closed, the
 * log names it by request id, and the process serves the next request. Runs the built server
 * (`reference-server/dist`), which the test command builds first, in a child process: an error that
 * escaped for real would end that process, not the test runner.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorEnvelope } from '@cartrita/contracts';
import { afterEach, expect, it } from 'vitest';

const server = fileURLToPath(new URL('../../reference-server/dist/index.js', import.meta.url));

/** The child's program: the server with two faulty providers besides the demo one. */
const program = `
const { loadConfig, startServer } = await import(${JSON.stringify(server)});
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

const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const start = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cartrita-escape-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['--input-type=module', '-e', program], {
    env: {
      PATH: process.env.PATH ?? '',
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      DEMO_PACE_MS: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_AUTHENTICATED_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  child.stderr?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearInterval(poll);
        resolve(match[1] as string);
      }
    }, 20);
    child.once('exit', (code) => {
      clearInterval(poll);
      reject(new Error(`The server exited with ${code}:\n${output}`));
    });
  });
  const logLines = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown> & { err?: { message?: string } });
  return { url, child, logLines };
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
