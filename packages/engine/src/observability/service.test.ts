import { describe, expect, it } from 'vitest';
import { isHttpError } from '../errors.js';
import { noTelemetry, spanAttributes } from '../telemetry.js';
import { createMemoryObservabilityRepositories } from './memory.js';
import { createRecordingTelemetry } from './recording-telemetry.js';
import type { StoredSpan } from './repositories.js';
import { ObservabilityService } from './service.js';

const at = (ms: number) => new Date(Date.parse('2026-03-01T10:00:00.000Z') + ms);

/** A clock that moves only when told to. */
const manualClock = () => {
  let ms = 0;
  return {
    now: () => at(ms),
    set: (next: number) => {
      ms = next;
    },
  };
};

const setup = (
  pendingCommands?: ConstructorParameters<typeof ObservabilityService>[0]['pendingCommands'],
) => {
  const repositories = createMemoryObservabilityRepositories();
  const clock = manualClock();
  const telemetry = createRecordingTelemetry({ repositories, clock });
  const service = new ObservabilityService({
    repositories,
    telemetry,
    clock,
    ...(pendingCommands ? { pendingCommands } : {}),
  });
  return { repositories, clock, telemetry, service };
};

/** A span of `kind` that ran `ms` milliseconds, with more attributes. */
const span = (
  id: number,
  kind: string,
  ms: number,
  attributes: Record<string, string | number> = {},
  status: StoredSpan['status'] = { code: 'unset' },
): StoredSpan => ({
  trace_id: `${id}`.padStart(32, '0'),
  span_id: `${id}`.padStart(16, '0'),
  name: `${kind} ${id}`,
  start_time: at(0).toISOString(),
  end_time: at(ms).toISOString(),
  duration_ms: ms,
  attributes: { [spanAttributes.kind]: kind, ...attributes },
  status,
});

describe('log entries', () => {
  it('lists the newest first, keeps a level and those above it, and counts every match', async () => {
    const { service, clock } = setup();
    const levels = ['debug', 'info', 'warn', 'error', 'info'] as const;
    for (const [index, level] of levels.entries()) {
      clock.set(index * 1000);
      await service.recordLog({ level, message: `${level} ${index}`, session_id: 'sess_a' });
    }
    await service.recordLog({ level: 'error', message: 'other session', session_id: 'sess_b' });
    const warnings = await service.listLogs({ level: 'warn', session_id: 'sess_a', limit: 100 });
    expect(warnings.logs.map((log) => log.message)).toEqual(['error 3', 'warn 2']);
    expect(warnings.total).toBe(2);
    const page = await service.listLogs({ session_id: 'sess_a', limit: 2 });
    expect(page.logs.map((log) => log.message)).toEqual(['info 4', 'error 3']);
    expect(page.total).toBe(5);
    const everything = await service.listLogs({ level: 'debug', limit: 100 });
    expect(everything.total).toBe(6);
  });

  it('keeps every metadata key as its own, __proto__ included', async () => {
    const { service } = setup();
    const metadata = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const log = await service.recordLog({ level: 'info', message: 'odd keys', metadata });
    expect(JSON.stringify(log.metadata)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stores an entry with the active trace id, without nulls in its metadata', async () => {
    const { service, telemetry } = setup();
    const { log, traceId } = await telemetry.span('POST /api/observability/logs', {}, async (span) => ({
      log: await service.recordLog({
        level: 'info',
        message: 'User action completed',
        metadata: { user_id: 'user123', gone: null, nested: { kept: [1, null, 2] } },
      }),
      traceId: span.traceId,
    }));
    expect(log).toEqual({
      log_id: expect.stringMatching(/^log_[0-9a-f]{16}$/),
      level: 'info',
      message: 'User action completed',
      metadata: { user_id: 'user123', nested: { kept: [1, 2] } },
      trace_id: traceId,
      timestamp: '2026-03-01T10:00:00.000Z',
    });
    expect(telemetry.metrics.value('cartrita_logs_total', { level: 'info' })).toBe(1);
  });
});

describe('metrics', () => {
  it('counts commands by outcome, engine and tool calls, tokens, sandbox time and logs of one session', async () => {
    const { service, repositories } = setup();
    const a = { [spanAttributes.sessionId]: 'sess_a' };
    await repositories.spans.append([
      span(1, 'command', 10, { ...a, [spanAttributes.status]: 'completed' }),
      span(2, 'command', 30, { ...a, [spanAttributes.status]: 'failed' }),
      span(3, 'command', 20, { ...a, [spanAttributes.status]: 'timeout' }),
      span(4, 'command', 40, { ...a, [spanAttributes.status]: 'cancelled' }),
      span(5, 'command', 50, { ...a }, { code: 'error', message: 'thrown' }),
      span(6, 'engine', 5, { ...a, [spanAttributes.inputTokens]: 12, [spanAttributes.outputTokens]: 30 }),
      span(7, 'engine', 5, { ...a, [spanAttributes.inputTokens]: 3 }, { code: 'error' }),
      span(8, 'tool', 2, { ...a, [spanAttributes.status]: 'completed', [spanAttributes.sandboxMs]: 1.25 }),
      span(9, 'tool', 2, { ...a, [spanAttributes.status]: 'failed', [spanAttributes.sandboxMs]: 0.5 }),
      span(10, 'request', 1, { ...a }),
      span(11, 'command', 999, {
        [spanAttributes.sessionId]: 'sess_b',
        [spanAttributes.status]: 'completed',
      }),
    ]);
    await service.recordLog({ level: 'warn', message: 'a', session_id: 'sess_a' });
    await service.recordLog({ level: 'error', message: 'b', session_id: 'sess_b' });
    expect(await service.metrics({ session_id: 'sess_a' })).toEqual({
      session_id: 'sess_a',
      commands: { queued: 0, executing: 0, completed: 1, failed: 2, timeout: 1, cancelled: 1 },
      command_latency_ms: { p50: 30, p95: 50, p99: 50 },
      engine_calls: { total: 2, failed: 1 },
      tokens: { input: 15, output: 30 },
      tool_calls: { total: 2, failed: 1 },
      provider_calls: { total: 0, failed: 0 },
      sandbox_ms: 1.75,
      logs: { debug: 0, info: 0, warn: 1, error: 0 },
      timestamp: '2026-03-01T10:00:00.000Z',
    });
    const overall = await service.metrics();
    expect(overall.session_id).toBeUndefined();
    expect(overall.commands.completed).toBe(2);
    expect(overall.command_latency_ms).toEqual({ p50: 30, p95: 999, p99: 999 });
    expect(overall.logs).toEqual({ debug: 0, info: 0, warn: 1, error: 1 });
  });

  it('reports zeros for a session with nothing recorded, and the pending commands it is told of', async () => {
    const asked: (string | undefined)[] = [];
    const { service } = setup(async (sessionId) => {
      asked.push(sessionId);
      return { queued: 2, executing: 1 };
    });
    const figures = await service.metrics({ session_id: 'sess_new' });
    expect(figures.commands).toEqual({
      queued: 2,
      executing: 1,
      completed: 0,
      failed: 0,
      timeout: 0,
      cancelled: 0,
    });
    expect(figures.command_latency_ms).toEqual({ p50: 0, p95: 0, p99: 0 });
    expect(figures.sandbox_ms).toBe(0);
    await service.metrics();
    expect(asked).toEqual(['sess_new', undefined]);
  });

  it('takes the nearest rank for each percentile', async () => {
    const { service, repositories } = setup();
    await repositories.spans.append(
      Array.from({ length: 100 }, (_, index) => span(index + 1, 'command', index + 1)),
    );
    expect((await service.metrics()).command_latency_ms).toEqual({ p50: 50, p95: 95, p99: 99 });
  });

  it('counts spans the telemetry has not finished storing', async () => {
    const { service, telemetry } = setup();
    await telemetry.span('command Echo', { [spanAttributes.kind]: 'command' }, async () => {});
    expect((await service.metrics()).commands.completed).toBe(1);
  });
});

describe('traces', () => {
  it('answers the spans in order of start, a parent before its children of the same millisecond', async () => {
    const { service, telemetry } = setup();
    const traceId = await telemetry.span('GET /x', { [spanAttributes.kind]: 'request' }, (request) =>
      telemetry.span('command Echo', { [spanAttributes.kind]: 'command' }, async () =>
        telemetry.span('engine Dummy', {}, async () => request.traceId),
      ),
    );
    const trace = await service.trace(traceId);
    expect(trace.trace_id).toBe(traceId);
    expect(trace.spans.map((s) => s.name)).toEqual(['GET /x', 'command Echo', 'engine Dummy']);
    const [request, command, engine] = trace.spans;
    expect(request?.parent_span_id).toBeUndefined();
    expect(command?.parent_span_id).toBe(request?.span_id);
    expect(engine?.parent_span_id).toBe(command?.span_id);
    expect(Object.keys(request ?? {}).sort()).toEqual(
      ['attributes', 'end_time', 'name', 'span_id', 'start_time', 'status'].sort(),
    );
  });

  it('answers 404 NOT_FOUND for an unknown trace', async () => {
    const { service } = setup();
    const error = await service.trace('0'.repeat(32)).catch((caught: unknown) => caught);
    expect(isHttpError(error) && [error.status, error.code, error.message]).toEqual([
      404,
      'NOT_FOUND',
      `Trace ${'0'.repeat(32)} does not exist`,
    ]);
  });
});

describe('purging', () => {
  it('deletes log entries and spans older than the cutoff, and keeps the rest', async () => {
    const { service, repositories, clock } = setup();
    await service.recordLog({ level: 'info', message: 'old' });
    clock.set(60_000);
    await service.recordLog({ level: 'info', message: 'new' });
    await repositories.spans.append([span(1, 'command', 10), span(2, 'command', 120_000)]);
    expect(await service.purge(at(30_000))).toEqual({ logs: 1, spans: 1 });
    expect((await service.listLogs({ limit: 10 })).logs.map((log) => log.message)).toEqual(['new']);
    expect((await repositories.spans.trace(span(2, 'command', 0).trace_id)).length).toBe(1);
  });
});

it('works with telemetry that records nothing', async () => {
  const repositories = createMemoryObservabilityRepositories();
  const service = new ObservabilityService({ repositories, telemetry: noTelemetry });
  const log = await service.recordLog({ level: 'debug', message: 'no trace' });
  expect(log.trace_id).toBeUndefined();
  expect((await service.listLogs({ limit: 5 })).total).toBe(1);
});
