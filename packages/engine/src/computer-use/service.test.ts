import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { createMemoryComputerUseRepositories } from './memory.js';
import type { ComputerUseModel } from './model.js';
import { ComputerUseService } from './service.js';

const environment = { type: 'browser', display_width: 800, display_height: 600 } as const;

/** A clock a test moves by hand. */
const manualClock = (start: string) => {
  let now = Date.parse(start);
  const clock: Clock = { now: () => new Date(now) };
  return { clock, advance: (ms: number) => (now += ms) };
};

const clicker: ComputerUseModel = {
  async turn() {
    return {
      responseId: 'resp_1',
      output: '',
      calls: [{ call_id: 'call_1', actions: [{ type: 'wait' }], pending_safety_checks: [] }],
    };
  },
};

const service = (clock: Clock, model: ComputerUseModel = clicker) => {
  const { computerUseRuns } = createMemoryComputerUseRepositories();
  return {
    runs: computerUseRuns,
    service: new ComputerUseService({
      runs: computerUseRuns,
      model,
      limits: { model: 'computer-use-preview', maxSteps: 10, timeoutMs: 60_000 },
      clock,
    }),
  };
};

describe('ComputerUseService', () => {
  it('caps a run’s deadline at the server’s and sets it from the start', async () => {
    const { clock } = manualClock('2026-12-01T10:00:00.000Z');
    const { service: runs } = service(clock);
    const run = await runs.execute({ task: 't', environment, timeout_seconds: 3600 }, 'usr_a');
    expect(run.expires_at).toBe('2026-12-01T10:01:00.000Z');
    const short = await runs.execute({ task: 't', environment, timeout_seconds: 10 }, 'usr_a');
    expect(short.expires_at).toBe('2026-12-01T10:00:10.000Z');
  });

  it('ends a waiting run timed_out when a step comes after its deadline, without calling the model', async () => {
    const { clock, advance } = manualClock('2026-12-01T10:00:00.000Z');
    let turns = 0;
    const { service: runs } = service(clock, { turn: async (request) => (turns++, clicker.turn(request)) });
    const run = await runs.execute({ task: 't', environment }, 'usr_a');
    advance(61_000);
    const ended = await runs.continue(
      run.id,
      { call_id: 'call_1', screenshot: 'data:image/png;base64,AAAA' },
      'usr_a',
    );
    expect(ended.status).toBe('timed_out');
    expect(turns).toBe(1);
  });

  it('ends a run a stopped server left running, once past its deadline and the grace', async () => {
    const { clock, advance } = manualClock('2026-12-01T10:00:00.000Z');
    const { service: runs, runs: store } = service(clock);
    const run = await runs.execute({ task: 't', environment }, 'usr_a');
    const stored = await store.get(run.id, 'usr_a');
    await store.replace({ ...(stored as NonNullable<typeof stored>), status: 'running' }, 'awaiting_action');
    advance(62_000);
    expect((await runs.get(run.id, 'usr_a')).status).toBe('running');
    advance(4_000);
    expect((await runs.get(run.id, 'usr_a')).status).toBe('timed_out');
  });

  it('answers 404 to another user and 503 without a model', async () => {
    const { clock } = manualClock('2026-12-01T10:00:00.000Z');
    const { service: runs } = service(clock);
    const run = await runs.execute({ task: 't', environment }, 'usr_a');
    await expect(runs.get(run.id, 'usr_b')).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    const none = new ComputerUseService({
      runs: createMemoryComputerUseRepositories().computerUseRuns,
      limits: { model: 'm', maxSteps: 1, timeoutMs: 1000 },
      clock,
    });
    await expect(none.execute({ task: 't', environment }, 'usr_a')).rejects.toMatchObject({
      code: 'PROVIDER_NOT_CONFIGURED',
      status: 503,
    });
  });
});
