import { describe, expect, it } from 'vitest';
import { spanAttributes } from '../telemetry.js';
import { createMemoryObservabilityRepositories } from './memory.js';
import { createRecordingTelemetry } from './recording-telemetry.js';
import type { ActiveSpan, SpanContextStore } from './span-context.js';

/** A clock that moves only when told to. */
const manualClock = (start = Date.parse('2026-03-01T10:00:00.000Z')) => {
  let at = start;
  return {
    now: () => new Date(at),
    advance: (ms: number) => {
      at += ms;
    },
  };
};

const setup = (context?: SpanContextStore) => {
  const repositories = createMemoryObservabilityRepositories();
  const clock = manualClock();
  const telemetry = createRecordingTelemetry({ repositories, clock, ...(context ? { context } : {}) });
  const trace = async (id: string) => {
    await telemetry.flush();
    return repositories.spans.trace(id);
  };
  return { repositories, clock, telemetry, trace };
};

describe('the recording telemetry', () => {
  it('stores a span with OpenTelemetry-shaped ids, its times, attributes and status', async () => {
    const { telemetry, clock, trace } = setup();
    const result = await telemetry.span(
      'command Echo',
      { [spanAttributes.kind]: 'command', [spanAttributes.sessionId]: 'sess_1', skipped: undefined },
      async (span) => {
        clock.advance(250);
        span.setAttributes({ [spanAttributes.status]: 'completed' });
        return span.traceId;
      },
    );
    expect(result).toMatch(/^[0-9a-f]{32}$/);
    const [span, ...others] = await trace(result);
    expect(others).toEqual([]);
    expect(span).toEqual({
      trace_id: result,
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      name: 'command Echo',
      start_time: '2026-03-01T10:00:00.000Z',
      end_time: '2026-03-01T10:00:00.250Z',
      duration_ms: 250,
      attributes: {
        'cartrita.kind': 'command',
        'cartrita.session_id': 'sess_1',
        'cartrita.status': 'completed',
      },
      status: { code: 'unset' },
    });
  });

  it('nests a span started before the first await under the active one', async () => {
    const { telemetry, trace } = setup();
    const traceId = await telemetry.span('outer', {}, (outer) =>
      telemetry.span('inner', {}, async (inner) => {
        expect(inner.traceId).toBe(outer.traceId);
        expect(telemetry.traceId()).toBe(outer.traceId);
        return outer.traceId;
      }),
    );
    const spans = await trace(traceId);
    const outer = spans.find((span) => span.name === 'outer');
    const inner = spans.find((span) => span.name === 'inner');
    expect(outer?.parent_span_id).toBeUndefined();
    expect(inner?.parent_span_id).toBe(outer?.span_id);
  });

  it('starts a new trace for a span after an await without a parent, and nests it when given one', async () => {
    const { telemetry, trace } = setup();
    const ids = await telemetry.span('command', {}, async (command) => {
      await Promise.resolve();
      expect(telemetry.traceId()).toBeUndefined();
      const lost = await telemetry.span('lost', {}, async (span) => span.traceId);
      const found = await telemetry.span('engine', {}, async (span) => span.traceId, { parent: command });
      const root = await telemetry.span('root', {}, async (span) => span.traceId, { parent: null });
      return { command: command.traceId, lost, found, root };
    });
    expect(ids.lost).not.toBe(ids.command);
    expect(ids.found).toBe(ids.command);
    expect(ids.root).not.toBe(ids.command);
    const spans = await trace(ids.command);
    expect(spans.map((span) => span.name).sort()).toEqual(['command', 'engine']);
    const command = spans.find((span) => span.name === 'command');
    expect(spans.find((span) => span.name === 'engine')?.parent_span_id).toBe(command?.span_id);
  });

  it('makes a span active again for code that resumes after an await', async () => {
    const { telemetry, trace } = setup();
    const traceId = await telemetry.span('request', {}, async (request) => {
      await Promise.resolve();
      return telemetry.withSpan(request, () => telemetry.span('command', {}, async () => request.traceId));
    });
    expect((await trace(traceId)).map((span) => span.name).sort()).toEqual(['command', 'request']);
    expect(telemetry.withSpan({ traceId: 'x', setAttributes: () => {}, fail: () => {} }, () => 1)).toBe(1);
  });

  it('follows the active span across awaits with a context store that can', async () => {
    // A store that follows one promise chain, as AsyncLocalStorage does in Node.
    let current: ActiveSpan | undefined;
    const context: SpanContextStore = {
      active: () => current,
      run: (span, fn) => {
        current = span;
        return fn();
      },
    };
    const { telemetry, trace } = setup(context);
    const traceId = await telemetry.span('command', {}, async (command) => {
      await Promise.resolve();
      await telemetry.span('engine', {}, async () => {});
      return command.traceId;
    });
    const spans = await trace(traceId);
    expect(spans.map((span) => span.name).sort()).toEqual(['command', 'engine']);
  });

  it('marks a span failed with the error that ended it, and rethrows', async () => {
    const { telemetry, trace } = setup();
    let traceId = '';
    await expect(
      telemetry.span('tool broken', { [spanAttributes.kind]: 'tool' }, async (span) => {
        traceId = span.traceId;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const [span] = await trace(traceId);
    expect(span?.status).toEqual({ code: 'error', message: 'boom' });
  });

  it('keeps the failure a span reported itself', async () => {
    const { telemetry, trace } = setup();
    const traceId = await telemetry.span('tool', {}, async (span) => {
      span.fail(new Error('timed out'));
      return span.traceId;
    });
    expect((await trace(traceId))[0]?.status).toEqual({ code: 'error', message: 'timed out' });
  });

  it('records a log entry with the active trace id, and one outside any span without', async () => {
    const { telemetry, repositories } = setup();
    const traceId = await telemetry.span('command', {}, async (span) => {
      telemetry.log({ level: 'info', message: 'inside', session_id: 'sess_1', metadata: { a: null, b: 1 } });
      return span.traceId;
    });
    telemetry.log({ level: 'warn', message: 'outside' });
    await telemetry.flush();
    const { logs, total } = await repositories.logs.list({}, 10);
    expect(total).toBe(2);
    expect(logs).toEqual([
      {
        log_id: expect.stringMatching(/^log_[0-9a-f]{16}$/),
        level: 'warn',
        message: 'outside',
        metadata: {},
        timestamp: '2026-03-01T10:00:00.000Z',
      },
      {
        log_id: expect.stringMatching(/^log_[0-9a-f]{16}$/),
        level: 'info',
        message: 'inside',
        metadata: { b: 1 },
        session_id: 'sess_1',
        trace_id: traceId,
        timestamp: '2026-03-01T10:00:00.000Z',
      },
    ]);
    expect(telemetry.metrics.value('cartrita_logs_total', { level: 'warn' })).toBe(1);
  });

  it('counts and observes only the metrics it defines, with their declared labels', () => {
    const { telemetry } = setup();
    telemetry.count('cartrita_commands_total', { status: 'completed', extra: 'dropped' });
    telemetry.count('cartrita_commands_total', { status: 'completed' }, 2);
    telemetry.count('not_a_metric', {});
    telemetry.observe('cartrita_command_duration_seconds', 0.3, { status: 'completed' });
    expect(telemetry.metrics.value('cartrita_commands_total', { status: 'completed' })).toBe(3);
    expect(telemetry.metrics.value('cartrita_command_duration_seconds', { status: 'completed' })).toBe(1);
    expect(telemetry.metrics.value('not_a_metric')).toBe(0);
  });

  it('reports a failed write and goes on', async () => {
    const errors: unknown[] = [];
    const repositories = createMemoryObservabilityRepositories();
    const telemetry = createRecordingTelemetry({
      repositories: {
        ...repositories,
        logs: { ...repositories.logs, append: async () => Promise.reject(new Error('disk full')) },
      },
      onError: (error) => errors.push(error),
    });
    telemetry.log({ level: 'error', message: 'lost' });
    await telemetry.flush();
    expect(errors.map((error) => (error as Error).message)).toEqual(['disk full']);
  });
});
