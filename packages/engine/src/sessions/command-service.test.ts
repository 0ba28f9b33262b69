import { describe, expect, it } from 'vitest';
import { eventually, testEngine } from './test-engine.js';

const dummy = (prompt: string, priority?: 'high' | 'normal' | 'low') => ({
  command_type: 'DummyEngineCommand',
  parameters: { prompt },
  metadata: priority === undefined ? {} : { priority },
});

describe('the command queue', () => {
  it('runs a DummyEngineCommand to completion, reporting its status as events', async () => {
    const { engine, caller } = testEngine();
    const { session_id } = await engine.sessions.create({}, caller);
    const command = await engine.commands.create(session_id, caller, {
      command_type: 'DummyEngineCommand',
      parameters: { prompt: 'Hello, world!' },
      metadata: {},
    });
    expect(command.metadata).toEqual({ priority: 'normal', timeout: 30 });
    await eventually(
      async () => (await engine.commands.get(session_id, caller, command.command_id)).status === 'completed',
    );
    const done = await engine.commands.get(session_id, caller, command.command_id);
    expect(done.result).toEqual({ response: 'Processed: Hello, world!' });
    expect(done.error).toBeNull();
    expect(done.started_at).not.toBeNull();
    expect(done.completed_at).not.toBeNull();
    const events = await engine.events.list(session_id, caller, { limit: 10, offset: 0 });
    expect(events.events.map((event) => [event.event_type, event.data])).toEqual([
      ['DummyEngineStatusUpdate', { status: 'processing', command_id: command.command_id }],
      ['DummyEngineStatusUpdate', { status: 'completed', command_id: command.command_id }],
    ]);
  });

  it('runs a batch by priority, and in the order sent within a priority', async () => {
    const { engine, caller } = testEngine();
    const { session_id } = await engine.sessions.create({}, caller);
    const batch = await engine.commands.batch(session_id, caller, {
      commands: [
        dummy('low 1', 'low'),
        dummy('normal 1'),
        dummy('high 1', 'high'),
        dummy('high 2', 'high'),
        dummy('low 2', 'low'),
      ].map((command) => ({ ...command, metadata: { ...command.metadata } })),
    });
    // The queue took the high-priority command at once; the others wait.
    expect(batch.commands.map((command) => command.status)).toEqual([
      'queued',
      'queued',
      'executing',
      'queued',
      'queued',
    ]);
    expect(batch.commands.map((command) => command.parameters.prompt)).toEqual([
      'low 1',
      'normal 1',
      'high 1',
      'high 2',
      'low 2',
    ]);
    await eventually(async () => (await engine.commands.counts(session_id)).completed === 5);
    const { events } = await engine.events.list(session_id, caller, {
      limit: 100,
      offset: 0,
      event_type: 'DummyEngineStatusUpdate',
    });
    const prompts = new Map(batch.commands.map((command) => [command.command_id, command.parameters.prompt]));
    const order = events
      .filter((event) => event.data.status === 'processing')
      .map((event) => prompts.get(event.data.command_id as string));
    expect(order).toEqual(['high 1', 'high 2', 'normal 1', 'low 1', 'low 2']);
  });

  it('refuses a command type with no handler, and a batch with one, queuing nothing', async () => {
    const { engine, caller } = testEngine();
    const { session_id } = await engine.sessions.create({}, caller);
    await expect(
      engine.commands.create(session_id, caller, { command_type: 'Unknown', parameters: {}, metadata: {} }),
    ).rejects.toMatchObject({ code: 'HANDLER_NOT_FOUND', status: 404 });
    await expect(
      engine.commands.batch(session_id, caller, {
        commands: [dummy('fine'), { command_type: 'Unknown', parameters: {}, metadata: {} }],
      }),
    ).rejects.toMatchObject({ code: 'HANDLER_NOT_FOUND', details: { index: 1 } });
    expect(await engine.commands.counts(session_id)).toEqual({
      queued: 0,
      executing: 0,
      completed: 0,
      failed: 0,
      timeout: 0,
      cancelled: 0,
    });
  });

  it("checks a DummyEngineCommand's parameters before queuing it", async () => {
    const { engine, caller } = testEngine();
    const { session_id } = await engine.sessions.create({}, caller);
    await expect(
      engine.commands.create(session_id, caller, {
        command_type: 'DummyEngineCommand',
        parameters: {},
        metadata: {},
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { fields: [{ path: 'body.parameters.prompt' }] },
    });
  });

  it('fails the commands it was running before a restart and runs the queued ones', async () => {
    const { engine, repositories, caller } = testEngine({ commands: { runnerId: 'run_before' } });
    const { session_id } = await engine.sessions.create({}, caller);
    const at = new Date().toISOString();
    const [running, queued] = await repositories.sessions.commands.create([
      {
        id: 'cmd_running',
        session_id,
        command_type: 'DummyEngineCommand',
        parameters: { prompt: 'a' },
        metadata: { priority: 'normal', timeout: 30 },
        created_at: at,
      },
      {
        id: 'cmd_queued',
        session_id,
        command_type: 'DummyEngineCommand',
        parameters: { prompt: 'b' },
        metadata: { priority: 'normal', timeout: 30 },
        created_at: at,
      },
    ]);
    await repositories.sessions.commands.claimNext(session_id, {
      runner: 'run_before',
      started_at: at,
      lease_expires_at: () => new Date(Date.now() + 60_000).toISOString(),
    });
    expect((await repositories.sessions.commands.get(session_id, running!.id))?.status).toBe('executing');

    expect(await engine.commands.recover()).toEqual({ failed: 1, resumed: 1 });
    const failed = await engine.commands.get(session_id, caller, running!.id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('SERVER_RESTARTED');
    await eventually(
      async () => (await engine.commands.get(session_id, caller, queued!.id)).status === 'completed',
    );
  });

  it('leaves the running commands of another live runner alone, and ends those whose lease ran out', async () => {
    const { engine, repositories, caller } = testEngine({ commands: { runnerId: 'run_me' } });
    const { session_id: first } = await engine.sessions.create({}, caller);
    const { session_id: second } = await engine.sessions.create({}, caller);
    const at = new Date().toISOString();
    for (const [id, session_id] of [
      ['cmd_live', first],
      ['cmd_dead', second],
    ] as const) {
      await repositories.sessions.commands.create([
        {
          id,
          session_id,
          command_type: 'DummyEngineCommand',
          parameters: { prompt: id },
          metadata: { priority: 'normal', timeout: 1 },
          created_at: at,
        },
      ]);
    }
    await repositories.sessions.commands.claimNext(first, {
      runner: 'run_other',
      started_at: at,
      lease_expires_at: () => new Date(Date.now() + 60_000).toISOString(),
    });
    await repositories.sessions.commands.claimNext(second, {
      runner: 'run_other',
      started_at: at,
      lease_expires_at: () => new Date(Date.now() - 1).toISOString(),
    });
    expect(await engine.commands.sweep()).toEqual({ failed: 1, resumed: 0 });
    expect((await engine.commands.get(first, caller, 'cmd_live')).status).toBe('executing');
    expect((await engine.commands.get(second, caller, 'cmd_dead')).error?.code).toBe('SERVER_RESTARTED');
  });

  it('cancels a queued command, and answers a finished one as it is', async () => {
    const { engine, repositories, caller } = testEngine();
    const { session_id } = await engine.sessions.create({}, caller);
    await repositories.sessions.commands.create([
      {
        id: 'cmd_waiting',
        session_id,
        command_type: 'DummyEngineCommand',
        parameters: { prompt: 'x' },
        metadata: { priority: 'low', timeout: 30 },
        created_at: new Date().toISOString(),
      },
    ]);
    const cancelled = await engine.commands.cancel(session_id, caller, 'cmd_waiting');
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error).toEqual({ code: 'COMMAND_CANCELLED', message: 'The command was cancelled' });
    expect(await engine.commands.cancel(session_id, caller, 'cmd_waiting')).toEqual(cancelled);
    await expect(engine.commands.cancel(session_id, caller, 'cmd_nothing')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('answers 429 past the queue limit of a session', async () => {
    const { engine, repositories, caller } = testEngine({ commands: { maxQueuedPerSession: 2 } });
    const { session_id } = await engine.sessions.create({}, caller);
    await repositories.sessions.commands.create(
      ['cmd_1', 'cmd_2'].map((id) => ({
        id,
        session_id,
        command_type: 'DummyEngineCommand',
        parameters: { prompt: id },
        metadata: { priority: 'low' as const, timeout: 30 },
        created_at: new Date().toISOString(),
      })),
    );
    await expect(engine.commands.create(session_id, caller, dummy('one more'))).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
    });
  });

  it('turns new commands away once it drains for a shutdown', async () => {
    const { engine, caller } = testEngine();
    const { session_id } = await engine.sessions.create({}, caller);
    await engine.commands.drain(0);
    await expect(engine.commands.create(session_id, caller, dummy('late'))).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
  });
});

describe('sessions', () => {
  it("reaches only the caller's user's sessions, and a client secret only its own", async () => {
    const { engine, caller } = testEngine();
    const { session_id } = await engine.sessions.create({ name: 'mine' }, caller);
    await expect(engine.sessions.get(session_id, { userId: 'usr_other' })).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
    });
    await expect(
      engine.sessions.get(session_id, { userId: caller.userId, sessionId: 'sess_other' }),
    ).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    expect(
      (await engine.sessions.get(session_id, { userId: caller.userId, sessionId: session_id })).name,
    ).toBe('mine');
  });

  it('deletes everything a session owns, and tells its streams', async () => {
    const { engine, repositories, caller } = testEngine();
    const { session_id } = await engine.sessions.create({}, caller);
    await engine.events.publish(session_id, caller, { event_type: 'Kept', data: {}, metadata: {} });
    await engine.engines.create({ engine_type: 'DummyEngine', session_id, configuration: {} }, caller);
    let deleted = 0;
    await engine.events.follow(
      session_id,
      caller,
      {},
      { event: () => {}, ready: () => {}, deleted: () => deleted++ },
    );
    expect(await engine.sessions.delete(session_id, caller)).toEqual({ session_id, deleted: true });
    expect(deleted).toBe(1);
    expect(await repositories.sessions.events.count(session_id)).toBe(0);
    expect(await repositories.engines.engines.count(session_id)).toBe(0);
    await expect(engine.sessions.get(session_id, caller)).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
    });
  });

  it('refuses new work in an expired ChatKit session, and still shows its records', async () => {
    const { engine, repositories, caller } = testEngine();
    const session = await repositories.chatkit.sessions.create({
      user_id: caller.userId,
      expires_at: new Date(Date.now() - 1000),
    });
    expect((await engine.sessions.get(session.id, caller)).status).toBe('expired');
    await expect(
      engine.events.publish(session.id, caller, { event_type: 'Late', data: {}, metadata: {} }),
    ).rejects.toMatchObject({ code: 'CONFLICT', details: { status: 'expired' } });
  });
});
