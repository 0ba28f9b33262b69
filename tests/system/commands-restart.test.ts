/**
 * Commands across a restart of the built server: a command whose handler was running when the
 * process was killed ends `failed` with `SERVER_RESTARTED`, and the commands queued behind it run
 * when the server is back; a shutdown lets a running command finish within its deadline.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startChildServer } from '../child-server.js';

const key = 'restart-admin-key-0123456789';
const env = { API_KEYS: `ops:admin:${key}` };

const api = (url: string) => async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** Reads a command until it reaches one of `statuses` (the server runs it in the background). */
const until = async (
  call: ReturnType<typeof api>,
  path: string,
  statuses: readonly string[],
): Promise<Record<string, unknown>> => {
  for (;;) {
    const { body } = await call('GET', path);
    if (statuses.includes(body.status as string)) return body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const dataDirectory = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cartrita-restart-'));
  onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
  return dataDir;
};

const slowHandler = (ms: number) => ({
  command_type: 'Slow',
  handler_function: `async function slow(command) {
    await new Promise((resolve) => setTimeout(resolve, ${ms}));
    return { slept: ${ms}, tag: command.parameters.tag };
  }`,
});

describe('commands across a restart', () => {
  it('fail the command that was running with SERVER_RESTARTED, and run the queued ones', async () => {
    const dataDir = await dataDirectory();
    const first = await startChildServer({ env, dataDir });
    const call = api(first.url);
    const session = (await call('POST', '/api/sessions', { name: 'restart' })).body.session_id as string;
    expect(
      (await call('POST', `/api/sessions/${session}/handlers/commands`, slowHandler(60_000))).status,
    ).toBe(201);
    const running = (await call('POST', `/api/sessions/${session}/commands`, { command_type: 'Slow' })).body;
    const queued = [];
    for (const prompt of ['first', 'second']) {
      const command = await call('POST', `/api/sessions/${session}/commands`, {
        command_type: 'DummyEngineCommand',
        parameters: { prompt },
      });
      expect(command.body.status).toBe('queued');
      queued.push(command.body.command_id as string);
    }
    await until(call, `/api/sessions/${session}/commands/${running.command_id}`, ['executing']);
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;

    const second = await startChildServer({ env, dataDir });
    const again = api(second.url);
    const ended = await again('GET', `/api/sessions/${session}/commands/${running.command_id}`);
    expect(ended.body).toMatchObject({
      status: 'failed',
      result: null,
      error: { code: 'SERVER_RESTARTED' },
    });
    const results = [];
    for (const id of queued) {
      const done = await until(again, `/api/sessions/${session}/commands/${id}`, ['completed', 'failed']);
      results.push([done.status, done.result]);
    }
    expect(results).toEqual([
      ['completed', { response: 'Processed: first' }],
      ['completed', { response: 'Processed: second' }],
    ]);
    // The handler was stored with the session: registering it again is a conflict.
    const rerun = await again('POST', `/api/sessions/${session}/handlers/commands`, slowHandler(10));
    expect(rerun.status).toBe(409);
  });

  it('let a running command finish within the shutdown deadline, and keep its result', async () => {
    const dataDir = await dataDirectory();
    const server = await startChildServer({ env, dataDir });
    const call = api(server.url);
    const session = (await call('POST', '/api/sessions', {})).body.session_id as string;
    await call('POST', `/api/sessions/${session}/handlers/commands`, slowHandler(400));
    const command = (
      await call('POST', `/api/sessions/${session}/commands`, {
        command_type: 'Slow',
        parameters: { tag: 'kept' },
      })
    ).body;
    await until(call, `/api/sessions/${session}/commands/${command.command_id}`, ['executing']);
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
    const answer = await call('POST', '/api/shutdown', { deadline_seconds: 10 });
    expect(answer).toEqual({
      status: 202,
      body: { status: 'shutting_down', deadline_seconds: 10, executing: 1 },
    });
    expect(await exited).toBe(0);

    const again = await startChildServer({ env, dataDir });
    const kept = await api(again.url)('GET', `/api/sessions/${session}/commands/${command.command_id}`);
    expect(kept.body).toMatchObject({
      status: 'completed',
      result: { slept: 400, tag: 'kept' },
      error: null,
    });
  });
});
