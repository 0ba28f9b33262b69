import { type StoredSpan, spanAttributes } from '@cartrita/engine';
import { describe, expect, it } from 'vitest';
import { implementations } from './implementations.js';

const span = (
  trace: string,
  id: number,
  attributes: StoredSpan['attributes'] = {},
  fields: Partial<StoredSpan> = {},
): StoredSpan => ({
  trace_id: trace.repeat(32),
  span_id: String(id).padStart(16, '0'),
  name: `span ${id}`,
  start_time: '2026-03-01T10:00:00.000Z',
  end_time: '2026-03-01T10:00:01.000Z',
  duration_ms: 1000,
  attributes,
  status: { code: 'unset' },
  ...fields,
});

const command = (id: number, session: string, status: string, durationMs: number) =>
  span(
    'c',
    id,
    {
      [spanAttributes.kind]: 'command',
      [spanAttributes.sessionId]: session,
      [spanAttributes.status]: status,
    },
    { duration_ms: durationMs },
  );

describe.each(implementations)('span store on $name', (implementation) => {
  it('gives back the spans of a trace as they were stored, and none of another', async () => {
    const { store } = await implementation.open();
    const root = span('a', 1, { 'http.route': '/x', 'http.response.status_code': 200, flag: true });
    const child = span(
      'a',
      2,
      { list: ['a', 'b'], [spanAttributes.sandboxMs]: 1.5 },
      { parent_span_id: root.span_id, duration_ms: 12.345, status: { code: 'error', message: 'boom' } },
    );
    await store.spans.append([root, child, span('b', 3)]);
    const spans = await store.spans.trace('a'.repeat(32));
    expect(spans.sort((x, y) => x.span_id.localeCompare(y.span_id))).toEqual([root, child]);
    expect(await store.spans.trace('f'.repeat(32))).toEqual([]);
  });

  it('keeps the first copy of a span stored twice', async () => {
    const { store } = await implementation.open();
    await store.spans.append([span('a', 1, {}, { name: 'first' })]);
    await store.spans.append([span('a', 1, {}, { name: 'second' }), span('a', 2)]);
    const names = (await store.spans.trace('a'.repeat(32))).map((s) => s.name).sort();
    expect(names).toEqual(['first', 'span 2']);
  });

  it('sums spans by kind and outcome, of one session or of all', async () => {
    const { store } = await implementation.open();
    const a = { [spanAttributes.sessionId]: 'sess_a' };
    await store.spans.append([
      command(1, 'sess_a', 'completed', 10),
      command(2, 'sess_a', 'completed', 20),
      command(3, 'sess_b', 'failed', 30),
      span('e', 4, {
        ...a,
        [spanAttributes.kind]: 'engine',
        [spanAttributes.inputTokens]: 7,
        [spanAttributes.outputTokens]: 11,
      }),
      span(
        't',
        5,
        { ...a, [spanAttributes.kind]: 'tool', [spanAttributes.sandboxMs]: 2.5 },
        {
          status: { code: 'error' },
        },
      ),
      span('r', 6, { ...a, [spanAttributes.kind]: 'request' }),
      span('n', 7),
    ]);
    const sorted = (rows: Awaited<ReturnType<typeof store.spans.totals>>) =>
      [...rows].sort((x, y) => `${x.kind} ${x.outcome}`.localeCompare(`${y.kind} ${y.outcome}`));
    const zero = { input_tokens: 0, output_tokens: 0, sandbox_ms: 0 };
    expect(sorted(await store.spans.totals('sess_a'))).toEqual([
      { kind: 'command', outcome: 'completed', count: 2, ...zero },
      { kind: 'engine', outcome: 'completed', count: 1, ...zero, input_tokens: 7, output_tokens: 11 },
      { kind: 'request', count: 1, ...zero },
      { kind: 'tool', outcome: 'failed', count: 1, ...zero, sandbox_ms: 2.5 },
    ]);
    const all = sorted(await store.spans.totals());
    expect(all.find((row) => row.kind === 'command' && row.outcome === 'failed')?.count).toBe(1);
    expect(all.find((row) => row.kind === undefined)).toEqual({ count: 1, ...zero });
    expect(await store.spans.totals('sess_none')).toEqual([]);
  });

  it('finds the duration at a rank among the spans of a kind', async () => {
    const { store } = await implementation.open();
    await store.spans.append([
      command(1, 'sess_a', 'completed', 30),
      command(2, 'sess_a', 'failed', 10),
      command(3, 'sess_a', 'completed', 20.5),
      command(4, 'sess_b', 'completed', 5),
    ]);
    const mine = { kind: 'command', session_id: 'sess_a' };
    expect(await store.spans.durationAt(mine, 0)).toBe(10);
    expect(await store.spans.durationAt(mine, 1)).toBe(20.5);
    expect(await store.spans.durationAt(mine, 2)).toBe(30);
    expect(await store.spans.durationAt(mine, 3)).toBeUndefined();
    expect(await store.spans.durationAt({ kind: 'command' }, 0)).toBe(5);
    expect(await store.spans.durationAt({ kind: 'engine' }, 0)).toBeUndefined();
  });

  it('purges the spans that ended before a time', async () => {
    const { store } = await implementation.open();
    await store.spans.append([
      span('a', 1, {}, { end_time: '2026-03-01T09:00:00.000Z' }),
      span('a', 2, {}, { end_time: '2026-03-01T11:00:00.000Z' }),
    ]);
    expect(await store.spans.purgeBefore('2026-03-01T10:00:00.000Z')).toBe(1);
    expect((await store.spans.trace('a'.repeat(32))).map((s) => s.span_id)).toEqual(['0000000000000002']);
  });
});
