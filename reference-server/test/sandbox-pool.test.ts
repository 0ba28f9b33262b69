import type { Sandbox, SandboxHost } from '@cartrita/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attacks, deadlineOf, inspect, pollute } from '../../tests/sandbox/attacks.js';
import { createSandboxPool } from '../src/sandbox/index.js';
import { startTestServer, type TestServer } from '../src/testing.js';

// The server's sandbox: QuickJS in worker threads (the built worker, so run after `pnpm build`).

describe('createSandboxPool', () => {
  let pool: Sandbox;
  beforeAll(() => {
    pool = createSandboxPool({ workers: 2 });
  });
  afterAll(() => pool.close());

  it('runs a call in a worker, carrying emit and log across the thread', async () => {
    const seen: unknown[][] = [];
    const host: SandboxHost = {
      emit: async (eventType, data) => {
        seen.push(['emit', eventType, data]);
      },
      log: (level, message, data) => {
        seen.push(['log', level, message, data]);
      },
    };
    const result = await pool.run({
      code: `async function handle(command) {
        log('info', 'greeting', { name: command.name });
        await emit('Greeted', { name: command.name });
        return 'Hello, ' + command.name;
      }`,
      input: { name: 'Ada' },
      host,
      owner: 'sess_a',
    });
    expect(result).toMatchObject({ ok: true, value: 'Hello, Ada' });
    expect(seen).toEqual([
      ['log', 'info', 'greeting', { name: 'Ada' }],
      ['emit', 'Greeted', { name: 'Ada' }],
    ]);
  });

  it('answers an emit the host refuses as an error inside the code', async () => {
    const result = await pool.run({
      code: 'async () => { try { await emit("Nope", {}); return "sent"; } catch (error) { return error.message; } }',
      input: null,
      host: {
        emit: () => {
          throw new Error('the session is gone');
        },
      },
    });
    expect(result).toMatchObject({ ok: true, value: 'the session is gone' });
  });

  it('checks code in a worker, telling Python from JavaScript', async () => {
    expect(await pool.check('async def get_weather(location: str): ...')).toMatchObject({
      kind: 'not_javascript',
    });
    expect(await pool.check('(args) => args')).toBeUndefined();
  });

  it('ends every attack with a clear failure, and the pool keeps serving', async () => {
    const outcomes = [];
    for (const attack of attacks) {
      const result = await pool.run({
        code: attack.code,
        input: { depth: 1 },
        timeoutMs: deadlineOf(attack),
        host: { emit: () => {}, log: () => {} },
      });
      outcomes.push({
        name: attack.name,
        kind: result.ok ? 'ok' : result.error.kind,
        matches: !result.ok && new RegExp(attack.message).test(result.error.message),
      });
    }
    expect(outcomes).toEqual(
      attacks.map((attack) => ({ name: attack.name, kind: attack.kind, matches: true })),
    );
    expect(await pool.run({ code: '(n) => n + 1', input: 1 })).toMatchObject({ ok: true, value: 2 });
  }, 60_000);

  it('leaks nothing from one call to the next in the same worker', async () => {
    const single = createSandboxPool({ workers: 1 });
    expect(await single.run({ code: pollute, input: null })).toMatchObject({ ok: true, value: 'done' });
    expect(await single.run({ code: inspect, input: null })).toMatchObject({
      ok: true,
      value: { leaked: 'undefined', polluted: null, mapped: [2, 4] },
    });
    await single.close();
  });

  it('serves sessions in turn: a flood from one does not hold back another', async () => {
    const single = createSandboxPool({ workers: 1 });
    const finished: string[] = [];
    const call = (owner: string) =>
      single
        .run({ code: 'async () => new Promise((r) => setTimeout(r, 5))', input: null, owner })
        .then(() => finished.push(owner));
    const flood = Array.from({ length: 12 }, () => call('sess_flood'));
    const other = call('sess_other');
    await Promise.all([...flood, other]);
    expect(finished.length).toBe(13);
    expect(finished.indexOf('sess_other')).toBeLessThanOrEqual(2);
    await single.close();
  });

  it('refuses a session’s calls past its share of the queue as busy, and others still get in', async () => {
    const small = createSandboxPool({ workers: 1, queueLimitPerOwner: 3 });
    const results = await Promise.all(
      [...Array.from({ length: 6 }, () => 'sess_flood'), 'sess_other'].map((owner) =>
        small.run({ code: 'async () => new Promise((r) => setTimeout(r, 5))', input: null, owner }),
      ),
    );
    expect(results.map((result) => (result.ok ? 'ok' : result.error.kind))).toEqual([
      'ok',
      'ok',
      'ok',
      'busy',
      'busy',
      'busy',
      'ok',
    ]);
    await small.close();
  });

  it('terminates a worker that has not answered by its hard deadline, and replaces it', async () => {
    // The hard deadline is moved before the soft one, so the worker is still spinning when it comes.
    const strict = createSandboxPool({ workers: 1, hardDeadlineGraceMs: -300 });
    const spun = await strict.run({ code: 'function spin() { for (;;) {} }', input: null, timeoutMs: 600 });
    expect(spun).toMatchObject({
      ok: false,
      error: {
        kind: 'timeout',
        message: 'The code did not finish within 600 ms, and its worker was stopped',
      },
    });
    expect(await strict.run({ code: '() => "still serving"', input: null })).toMatchObject({
      ok: true,
      value: 'still serving',
    });
    expect(strict.stats()).toMatchObject({ workers: 1, busy: 0, queued: 0 });
    await strict.close();
  });

  it('stops a cancelled call: one waiting is dropped, one running has its worker replaced', async () => {
    const single = createSandboxPool({ workers: 1 });
    const spinning = new AbortController();
    const waiting = new AbortController();
    const running = single.run({
      code: 'function spin() { for (;;) {} }',
      input: null,
      timeoutMs: 5000,
      signal: spinning.signal,
    });
    const queued = single.run({ code: '() => "never"', input: null, signal: waiting.signal });
    while (single.stats().busy === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    waiting.abort();
    expect(await queued).toMatchObject({
      ok: false,
      error: { kind: 'cancelled', message: 'The call was cancelled before it ran' },
    });
    spinning.abort();
    expect(await running).toMatchObject({
      ok: false,
      error: {
        kind: 'cancelled',
        message: 'The call was cancelled while it ran, and its worker was stopped',
      },
    });
    // The replacement does not boot at the cancel's moment, but comes on its own, no call needed.
    expect(single.stats()).toMatchObject({ workers: 0, busy: 0, queued: 0 });
    while (single.stats().workers === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(single.stats()).toMatchObject({ workers: 1, busy: 0, queued: 0 });
    expect(await single.run({ code: '() => "still serving"', input: null })).toMatchObject({
      ok: true,
      value: 'still serving',
    });
    const aborted = new AbortController();
    aborted.abort();
    expect(await single.run({ code: '() => 1', input: null, signal: aborted.signal })).toMatchObject({
      ok: false,
      error: { kind: 'cancelled' },
    });
    expect(single.stats()).toMatchObject({ workers: 1, busy: 0, queued: 0 });
    await single.close();
  });

  it('answers the calls still waiting when it closes', async () => {
    const closing = createSandboxPool({ workers: 1 });
    const running = closing.run({ code: 'async () => new Promise((r) => setTimeout(r, 200))', input: null });
    const waiting = closing.run({ code: '() => 1', input: null });
    while (closing.stats().busy === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await closing.close();
    expect([await running, await waiting].map((result) => !result.ok && result.error)).toEqual([
      { kind: 'busy', message: 'The sandbox closed while the call ran' },
      { kind: 'busy', message: 'The sandbox is closed' },
    ]);
    expect(await closing.run({ code: '() => 1', input: null })).toMatchObject({
      ok: false,
      error: { kind: 'busy', message: 'The sandbox is closed' },
    });
  });
});

describe('the server under attack through its tools', () => {
  /**
   * One server per deadline an attack needs (see `deadlineOf`): a tool call's deadline is the
   * server's SANDBOX_TIMEOUT_MS, and the memory bombs get a longer one than the loops.
   */
  const servers = new Map<number, TestServer>();
  beforeAll(async () => {
    for (const deadline of new Set(attacks.map(deadlineOf))) {
      servers.set(deadline, await startTestServer({ env: { SANDBOX_TIMEOUT_MS: String(deadline) } }));
    }
  });
  afterAll(() => Promise.all([...servers.values()].map((server) => server.close())));

  /** A server's API, with a session under attack and another one that must keep working. */
  const setUp = async (server: TestServer) => {
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      });
    const session = await (await api('/api/sessions', { method: 'POST', body: '{}' })).json();
    const other = await (await api('/api/sessions', { method: 'POST', body: '{}' })).json();
    await api(`/api/sessions/${other.session_id}/tools`, {
      method: 'POST',
      body: JSON.stringify({
        name: 'echo',
        parameters: { n: { type: 'number' } },
        function_code: '(args) => args',
      }),
    });
    return { server, api, session, other };
  };

  it('answers each attack with its failure and stays up; the next call of another session works', async () => {
    const targets = new Map<number, Awaited<ReturnType<typeof setUp>>>();
    for (const [deadline, server] of servers) targets.set(deadline, await setUp(server));
    const outcomes = [];
    for (const [index, attack] of attacks.entries()) {
      const { server, api, session, other } = targets.get(deadlineOf(attack)) as Awaited<
        ReturnType<typeof setUp>
      >;
      const name = `attack_${index}`;
      const registered = await api(`/api/sessions/${session.session_id}/tools`, {
        method: 'POST',
        body: JSON.stringify({ name, parameters: { depth: { type: 'number' } }, function_code: attack.code }),
      });
      const call = await api(`/api/sessions/${session.session_id}/tools/${name}/execute`, {
        method: 'POST',
        body: JSON.stringify({ arguments: { depth: 1 } }),
      });
      const body = await call.json();
      const health = await fetch(`${server.url}/api/health`);
      const echo = await api(`/api/sessions/${other.session_id}/tools/echo/execute`, {
        method: 'POST',
        body: JSON.stringify({ arguments: { n: index } }),
      });
      outcomes.push({
        name: attack.name,
        statuses: [registered.status, call.status, health.status, echo.status],
        kind: body.error?.kind,
        matches: new RegExp(attack.message).test(body.error?.message ?? ''),
        echoed: (await echo.json()).result,
      });
    }
    expect(outcomes).toEqual(
      attacks.map((attack, index) => ({
        name: attack.name,
        statuses: [201, 200, 200, 200],
        kind: attack.kind,
        matches: true,
        echoed: { n: index },
      })),
    );
  }, 120_000);
});
