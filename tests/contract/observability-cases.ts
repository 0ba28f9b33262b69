/**
 * @module The contract cases of the observability area: stored log entries, a session's figures,
 * a request's trace read back by id and the Prometheus scrape, on the mocks and on the server alike.
 * Trace and span ids differ between runs; the transcripts number them like every other id.
 */
import { LogEntry, LogList, ObservabilityMetrics, Trace } from '@cartrita/contracts';
import { expect } from 'vitest';
import { parsePrometheusText } from '../prometheus-text.js';
import type { CompareOptions, ContractCase, ContractTarget } from './cases.js';
import { readError, readJson } from './wire.js';

const observe = (target: ContractTarget, path: string, init: RequestInit = {}, options?: CompareOptions) =>
  target.fetch(
    `${target.baseURL}${path}`,
    {
      ...init,
      headers: {
        authorization: `Bearer ${target.observerKey}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    },
    options,
  );

const record = async (target: ContractTarget, body: Record<string, unknown>) => {
  const response = await observe(target, '/api/observability/logs', {
    method: 'POST',
    body: JSON.stringify(body),
  });
  const traceId = response.headers.get('x-trace-id');
  const log = await readJson(response, LogEntry, `${target.name} POST /api/observability/logs`, 201);
  expect(log.trace_id, 'the entry carries the trace id of its request').toBe(traceId);
  return log;
};

/** The cases, in the order they run. */
export const observabilityContractCases: readonly ContractCase[] = [
  {
    name: 'log entries are stored, then listed by level and above and by session, newest first',
    async run(target) {
      for (const [level, session] of [
        ['debug', 'sess_logs'],
        ['warn', 'sess_logs'],
        ['info', undefined],
        ['error', 'sess_logs'],
        ['warn', 'sess_other'],
      ] as const) {
        await record(target, {
          level,
          message: `${level} entry`,
          metadata: { level, nested: { kept: true, dropped: null } },
          ...(session ? { session_id: session } : {}),
        });
      }
      const severe = await readJson(
        await observe(target, '/api/observability/logs?level=warn&session_id=sess_logs'),
        LogList,
        `${target.name} GET /api/observability/logs`,
      );
      expect(severe.logs.map((log) => log.message)).toEqual(['error entry', 'warn entry']);
      expect(severe.total).toBe(2);
      const page = await readJson(
        await observe(target, '/api/observability/logs?limit=2'),
        LogList,
        `${target.name} GET /api/observability/logs?limit=2`,
      );
      expect(page.logs).toHaveLength(2);
      expect(page.total).toBeGreaterThanOrEqual(5);
      await readError(
        await observe(target, '/api/observability/logs?level=verbose&limit=1001'),
        422,
        'VALIDATION_ERROR',
        `${target.name} GET /api/observability/logs with a bad level and limit`,
      );
    },
  },
  {
    name: "a request's trace is read back by its id, and an unknown trace is not found",
    async run(target) {
      const log = await record(target, { level: 'info', message: 'traced', session_id: 'sess_trace' });
      const trace = await readJson(
        await observe(target, `/api/observability/traces/${log.trace_id}`),
        Trace,
        `${target.name} GET /api/observability/traces/{trace_id}`,
      );
      expect(trace.spans.map((span) => span.name)).toEqual(['POST /api/observability/logs']);
      expect(trace.spans[0]?.attributes['cartrita.route_id']).toBe('observability.logs.create');
      await readError(
        await observe(target, `/api/observability/traces/${'0'.repeat(31)}1`),
        404,
        'NOT_FOUND',
        `${target.name} GET an unknown trace`,
      );
    },
  },
  {
    name: "a session's figures count its log entries by level, and nothing it did not do",
    async run(target) {
      for (const level of ['info', 'info', 'error']) {
        await record(target, { level, message: 'counted', session_id: 'sess_figures' });
      }
      const figures = await readJson(
        await observe(target, '/api/observability/metrics?session_id=sess_figures'),
        ObservabilityMetrics,
        `${target.name} GET /api/observability/metrics`,
      );
      expect(figures.logs).toEqual({ debug: 0, info: 2, warn: 0, error: 1 });
      expect(figures.commands.completed).toBe(0);
    },
  },
  {
    name: 'GET /metrics answers the Prometheus text format to the observability scope only',
    async run(target) {
      // The values differ by nature (the server's runtime, each target's requests): the status is compared.
      const response = await observe(target, '/metrics', {}, { compare: 'status' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const families = parsePrometheusText(await response.text());
      for (const name of ['cartrita_http_requests_total', 'cartrita_commands_total', 'cartrita_logs_total']) {
        expect(families.get(name)?.type, name).toBe('counter');
      }
      await readError(
        await target.fetch(`${target.baseURL}/metrics`),
        401,
        'UNAUTHORIZED',
        `${target.name} GET /metrics without a credential`,
      );
    },
  },
];
