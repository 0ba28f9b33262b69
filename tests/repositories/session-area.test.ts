import type { NewCommand } from '@cartrita/engine';
import { describe, expect, it } from 'vitest';
import { type AllRepositories, implementations } from './implementations.js';

const at = '2026-12-01T10:00:00.000Z';

const command = (
  id: string,
  session_id: string,
  priority: 'high' | 'normal' | 'low' = 'normal',
): NewCommand => ({
  id,
  session_id,
  command_type: 'DummyEngineCommand',
  parameters: { prompt: id },
  metadata: { priority, timeout: 30, note: 'kept' },
  created_at: at,
});

const claim = (runner = 'run_a', lease = '2026-12-01T10:01:00.000Z') => ({
  runner,
  started_at: at,
  lease_expires_at: () => lease,
});

const newSession = async (store: AllRepositories, user = 'usr_a') =>
  (await store.sessions.create({ user_id: user, expires_at: null, name: 'work', metadata: { project: 'p' } }))
    .id;

describe.each(implementations)('session area repositories on $name', (implementation) => {
  it('keeps a session that never expires, with its name and metadata', async () => {
    const { store } = await implementation.open();
    const id = await newSession(store);
    expect(await store.sessions.get(id)).toMatchObject({
      id,
      user_id: 'usr_a',
      expires_at: null,
      revoked: false,
      name: 'work',
      metadata: { project: 'p' },
    });
    expect((await store.sessions.getActive(id, new Date('2999-01-01')))?.id).toBe(id);
    expect(await store.sessions.purgeExpired(new Date('2999-01-01'))).toBe(0);
  });

  it('claims commands by priority, then in order, one at a time per session', async () => {
    const { store } = await implementation.open();
    const id = await newSession(store);
    const created = await store.commands.create([
      command('cmd_low', id, 'low'),
      command('cmd_normal', id),
      command('cmd_high_1', id, 'high'),
      command('cmd_high_2', id, 'high'),
    ]);
    expect(created.map((row) => [row.id, row.status, row.result, row.error])).toEqual([
      ['cmd_low', 'queued', null, null],
      ['cmd_normal', 'queued', null, null],
      ['cmd_high_1', 'queued', null, null],
      ['cmd_high_2', 'queued', null, null],
    ]);
    expect(created[0]?.metadata).toEqual({ priority: 'low', timeout: 30, note: 'kept' });
    const order: string[] = [];
    for (;;) {
      const [first, second] = await Promise.all([
        store.commands.claimNext(id, claim()),
        store.commands.claimNext(id, claim('run_b')),
      ]);
      // Two claims at once: only one of them takes a command.
      expect([first, second].filter(Boolean).length).toBeLessThanOrEqual(1);
      const claimed = first ?? second;
      if (!claimed) break;
      expect(claimed).toMatchObject({
        status: 'executing',
        started_at: at,
        lease_expires_at: '2026-12-01T10:01:00.000Z',
      });
      order.push(claimed.id);
      expect(await store.commands.claimNext(id, claim())).toBeUndefined();
      await store.commands.transition(claimed.id, ['executing'], {
        status: 'completed',
        result: { ok: claimed.id },
        error: null,
        completed_at: at,
      });
    }
    expect(order).toEqual(['cmd_high_1', 'cmd_high_2', 'cmd_normal', 'cmd_low']);
    expect(await store.commands.get(id, 'cmd_low')).toMatchObject({
      status: 'completed',
      result: { ok: 'cmd_low' },
      runner: null,
      lease_expires_at: null,
    });
    expect(await store.commands.counts(id)).toEqual({
      queued: 0,
      executing: 0,
      completed: 4,
      failed: 0,
      timeout: 0,
      cancelled: 0,
    });
  });

  it('moves a command only from the statuses given', async () => {
    const { store } = await implementation.open();
    const id = await newSession(store);
    await store.commands.create([command('cmd_1', id)]);
    const cancelled = await store.commands.transition('cmd_1', ['queued'], {
      status: 'cancelled',
      error: { code: 'COMMAND_CANCELLED', message: 'stop' },
      completed_at: at,
    });
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      error: { code: 'COMMAND_CANCELLED', message: 'stop' },
    });
    expect(await store.commands.transition('cmd_1', ['executing'], { status: 'completed' })).toBeUndefined();
    expect((await store.commands.get(id, 'cmd_1'))?.status).toBe('cancelled');
    expect(await store.commands.claimNext(id, claim())).toBeUndefined();
  });

  it('fails the running commands of a runner, or past their lease, and lists sessions with queued work', async () => {
    const { store } = await implementation.open();
    const first = await newSession(store);
    const second = await newSession(store);
    const third = await newSession(store);
    await store.commands.create([command('cmd_a', first), command('cmd_b', second), command('cmd_c', third)]);
    await store.commands.claimNext(first, claim('run_gone', '2026-12-01T11:00:00.000Z'));
    await store.commands.claimNext(second, claim('run_live', '2026-12-01T10:00:30.000Z'));
    expect((await store.commands.sessionsWithQueued()).sort()).toEqual([third]);
    const error = { code: 'SERVER_RESTARTED', message: 'gone' };
    const byRunner = await store.commands.failStale({ now: at, runner: 'run_gone', error, completed_at: at });
    expect(byRunner.map((row) => [row.id, row.status, row.error])).toEqual([['cmd_a', 'failed', error]]);
    expect(await store.commands.failStale({ now: at, error, completed_at: at })).toEqual([]);
    const byLease = await store.commands.failStale({
      now: '2026-12-01T10:01:00.000Z',
      error,
      completed_at: at,
    });
    expect(byLease.map((row) => row.id)).toEqual(['cmd_b']);
    expect(await store.commands.counts()).toMatchObject({ failed: 2, queued: 1 });
  });

  it("scopes a command to its session and deletes a session's commands, naming the open ones", async () => {
    const { store } = await implementation.open();
    const mine = await newSession(store);
    const other = await newSession(store);
    await store.commands.create([command('cmd_1', mine), command('cmd_2', mine)]);
    await store.commands.claimNext(mine, claim());
    expect(await store.commands.get(other, 'cmd_1')).toBeUndefined();
    const open = await store.commands.deleteSession(mine);
    expect(open.map((row) => row.id).sort()).toEqual(['cmd_1', 'cmd_2']);
    expect(await store.commands.get(mine, 'cmd_1')).toBeUndefined();
  });

  it('appends events in order and pages them, by type when asked', async () => {
    const { store } = await implementation.open();
    const id = await newSession(store);
    const other = await newSession(store);
    const stored = [];
    for (const [index, type] of ['A', 'B', 'A', 'A'].entries()) {
      stored.push(
        await store.events.append({
          id: `evt_${index}`,
          session_id: id,
          event_type: type,
          data: { index },
          metadata: { source: 'test' },
          timestamp: at,
        }),
      );
    }
    await store.events.append({
      id: 'evt_other',
      session_id: other,
      event_type: 'A',
      data: {},
      metadata: {},
      timestamp: at,
    });
    const seqs = stored.map((event) => event.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(4);
    const page = await store.events.list(id, { limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.events.map((event) => event.id)).toEqual(['evt_1', 'evt_2']);
    const typed = await store.events.list(id, { limit: 10, offset: 0, event_type: 'A' });
    expect([typed.total, typed.events.map((event) => event.id)]).toEqual([3, ['evt_0', 'evt_2', 'evt_3']]);
    expect((await store.events.after(id, seqs[1] as number, 10)).map((event) => event.id)).toEqual([
      'evt_2',
      'evt_3',
    ]);
    expect((await store.events.after(id, seqs[0] as number, 1)).map((event) => event.id)).toEqual(['evt_1']);
    expect(await store.events.get(id, 'evt_2')).toEqual({ ...stored[2], data: { index: 2 } });
    expect(await store.events.get(other, 'evt_2')).toBeUndefined();
    expect(await store.events.count(id)).toBe(4);
    expect(await store.events.deleteSession(id)).toBe(4);
    expect(await store.events.count(other)).toBe(1);
  });

  it('registers a tool or handler once per name, lists them in order and unregisters them', async () => {
    const { store } = await implementation.open();
    const id = await newSession(store);
    const tool = (name: string) => ({
      session_id: id,
      name,
      description: `${name} tool`,
      parameters: { city: { type: 'string' } },
      function_code: '({city}) => city',
      created_at: at,
    });
    expect(await store.tools.create(tool('zeta'))).toBe(true);
    expect(await store.tools.create(tool('alpha'))).toBe(true);
    expect(await store.tools.create({ ...tool('alpha'), description: 'again' })).toBe(false);
    expect((await store.tools.list(id)).map((row) => [row.name, row.description])).toEqual([
      ['alpha', 'alpha tool'],
      ['zeta', 'zeta tool'],
    ]);
    expect(await store.tools.get(id, 'zeta')).toEqual(tool('zeta'));
    expect(await store.tools.delete(id, 'zeta')).toBe(true);
    expect(await store.tools.delete(id, 'zeta')).toBe(false);
    expect(await store.tools.count(id)).toBe(1);

    const handler = (kind: 'command' | 'event', type: string) => ({
      session_id: id,
      kind,
      type,
      code: '(x) => x',
      created_at: at,
    });
    expect(await store.handlers.create(handler('event', 'B'))).toBe(true);
    expect(await store.handlers.create(handler('command', 'A'))).toBe(true);
    expect(await store.handlers.create(handler('event', 'A'))).toBe(true);
    expect(await store.handlers.create(handler('event', 'A'))).toBe(false);
    expect((await store.handlers.list(id)).map((row) => `${row.kind}:${row.type}`)).toEqual([
      'command:A',
      'event:A',
      'event:B',
    ]);
    expect(await store.handlers.get(id, 'command', 'A')).toEqual(handler('command', 'A'));
    expect(await store.handlers.delete(id, 'event', 'A')).toBe(true);
    expect(await store.handlers.get(id, 'event', 'A')).toBeUndefined();
    expect(await store.handlers.count(id)).toBe(2);
  });

  it('keeps engines with their usage, listed newest first by user, session and status', async () => {
    const { store } = await implementation.open();
    const first = await newSession(store);
    const second = await newSession(store);
    const engine = (id: string, session_id: string, user_id = 'usr_a') => ({
      id,
      session_id,
      user_id,
      engine_type: 'DummyEngine',
      model_name: null,
      status: 'initialized' as const,
      configuration: { temperature: 0.7 },
      executions: 0,
      input_tokens: 0,
      output_tokens: 0,
      created_at: at,
      last_used_at: null,
    });
    await store.engines.create(engine('eng_1', first));
    await store.engines.create(engine('eng_2', second));
    await store.engines.create(engine('eng_3', first, 'usr_b'));
    expect((await store.engines.list({ user_id: 'usr_a' })).map((row) => row.id)).toEqual(['eng_2', 'eng_1']);
    expect((await store.engines.list({ user_id: 'usr_a', session_id: first })).map((row) => row.id)).toEqual([
      'eng_1',
    ]);
    const usage = { executions: 1, input_tokens: 3, output_tokens: 5 };
    await store.engines.update('eng_1', { status: 'active', usage, last_used_at: at });
    const updated = await store.engines.update('eng_1', { status: 'active', usage });
    expect(updated).toMatchObject({
      status: 'active',
      executions: 2,
      input_tokens: 6,
      output_tokens: 10,
      last_used_at: at,
    });
    expect((await store.engines.list({ user_id: 'usr_a', status: 'active' })).map((row) => row.id)).toEqual([
      'eng_1',
    ]);
    expect(await store.engines.get('eng_1')).toMatchObject({ configuration: { temperature: 0.7 } });
    expect(await store.engines.delete('eng_2')).toBe(true);
    expect(await store.engines.update('eng_2', { status: 'active' })).toBeUndefined();
    expect(await store.engines.count(first)).toBe(2);
  });

  it('takes everything of a session with it when the session is deleted', async () => {
    const { store } = await implementation.open();
    const id = await newSession(store);
    await store.commands.create([command('cmd_1', id)]);
    await store.events.append({
      id: 'evt_1',
      session_id: id,
      event_type: 'A',
      data: {},
      metadata: {},
      timestamp: at,
    });
    await store.tools.create({
      session_id: id,
      name: 't',
      description: '',
      parameters: {},
      function_code: '() => 1',
      created_at: at,
    });
    await store.handlers.create({
      session_id: id,
      kind: 'event',
      type: 'A',
      code: '() => 1',
      created_at: at,
    });
    await store.engines.create({
      id: 'eng_1',
      session_id: id,
      user_id: 'usr_a',
      engine_type: 'DummyEngine',
      model_name: null,
      status: 'initialized',
      configuration: {},
      executions: 0,
      input_tokens: 0,
      output_tokens: 0,
      created_at: at,
      last_used_at: null,
    });
    expect(await store.sessions.delete(id)).toBe(true);
    expect(await store.sessions.delete(id)).toBe(false);
    expect([
      await store.commands.get(id, 'cmd_1'),
      await store.events.count(id),
      await store.tools.count(id),
      await store.handlers.count(id),
      await store.engines.get('eng_1'),
    ]).toEqual([undefined, 0, 0, 0, undefined]);
  });
});
