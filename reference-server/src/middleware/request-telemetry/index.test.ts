import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { createTraceContext } from '../../telemetry/trace-context.js';
import { requestId } from '../request-id/index.js';
import { requestLog } from '../request-log/index.js';
import { type AnsweredRequest, requestTelemetry, routeTelemetry, traceIdOf } from './index.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

const serve = async (app: express.Express): Promise<string> => {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const route = { id: 'things.get', method: 'GET', path: '/things/{thing_id}' } as const;

const tracedApp = (options: { tracing?: boolean; skip?: string } = {}) => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const traces = createTraceContext();
  const answered: AnsweredRequest[] = [];
  const app = express();
  app.use(requestId());
  app.use(
    requestTelemetry({
      ...(options.tracing === false ? {} : { tracer: provider.getTracer('test'), context: traces }),
      onResponse: (request) => answered.push(request),
      skip: (req) => req.path === options.skip,
    }),
  );
  app.get('/things/:thing_id', routeTelemetry(route), async (_req, res) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    // A span started after an await, from the active context: the request's span is its parent.
    provider.getTracer('test').startSpan('child', {}, traces.active()).end();
    res.json({ traceId: traces.traceId() ?? null });
  });
  app.get('/broken', routeTelemetry({ id: 'broken.get', method: 'GET', path: '/broken' }), (_req, res) => {
    res.status(503).json({});
  });
  return { app, exporter, answered };
};

it('makes the request a span named after its route, answered in X-Trace-Id, with its children', async () => {
  const { app, exporter, answered } = tracedApp();
  const url = await serve(app);
  const response = await fetch(`${url}/things/t1`);
  const traceId = response.headers.get('x-trace-id');
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(await response.json()).toEqual({ traceId });
  await expect.poll(() => exporter.getFinishedSpans().length).toBe(2);
  const [child, request] = exporter.getFinishedSpans();
  expect(request?.name).toBe('GET /things/{thing_id}');
  expect(request?.spanContext().traceId).toBe(traceId);
  expect(request?.attributes).toEqual({
    'cartrita.kind': 'request',
    'cartrita.request_id': response.headers.get('x-request-id'),
    'cartrita.route_id': 'things.get',
    'http.request.method': 'GET',
    'http.route': '/things/{thing_id}',
    'http.response.status_code': 200,
  });
  expect(child?.name).toBe('child');
  expect(child?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
  expect(answered).toEqual([
    { method: 'GET', route: 'things.get', status: 200, seconds: expect.any(Number) },
  ]);
});

it('marks a span failed on a 5xx, and names a request outside the table by its method', async () => {
  const { app, exporter, answered } = tracedApp();
  const url = await serve(app);
  expect((await fetch(`${url}/broken`)).status).toBe(503);
  expect((await fetch(`${url}/nowhere`)).status).toBe(404);
  await expect.poll(() => exporter.getFinishedSpans().length).toBe(2);
  const [broken, nowhere] = exporter.getFinishedSpans();
  expect(broken?.status).toEqual({ code: 2, message: 'Answered 503' });
  expect(nowhere?.name).toBe('GET');
  expect(nowhere?.attributes['http.route']).toBeUndefined();
  expect(answered.map((request) => [request.route, request.status])).toEqual([
    ['broken.get', 503],
    ['other', 404],
  ]);
});

it('records no span for a skipped request, or without a tracer, and still counts it', async () => {
  const skipped = tracedApp({ skip: '/things/t2' });
  const url = await serve(skipped.app);
  const response = await fetch(`${url}/things/t2`);
  expect(response.headers.get('x-trace-id')).toBeNull();
  expect(await response.json()).toEqual({ traceId: null });
  const untraced = tracedApp({ tracing: false });
  const other = await serve(untraced.app);
  expect((await fetch(`${other}/things/t3`)).headers.get('x-trace-id')).toBeNull();
  expect(skipped.exporter.getFinishedSpans().filter((span) => span.name !== 'child')).toEqual([]);
  expect([...skipped.answered, ...untraced.answered].map((request) => request.route)).toEqual([
    'things.get',
    'things.get',
  ]);
});

it('checks its options when called', () => {
  const tracer = new TracerProvider().getTracer('test');
  expect(() => requestTelemetry({ tracer })).toThrow('requestTelemetry: a tracer needs its context');
  expect(() => requestTelemetry({ header: 'X Trace' })).toThrow(
    'requestTelemetry: invalid header name "X Trace"',
  );
});

it("gives a request's log line its trace id, and none to an untraced request", async () => {
  const lines: Record<string, unknown>[] = [];
  const logger = { info: (fields: Record<string, unknown>) => lines.push(fields), warn: () => {} };
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
  });
  const app = express();
  app.use(requestId());
  app.use(
    requestTelemetry({
      tracer: provider.getTracer('test'),
      context: createTraceContext(),
      skip: (req) => req.path === '/untraced',
    }),
  );
  app.use(requestLog({ logger: logger as never }));
  app.get(['/traced', '/untraced'], (_req, res) => {
    res.json({ traceId: traceIdOf(res) ?? null });
  });
  const url = await serve(app);
  const traced = await fetch(`${url}/traced`);
  const traceId = traced.headers.get('x-trace-id');
  expect(await traced.json()).toEqual({ traceId });
  const untraced = await fetch(`${url}/untraced`);
  expect(await untraced.json()).toEqual({ traceId: null });
  await expect.poll(() => lines.length).toBe(2);
  expect(lines.map((line) => line.trace_id)).toEqual([traceId, undefined]);
});
