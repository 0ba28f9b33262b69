import { LogEntry, Trace } from '@cartrita/contracts';
import { spanAttributes } from '@cartrita/engine';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from '../../../tests/prometheus-text.js';
import { createHandlers, mockRoute } from './handlers.js';
import { asyncSpanContext, setupCartritaServer } from './node.js';
import { createStore } from './state.js';

const key = 'observer-key-0123456789';
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

describe('in Node, where the span follows every await', () => {
  const server = setupCartritaServer({
    store: createStore({
      baseURL: 'http://obs.test',
      apiKeys: [{ key, scopes: ['observability'] }],
      spanContext: asyncSpanContext(),
    }),
  });
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  beforeEach(() => server.reset());
  afterAll(() => server.close());

  it("answers a request's trace id, and reads its span back as the server records it", async () => {
    const response = await fetch('http://obs.test/api/observability/logs', {
      method: 'POST',
      headers,
      body: JSON.stringify({ level: 'info', message: 'hello', metadata: { kept: 1, dropped: null } }),
    });
    expect(response.status).toBe(201);
    const traceId = response.headers.get('x-trace-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const log = LogEntry.parse(await response.json());
    expect(log).toMatchObject({ trace_id: traceId, metadata: { kept: 1 } });
    const trace = Trace.parse(
      await (await fetch(`http://obs.test/api/observability/traces/${traceId}`, { headers })).json(),
    );
    expect(trace.spans).toEqual([
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
    ]);
  });

  it('nests what a mock records under its request span, after awaits too', async () => {
    const { store } = server;
    server.use(
      mockRoute(
        'observability.metrics.get',
        async ({ json, query }) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          await store.engine.telemetry.span(
            'command Echo',
            { [spanAttributes.kind]: 'command' },
            async () => {
              await Promise.resolve();
              await store.engine.telemetry.span(
                'engine Dummy',
                { [spanAttributes.kind]: 'engine' },
                async () => {},
              );
            },
          );
          return json(await store.engine.observability.metrics(query));
        },
        { store },
      ),
    );
    const response = await fetch('http://obs.test/api/observability/metrics', { headers });
    const figures = (await response.json()) as {
      commands: { completed: number };
      engine_calls: { total: number };
    };
    expect(figures.commands.completed).toBe(1);
    expect(figures.engine_calls.total).toBe(1);
    const trace = await store.engine.observability.trace(response.headers.get('x-trace-id') as string);
    const [request, command, engine] = trace.spans;
    expect(trace.spans.map((span) => span.name)).toEqual([
      'GET /api/observability/metrics',
      'command Echo',
      'engine Dummy',
    ]);
    expect(command?.parent_span_id).toBe(request?.span_id);
    expect(engine?.parent_span_id).toBe(command?.span_id);
  });

  it('refuses a credential without the observability scope, in a span of its own', async () => {
    const response = await fetch('http://obs.test/api/observability/logs');
    expect(response.status).toBe(401);
    const trace = await server.store.engine.observability.trace(response.headers.get('x-trace-id') as string);
    expect(trace.spans[0]?.attributes['http.response.status_code']).toBe(401);
  });

  it('answers the counters it recorded in the Prometheus text format, and no span for the scrape', async () => {
    await fetch('http://obs.test/api/observability/logs?level=warn', { headers });
    server.store.engine.telemetry.count('cartrita_tool_calls_total', { status: 'failed' });
    const response = await fetch('http://obs.test/metrics', { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('x-trace-id')).toBeNull();
    const families = parsePrometheusText(await response.text());
    expect(
      sampleValue(families, 'cartrita_http_requests_total', {
        method: 'GET',
        route: 'observability.logs.list',
        status: '200',
      }),
    ).toBe(1);
    expect(sampleValue(families, 'cartrita_tool_calls_total', { status: 'failed' })).toBe(1);
    expect(families.get('cartrita_http_request_duration_seconds')?.type).toBe('histogram');
  });
});

describe('where the span follows synchronous calls only (browsers)', () => {
  const store = createStore({ baseURL: 'http://sync.test', apiKeys: [key] });
  const server = setupServer(...createHandlers({ store }));
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(() => server.close());

  it('still gives a stored log entry its request trace id', async () => {
    const response = await fetch('http://sync.test/api/observability/logs', {
      method: 'POST',
      headers,
      body: JSON.stringify({ level: 'warn', message: 'from a page' }),
    });
    expect(LogEntry.parse(await response.json()).trace_id).toBe(response.headers.get('x-trace-id'));
  });
});
