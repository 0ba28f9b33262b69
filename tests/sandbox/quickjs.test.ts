import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxHost } from '@cartrita/engine';
import { createQuickJsSandbox } from '@cartrita/engine/quickjs';
import { afterAll, describe, expect, it } from 'vitest';
import { attacks, deadlineOf, inspect, pollute, pollutingResult } from './attacks.js';

// QuickJS in this thread, as the mocks and browsers run it: the same limits as the server's workers.

const sandbox = createQuickJsSandbox();
afterAll(() => sandbox.close());

const recorder = () => {
  const seen: unknown[][] = [];
  const host: SandboxHost = {
    emit: (eventType, data) => {
      seen.push(['emit', eventType, data]);
    },
    log: (level, message, data) => {
      seen.push(['log', level, message, ...(data === undefined ? [] : [data])]);
    },
  };
  return { seen, host };
};

describe('createQuickJsSandbox', () => {
  it('calls one function with its input and answers its JSON result', async () => {
    const result = await sandbox.run({
      code: 'async function get_weather({ location }) { return { location, forecast: "sunny", at: [1, 2] }; }',
      input: { location: 'Melbourne' },
    });
    expect(result).toMatchObject({
      ok: true,
      value: { location: 'Melbourne', forecast: 'sunny', at: [1, 2] },
    });
  });

  it('takes arrow functions, expressions and a trailing semicolon; undefined comes back as null', async () => {
    const answers = await Promise.all(
      ['(n) => n * 2', 'function (n) { return n + 1 };', 'async (n) => { await null; }'].map(async (code) => {
        const result = await sandbox.run({ code, input: 20 });
        return result.ok ? result.value : result.error;
      }),
    );
    expect(answers).toEqual([40, 21, null]);
  });

  it('hands emit and log (and console) to the host, waiting for emit', async () => {
    const { seen, host } = recorder();
    const result = await sandbox.run({
      code: `async function handle(event) {
        log('info', 'placing', { order: event.order });
        console.warn('careful', 2);
        await emit('OrderConfirmed', { order: event.order });
        return 'ok';
      }`,
      input: { order: 7 },
      host,
    });
    expect(result).toMatchObject({ ok: true, value: 'ok' });
    expect(seen).toEqual([
      ['log', 'info', 'placing', { order: 7 }],
      ['log', 'warn', 'careful 2'],
      ['emit', 'OrderConfirmed', { order: 7 }],
    ]);
  });

  it('rejects emit in the code when the host refuses the event', async () => {
    const result = await sandbox.run({
      code: 'async function go() { try { await emit("bad type!", 1); } catch (error) { return error.message; } }',
      input: null,
      host: {
        emit: () => {
          throw new TypeError('eventType must be a type name');
        },
      },
    });
    expect(result).toMatchObject({ ok: true, value: 'eventType must be a type name' });
  });

  it('runs timers within the deadline', async () => {
    const result = await sandbox.run({
      code: 'async function wait() { const order = []; setTimeout(() => order.push("b"), 20); const id = setTimeout(() => order.push("never"), 10); clearTimeout(id); order.push("a"); await new Promise((r) => setTimeout(r, 40)); return order; }',
      input: null,
    });
    expect(result).toMatchObject({ ok: true, value: ['a', 'b'] });
  });

  it('answers a thrown error as a runtime failure with its name and message', async () => {
    const result = await sandbox.run({
      code: 'async () => { throw new RangeError("no forecast today"); }',
      input: null,
    });
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'runtime', message: 'RangeError: no forecast today' },
    });
  });

  it('fetches only from allowlisted hosts, and only over http(s)', async () => {
    const code =
      'async (url) => { try { return (await fetch(url)).status; } catch (error) { return error.message; } }';
    const host = { fetchAllowlist: ['api.example.test'] };
    const answers = await Promise.all(
      ['https://evil.example.test/', 'file:///etc/passwd', 'not a url'].map(async (input) => {
        const result = await sandbox.run({ code, input, host });
        return result.ok ? result.value : result.error;
      }),
    );
    expect(answers).toEqual([
      "fetch: evil.example.test is not on this server's fetch allowlist",
      'fetch: only http and https URLs may be fetched, not file:',
      'fetch: "not a url" is not an absolute URL',
    ]);
  });

  it('fetches from an allowlisted host, sending the method, headers and body, following no redirect', async () => {
    const seen: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        seen.push([req.method, req.url, req.headers['x-trace'], body]);
        if (req.url === '/moved') {
          res.writeHead(302, { location: 'http://elsewhere.test/' }).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ echoed: body }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const result = await sandbox.run({
        code: `async (base) => {
          const answer = await fetch(base + '/orders', { method: 'POST', headers: { 'x-trace': 't1' }, body: 'hello' });
          const moved = await fetch(base + '/moved');
          return { status: answer.status, ok: answer.ok, type: answer.headers.get('Content-Type'), body: await answer.json(), moved: moved.status };
        }`,
        input: `http://127.0.0.1:${port}`,
        host: { fetchAllowlist: [`127.0.0.1:${port}`] },
      });
      expect(result).toMatchObject({
        ok: true,
        value: { status: 200, ok: true, type: 'application/json', body: { echoed: 'hello' }, moved: 302 },
      });
      expect(seen).toEqual([
        ['POST', '/orders', 't1', 'hello'],
        ['GET', '/moved', undefined, ''],
      ]);
    } finally {
      server.close();
    }
  });

  describe('checks code before it is stored', () => {
    it.each([
      ['the seed’s Python', 'async def get_weather(location: str): ...', 'not_javascript', 'reads as Python'],
      [
        'Python with a body',
        'def handle(command):\n    return {"ok": True}',
        'not_javascript',
        'reads as Python',
      ],
      ['two functions', 'function a() {}\nfunction b() {}', 'syntax', 'more than one statement'],
      ['broken JavaScript', 'function (', 'syntax', 'SyntaxError'],
      ['a number', '42', 'syntax', 'is a number, not a function'],
      ['code that throws', 'missing()', 'syntax', "ReferenceError: 'missing' is not defined"],
    ])('refuses %s', async (_name, code, kind, message) => {
      const failure = await sandbox.check(code);
      expect(failure?.kind).toBe(kind);
      expect(failure?.message).toContain(message);
    });

    it('accepts one function', async () => {
      expect(
        await sandbox.check('async function get_weather({ location }) { return location; };'),
      ).toBeUndefined();
    });
  });

  describe('ends every attack with a clear failure and keeps working', () => {
    it.each(attacks.map((attack) => [attack.name, attack] as const))('%s', async (_name, attack) => {
      const { seen, host } = recorder();
      const result = await sandbox.run({
        code: attack.code,
        input: { depth: 1 },
        timeoutMs: deadlineOf(attack),
        host,
      });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.kind).toBe(attack.kind);
      expect(result.error.message).toMatch(attack.message);
      const after = await sandbox.run({ code: '(n) => n + 1', input: 1 });
      expect(after).toMatchObject({ ok: true, value: 2 });
      expect(seen.filter(([what]) => what === 'emit').length).toBeLessThanOrEqual(100);
    });
  });

  it('stops timers when the call ends: one set to fire after the deadline never does', async () => {
    const { seen, host } = recorder();
    const result = await sandbox.run({
      code: 'async function late() { setTimeout(() => emit("Late", {}), 150); return "returned"; }',
      input: null,
      host,
    });
    expect(result).toMatchObject({ ok: true, value: 'returned' });
    // A call that outlasts the timer's moment: had the timer survived, Late would be emitted by now.
    await sandbox.run({ code: 'async () => new Promise((r) => setTimeout(r, 300))', input: null });
    expect(seen).toEqual([]);
  });

  it('leaks nothing from one call to the next', async () => {
    expect(await sandbox.run({ code: pollute, input: null })).toMatchObject({ ok: true, value: 'done' });
    expect(await sandbox.run({ code: inspect, input: null })).toMatchObject({
      ok: true,
      value: { leaked: 'undefined', polluted: null, mapped: [2, 4] },
    });
  });

  it('hands back no __proto__ key that could pollute the host when merged', async () => {
    const result = await sandbox.run({ code: pollutingResult, input: null });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const merged = Object.assign({}, result.value);
    expect(Object.keys(result.value as object)).toEqual(['constructor', 'ok']);
    expect((merged as { pollutedHost?: unknown }).pollutedHost).toBeUndefined();
    expect(({} as { pollutedHost?: unknown }).pollutedHost).toBeUndefined();
  });

  it('serves owners in turn: one session’s flood does not hold back another’s call', async () => {
    const flooding = createQuickJsSandbox({ concurrency: 1 });
    const finished: string[] = [];
    const call = (owner: string) =>
      flooding
        .run({ code: 'async () => new Promise((r) => setTimeout(r, 5))', input: null, owner })
        .then(() => finished.push(owner));
    const flood = Array.from({ length: 10 }, () => call('flood'));
    const other = call('other');
    await Promise.all([...flood, other]);
    // Behind the flood's call that was running and at most one more of it, not behind all ten.
    expect(finished.indexOf('other')).toBeLessThanOrEqual(2);
    await flooding.close();
  });

  it('refuses calls past its queue limits as busy', async () => {
    const small = createQuickJsSandbox({ concurrency: 1, queueLimit: 3, queueLimitPerOwner: 2 });
    const results = await Promise.all(
      ['a', 'a', 'a', 'a', 'b', 'c'].map((owner) => small.run({ code: '() => 1', input: null, owner })),
    );
    // The first call runs at once; two more of `a` wait, then `b`; a fourth of `a` and then `c` are refused.
    expect(results.map((result) => (result.ok ? 'ok' : result.error.kind))).toEqual([
      'ok',
      'ok',
      'ok',
      'busy',
      'ok',
      'busy',
    ]);
    expect(small.stats()).toMatchObject({ calls: 4, queued: 0, busy: 0 });
    await small.close();
  });
});
