import type { StoredComputerUseRun } from '@cartrita/engine';
import { describe, expect, it } from 'vitest';
import { implementations } from './implementations.js';

const run = (id: string, overrides: Partial<StoredComputerUseRun> = {}): StoredComputerUseRun => ({
  id,
  user_id: 'usr_a',
  status: 'awaiting_action',
  task: 'Open the docs',
  environment: { type: 'browser', display_width: 1280, display_height: 800 },
  model: 'computer-use-preview',
  pending_call: {
    call_id: 'call_1',
    actions: [{ type: 'click', button: 'left', x: 10, y: 20 }],
    pending_safety_checks: [{ id: 'sc_1', code: 'irrelevant_domain', message: null }],
  },
  output: '',
  error: null,
  steps_taken: 1,
  max_steps: 30,
  expires_at: '2026-12-01T10:10:00.000Z',
  created_at: '2026-12-01T10:00:00.000Z',
  updated_at: '2026-12-01T10:00:01.000Z',
  last_response_id: 'resp_1',
  steps: [
    {
      index: 1,
      calls: [
        {
          call_id: 'call_1',
          actions: [{ type: 'click', button: 'left', x: 10, y: 20 }],
          pending_safety_checks: [],
        },
      ],
      output: '',
      answered: null,
      created_at: '2026-12-01T10:00:01.000Z',
    },
  ],
  ...overrides,
});

describe.each(implementations)('computer-use repositories on $name', (implementation) => {
  it('keeps a run as given and gives it back to its user only', async () => {
    const { store } = await implementation.open();
    expect(await store.computerUseRuns.create(run('cu_1'))).toEqual(run('cu_1'));
    expect(await store.computerUseRuns.get('cu_1', 'usr_a')).toEqual(run('cu_1'));
    expect(await store.computerUseRuns.get('cu_1', 'usr_b')).toBeUndefined();
    expect(await store.computerUseRuns.get('cu_none', 'usr_a')).toBeUndefined();
  });

  it('replaces a run only while its status is the one expected', async () => {
    const { store } = await implementation.open();
    await store.computerUseRuns.create(run('cu_1'));
    const finished = run('cu_1', {
      status: 'completed',
      pending_call: null,
      output: 'Done.',
      error: null,
      steps_taken: 2,
      last_response_id: 'resp_2',
    });
    expect(await store.computerUseRuns.replace(finished, 'running')).toBe(false);
    expect(await store.computerUseRuns.get('cu_1', 'usr_a')).toEqual(run('cu_1'));
    expect(await store.computerUseRuns.replace(finished, 'awaiting_action')).toBe(true);
    expect(await store.computerUseRuns.get('cu_1', 'usr_a')).toEqual(finished);
    const failed = run('cu_1', { status: 'failed', error: { code: 'PROVIDER_ERROR', message: 'Down.' } });
    expect(await store.computerUseRuns.replace(failed, 'awaiting_action')).toBe(false);
  });
});
