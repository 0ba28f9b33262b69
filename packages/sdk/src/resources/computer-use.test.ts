import type { ComputerUseModel, ComputerUseTurnRequest } from '@cartrita/engine';
import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import { isAPIError } from '../core/errors.js';

const baseURL = 'http://computer-use.test';
const apiKey = 'test-key-computer-use-0123456789';
const screen = 'data:image/png;base64,iVBORw0KGgo=';
const turns: ComputerUseTurnRequest[] = [];

/** A model that clicks once, asks to type past a safety check, then says it is done. */
const model: ComputerUseModel = {
  async turn(request) {
    turns.push(request);
    const n = turns.length;
    if (n === 1) {
      return {
        responseId: 'resp_1',
        output: '',
        calls: [{ call_id: 'call_1', actions: [{ type: 'click', x: 5, y: 6 }], pending_safety_checks: [] }],
      };
    }
    if (n === 2) {
      return {
        responseId: 'resp_2',
        output: '',
        calls: [
          {
            call_id: 'call_2',
            actions: [{ type: 'type', text: 'hi' }],
            pending_safety_checks: [{ id: 'sc_1', code: 'sensitive_domain', message: 'A bank.' }],
          },
        ],
      };
    }
    return { responseId: `resp_${n}`, output: 'Done.', calls: [] };
  },
};
const mock = setupCartritaServer({
  store: createStore({ baseURL, apiKeys: [apiKey], computerUse: { model } }),
});

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  mock.reset();
  turns.length = 0;
});
afterAll(() => mock.close());

const environment = { type: 'browser', display_width: 800, display_height: 600 } as const;

describe('client.computerUse', () => {
  it('runs the loop: actions out, screenshots in, until the model is done; the steps are readable', async () => {
    const client = new CartritaClient({ baseURL, apiKey, maxRetries: 0 });
    let run = await client.computerUse.execute({ task: 'Say hi', environment, screenshot: screen });
    expect(run.actions).toEqual([{ type: 'click', x: 5, y: 6 }]);
    run = await client.computerUse.continue(run.id, { call_id: 'call_1', screenshot: screen });
    expect(run.pending_call?.pending_safety_checks.map((check) => check.id)).toEqual(['sc_1']);
    const refused = await client.computerUse
      .continue(run.id, { call_id: 'call_2', screenshot: screen })
      .catch((error: unknown) => error);
    expect(isAPIError(refused) && refused.status).toBe(422);
    run = await client.computerUse.continue(run.id, {
      call_id: 'call_2',
      screenshot: screen,
      acknowledged_safety_checks: ['sc_1'],
    });
    expect(run).toMatchObject({ status: 'completed', output: 'Done.', steps_taken: 3 });
    expect(turns[1]?.answer).toEqual({
      previousResponseId: 'resp_1',
      callId: 'call_1',
      screenshot: screen,
      acknowledged: [],
    });
    const detail = await client.computerUse.retrieve(run.id);
    expect(detail.steps.map((step) => step.index)).toEqual([1, 2, 3]);
  });

  it('cancels a run', async () => {
    const client = new CartritaClient({ baseURL, apiKey, maxRetries: 0 });
    const run = await client.computerUse.execute({ task: 'Say hi', environment });
    expect((await client.computerUse.cancel(run.id)).status).toBe('cancelled');
    const late = await client.computerUse
      .continue(run.id, { call_id: 'call_1', screenshot: screen })
      .catch((e: unknown) => e);
    expect(isAPIError(late) && late.status).toBe(409);
  });
});
