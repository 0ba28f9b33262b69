import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogEntry, LogList, ObservabilityMetrics, Trace } from '@cartrita/contracts';
import { spanAttributes } from '@cartrita/engine';
import { describe, expect, it, onTestFinished } from 'vitest';
import { postgresWorkerDatabaseUrl } from '../../tests/engines.js';
import { createTestPostgresSchema } from '../../tests/postgres.js';
import { parsePrometheusText, sampleValue } from '../../tests/prometheus-text.js';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { openStorage } from '../src/storage/index.js';
import type { TestServer } from '../src/testing.js';
import { useServer } from './helpers.js';

const auth = (server: Pick<TestServer, 'apiKey'>) => ({ authorization: `Bearer ${server.apiKey}` });

const postLog = (server: TestServer, body: unknown) =>
  fetch(`${server.url}/api/observability/logs`, {
    method: 'POST',
    headers: { ...auth(server), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const getJson = async <T>(server: TestServer, path: string, schema: { parse(value: unknown): T }) => {
  const response = await fetch(`${server.url}${path}`, { headers: auth(server) });
  expect(response.status, `GET ${path}`).toBe(200);
  return schema.parse(await response.json());
};

describe('traces', () => {
  it("answers a request's trace id in X-Trace-Id and reads its span back by that id", async () => {
    const server = await useServer();
    const response = await postLog(server, { level: 'info', message: 'User action completed' });
    expect(response.status).toBe(201);
    const traceId = response.headers.get('x-trace-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const log = LogEntry.parse(await response.json());
    expect(log.trace_id).toBe(traceId);
    const trace = await getJson(server, `/api/observability/traces/${traceId}`, Trace);
    expect(trace).toEqual({
      trace_id: traceId,
      spans: [
        {
          span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
          name: 'POST /api/observability/logs',
          start_time: expect.any(String),
          end_time: expect.any(String),
          attributes: {
            'cartrita.kind': 'request',
            'cartrita.request_id': response.headers.get('x-request-id'),
            'cartrita.route_id': 'observability.logs.create',
            'http.request.method': 'POST',
            'http.route': '/api/observability/logs',
            'http.response.status_code': 201,
          },
          status: { code: 'unset' },
        },
      ],
    });
    expect(Date.parse(trace.spans[0]?.end_time ?? '')).toBeGreaterThanOrEqual(
      Date.parse(trace.spans[0]?.start_time ?? ''),
    );
  });

  it('names a refused request after its route, and records no span for health checks', async () => {
    const server = await useServer();
    const refused = await fetch(`${server.url}/api/observability/metrics`);
    expect(refused.status).toBe(401);
    const refusedTrace = await getJson(
      server,
      `/api/observability/traces/${refused.headers.get('x-trace-id')}`,
      Trace,
    );
    expect(
      refusedTrace.spans.map((span) => [span.name, span.attributes['http.response.status_code']]),
    ).toEqual([['GET /api/observability/metrics', 401]]);
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-trace-id')).toBeNull();
  });

  it('nests the spans the engine records under the active one, across awaits, and reads the tree back', async () => {
    const server = await useServer();
    const { telemetry } = server.running.context.engine;
    const session = { [spanAttributes.sessionId]: 'sess_tree' };
    const traceId = await telemetry.span(
      'command DummyEngineCommand',
      { [spanAttributes.kind]: 'command', ...session },
      async (command) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        await telemetry.span(
          'engine DummyEngine',
          { [spanAttributes.kind]: 'engine', ...session },
          async () => {
            await Promise.resolve();
            await telemetry
              .span('tool get_weather', { [spanAttributes.kind]: 'tool', ...session }, async () => {
                throw new Error('no weather today');
              })
              .catch(() => {});
          },
        );
        command.setAttributes({ [spanAttributes.status]: 'completed' });
        return command.traceId;
      },
    );
    const trace = await getJson(server, `/api/observability/traces/${traceId}`, Trace);
    expect(trace.spans.map((span) => span.name)).toEqual([
      'command DummyEngineCommand',
      'engine DummyEngine',
      'tool get_weather',
    ]);
    const [command, engine, tool] = trace.spans;
    expect(command?.parent_span_id).toBeUndefined();
    expect(engine?.parent_span_id).toBe(command?.span_id);
    expect(tool?.parent_span_id).toBe(engine?.span_id);
    expect(tool?.status).toEqual({ code: 'error', message: 'no weather today' });
    expect(command?.attributes).toEqual({
      'cartrita.kind': 'command',
      'cartrita.session_id': 'sess_tree',
      'cartrita.status': 'completed',
    });
  });

  it('answers 404 NOT_FOUND for an unknown trace', async () => {
    const server = await useServer();
    const unknown = 'f'.repeat(32);
    const response = await fetch(`${server.url}/api/observability/traces/${unknown}`, {
      headers: auth(server),
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'NOT_FOUND', message: `Trace ${unknown} does not exist` });
  });

  it('records no span and sends no X-Trace-Id with tracing off', async () => {
    const server = await useServer({ env: { ENABLE_TRACING: 'false' } });
    const response = await postLog(server, { level: 'warn', message: 'untraced' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-trace-id')).toBeNull();
    expect(LogEntry.parse(await response.json()).trace_id).toBeUndefined();
    const traceId = await server.running.context.engine.telemetry.span(
      'command X',
      {},
      async (span) => span.traceId,
    );
    expect(traceId).toBe('');
  });
});

describe('logs', () => {
  it('filters by level and above and by session, newest first, up to the limit, counting every match', async () => {
    const server = await useServer();
    const entries = [
      ['debug', 'sess_a'],
      ['info', 'sess_a'],
      ['warn', 'sess_a'],
      ['error', 'sess_a'],
      ['error', 'sess_b'],
      ['info', undefined],
    ] as const;
    for (const [index, [level, session]] of entries.entries()) {
      const response = await postLog(server, {
        level,
        message: `entry ${index}`,
        metadata: { index, dropped: null },
        ...(session ? { session_id: session } : {}),
      });
      expect(response.status).toBe(201);
    }
    const severe = await getJson(server, '/api/observability/logs?level=warn&session_id=sess_a', LogList);
    expect(severe.logs.map((log) => [log.level, log.message, log.session_id, log.metadata])).toEqual([
      ['error', 'entry 3', 'sess_a', { index: 3 }],
      ['warn', 'entry 2', 'sess_a', { index: 2 }],
    ]);
    expect(severe.total).toBe(2);
    const page = await getJson(server, '/api/observability/logs?limit=2', LogList);
    expect(page.logs.map((log) => log.message)).toEqual(['entry 5', 'entry 4']);
    expect(page.total).toBe(6);
    expect(page.logs[0]).not.toHaveProperty('session_id');
  });

  it('refuses a level it does not know and a limit above 1000', async () => {
    const server = await useServer();
    for (const query of ['level=verbose', 'limit=1001', 'limit=0']) {
      const response = await fetch(`${server.url}/api/observability/logs?${query}`, {
        headers: auth(server),
      });
      expect(response.status, query).toBe(422);
    }
    expect((await postLog(server, { level: 'info', message: '' })).status).toBe(422);
  });

  it('stores the entries the engine logs, with the trace they were logged in', async () => {
    const server = await useServer();
    const { telemetry } = server.running.context.engine;
    const traceId = await telemetry.span('command Echo', {}, async (span) => {
      telemetry.log({
        level: 'error',
        message: 'Command failed',
        session_id: 'sess_e',
        metadata: { code: 7 },
      });
      return span.traceId;
    });
    const { logs } = await getJson(server, '/api/observability/logs?session_id=sess_e', LogList);
    expect(logs).toEqual([
      {
        log_id: expect.stringMatching(/^log_[0-9a-f]{16}$/),
        level: 'error',
        message: 'Command failed',
        metadata: { code: 7 },
        session_id: 'sess_e',
        trace_id: traceId,
        timestamp: expect.any(String),
      },
    ]);
  });
});

describe('metrics', () => {
  it("counts a session's commands, engine and tool calls, tokens, sandbox time and logs", async () => {
    const server = await useServer();
    const { telemetry } = server.running.context.engine;
    const session = { [spanAttributes.sessionId]: 'sess_m' };
    for (const status of ['completed', 'completed', 'failed', 'timeout']) {
      await telemetry.span(
        'command DummyEngineCommand',
        { [spanAttributes.kind]: 'command', ...session },
        async (span) => {
          span.setAttributes({ [spanAttributes.status]: status });
        },
      );
    }
    await telemetry.span(
      'engine DummyEngine',
      {
        [spanAttributes.kind]: 'engine',
        ...session,
        [spanAttributes.inputTokens]: 11,
        [spanAttributes.outputTokens]: 42,
      },
      async () => {},
    );
    await telemetry.span(
      'tool get_weather',
      {
        [spanAttributes.kind]: 'tool',
        ...session,
        [spanAttributes.status]: 'failed',
        [spanAttributes.sandboxMs]: 2.5,
      },
      async () => {},
    );
    await telemetry.span(
      'command Other',
      { [spanAttributes.kind]: 'command', [spanAttributes.sessionId]: 'sess_other' },
      async () => {},
    );
    await postLog(server, { level: 'warn', message: 'slow', session_id: 'sess_m' });
    const figures = await getJson(
      server,
      '/api/observability/metrics?session_id=sess_m',
      ObservabilityMetrics,
    );
    expect(figures).toMatchObject({
      session_id: 'sess_m',
      commands: { queued: 0, executing: 0, completed: 2, failed: 1, timeout: 1, cancelled: 0 },
      engine_calls: { total: 1, failed: 0 },
      tokens: { input: 11, output: 42 },
      tool_calls: { total: 1, failed: 1 },
      provider_calls: { total: 0, failed: 0 },
      sandbox_ms: 2.5,
      logs: { debug: 0, info: 0, warn: 1, error: 0 },
    });
    const { p50, p95, p99 } = figures.command_latency_ms;
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(p99);
    const overall = await getJson(server, '/api/observability/metrics', ObservabilityMetrics);
    expect(overall.session_id).toBeUndefined();
    expect(overall.commands.completed).toBe(3);
  });
});

describe('GET /metrics', () => {
  it('answers Prometheus text with the runtime metrics, the HTTP requests and the engine counters', async () => {
    const server = await useServer();
    await postLog(server, { level: 'info', message: 'counted' });
    const { telemetry } = server.running.context.engine;
    telemetry.count('cartrita_commands_total', { status: 'completed' });
    telemetry.count('cartrita_tokens_total', { direction: 'input' }, 12);
    telemetry.observe('cartrita_command_duration_seconds', 0.2, { status: 'completed', ignored: 'x' });
    const response = await fetch(`${server.url}/metrics`, { headers: auth(server) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('x-trace-id')).toBeNull();
    const families = parsePrometheusText(await response.text());
    expect(families.get('cartrita_commands_total')?.type).toBe('counter');
    expect(families.get('cartrita_command_duration_seconds')?.type).toBe('histogram');
    expect(sampleValue(families, 'cartrita_commands_total', { status: 'completed' })).toBe(1);
    expect(sampleValue(families, 'cartrita_tokens_total', { direction: 'input' })).toBe(12);
    expect(sampleValue(families, 'cartrita_command_duration_seconds_count', { status: 'completed' })).toBe(1);
    expect(sampleValue(families, 'cartrita_logs_total', { level: 'info' })).toBe(1);
    expect(
      sampleValue(families, 'cartrita_http_requests_total', {
        method: 'POST',
        route: 'observability.logs.create',
        status: '201',
      }),
    ).toBe(1);
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
    for (const name of [
      'cartrita_tool_calls_total',
      'cartrita_events_published_total',
      'cartrita_sandbox_seconds',
    ]) {
      expect(families.has(name), name).toBe(true);
    }
  });

  it('needs the observability scope, and answers 404 when metrics are off', async () => {
    const key = `ck_chat_${randomBytes(12).toString('hex')}`;
    const server = await useServer({ env: { API_KEYS: `chatter:chat:${key}` } });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${key}` } })).status,
    ).toBe(403);
    const off = await useServer({ env: { ENABLE_METRICS: 'false' } });
    const response = await fetch(`${off.url}/metrics`, { headers: auth(off) });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});

describe('the log lines', () => {
  it('carry the trace id of the request they were logged in', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cartrita-log-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'server.log');
    const server = await startTestServerWithLog(file);
    const response = await postLog(server, { level: 'info', message: 'logged' });
    const traceId = response.headers.get('x-trace-id');
    await server.close();
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; trace_id?: string; req?: { id?: string } });
    const completed = lines.find(
      (line) => line.msg === 'request completed' && line.req?.id === response.headers.get('x-request-id'),
    );
    expect(completed?.trace_id).toBe(traceId);
    expect(lines.find((line) => line.msg.startsWith('Cartrita'))?.trace_id).toBeUndefined();
  });
});

const startTestServerWithLog = async (file: string) => {
  const { startTestServer } = await import('../src/testing.js');
  return startTestServer({ env: { LOG_LEVEL: 'info', LOG_FILE: file } });
};

describe('storage', () => {
  it('writes every span on a clean stop, and purges what is older than the retention at start-up', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cartrita-obs-'));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const env = { API_HOST: '127.0.0.1', API_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    const first = await startServer(loadConfig({ env }), { guardProcess: false });
    const traceId = await first.context.engine.telemetry.span(
      'command Kept',
      {},
      async (span) => span.traceId,
    );
    await first.close(100);

    const storage = await openStorage({ url: `sqlite:///${join(dataDir, 'cartrita.db')}`, dataDir });
    expect((await storage.store.spans.trace(traceId)).map((span) => span.name)).toEqual(['command Kept']);
    const old = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000).toISOString();
    await storage.store.logs.append({
      log_id: 'log_old',
      level: 'info',
      message: 'old',
      metadata: {},
      timestamp: old,
    });
    await storage.store.logs.append({
      log_id: 'log_new',
      level: 'info',
      message: 'new',
      metadata: {},
      timestamp: new Date().toISOString(),
    });
    await storage.close();

    const second = await startServer(loadConfig({ env: { ...env, OBSERVABILITY_RETENTION_DAYS: '2' } }), {
      guardProcess: false,
    });
    onTestFinished(() => second.close(100));
    const { logs } = await second.context.engine.observability.listLogs({ limit: 10 });
    expect(logs.map((log) => log.message)).toEqual(['new']);
  });

  it('answers alike from two instances over one PostgreSQL database', async () => {
    const schema = await createTestPostgresSchema(await postgresWorkerDatabaseUrl());
    onTestFinished(() => schema.drop());
    const a = await useServer({ env: { DATABASE_URL: schema.url } });
    const b = await useServer({ env: { DATABASE_URL: schema.url } });
    const response = await postLog(a, { level: 'error', message: 'from a', session_id: 'sess_two' });
    const traceId = response.headers.get('x-trace-id') as string;
    const [fromA, fromB] = await Promise.all(
      [a, b].map((server) =>
        getJson(server, '/api/observability/metrics?session_id=sess_two', ObservabilityMetrics),
      ),
    );
    expect({ ...fromB, timestamp: '' }).toEqual({ ...fromA, timestamp: '' });
    expect(fromB?.logs.error).toBe(1);
    // B reads A's spans once A's batch is written (within a second; A does not know B is reading).
    await expect
      .poll(
        async () =>
          (await fetch(`${b.url}/api/observability/traces/${traceId}`, { headers: auth(b) })).status,
        {
          timeout: 10_000,
          interval: 100,
        },
      )
      .toBe(200);
  });
});
