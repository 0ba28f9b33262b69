import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listenBesideLoopback } from '../../../test/mocks/listen.js';
import {
  click,
  computerCall,
  done,
  responsesError,
  responsesHandler,
  responsesMalformed,
  responsesRecorder,
  responsesStall,
} from '../../../test/mocks/openai-responses.js';
import { startTestServer, type TestServer } from '../../testing.js';

const OPENAI_KEY = 'sk-test-computer-use-0123456789';
const CU_KEY = 'ck_cu_0123456789abcdef';
const ADMIN_KEY = 'ck_admin_0123456789abcdef';
const SCREEN = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==';
const environment = { type: 'browser', display_width: 1280, display_height: 800 } as const;

const upstream = setupServer();
let server: TestServer;
let bare: TestServer;

beforeAll(async () => {
  listenBesideLoopback(upstream);
  server = await startTestServer({
    env: {
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_TIMEOUT_MS: '2000',
      COMPUTER_USE_MAX_STEPS: '5',
      API_KEYS: `cu:computer_use:${CU_KEY},ops:admin:${ADMIN_KEY},gh:github:ck_github_0123456789abcdef`,
    },
  });
  bare = await startTestServer();
});
afterEach(() => {
  upstream.resetHandlers();
  responsesRecorder.clear();
});
afterAll(async () => {
  await server.close();
  await bare.close();
  upstream.close();
});

interface Run {
  id: string;
  status: string;
  actions: { type: string }[];
  pending_call: { call_id: string; actions: unknown[]; pending_safety_checks: { id: string }[] } | null;
  output: string;
  steps_taken: number;
  max_steps: number;
  error: { code: string; message: string } | null;
}

const call = (
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  on = server,
) =>
  fetch(`${on.url}${path}`, {
    method,
    headers: { 'x-api-key': CU_KEY, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const start = async (body: Record<string, unknown> = {}) => {
  const response = await call('POST', '/api/computer-use/execute', {
    task: 'Open the docs',
    environment,
    ...body,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Run;
};
const next = (run: Run, body: Record<string, unknown> = {}) =>
  call('POST', `/api/computer-use/${run.id}/continue`, {
    call_id: run.pending_call?.call_id,
    screenshot: SCREEN,
    ...body,
  });
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

describe('computer use', () => {
  it('starts a run with the documented Responses API request and answers the first actions', async () => {
    upstream.use(responsesHandler([[click(10, 20)]]));
    const run = await start({ screenshot: SCREEN });
    expect(run).toMatchObject({
      status: 'awaiting_action',
      actions: [{ type: 'click', button: 'left', x: 10, y: 20 }],
      output: '',
      steps_taken: 1,
      max_steps: 5,
      error: null,
    });
    expect(run.id).toMatch(/^cu_[0-9a-f]{16}$/);
    const sent = responsesRecorder.last;
    expect(sent?.headers.get('authorization')).toBe(`Bearer ${OPENAI_KEY}`);
    expect(sent?.body).toEqual({
      model: 'computer-use-preview',
      tools: [
        { type: 'computer_use_preview', display_width: 1280, display_height: 800, environment: 'browser' },
      ],
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Open the docs' },
            { type: 'input_image', image_url: SCREEN, detail: 'auto' },
          ],
        },
      ],
      truncation: 'auto',
    });
  });

  it('loops: the screenshot goes back as computer_call_output until the model answers in words, each step recorded', async () => {
    const risky = computerCall({ type: 'type', text: 'hello' }, [
      { id: 'sc_1', code: 'malicious_instructions', message: 'The page asks for odd things.' },
    ]);
    upstream.use(responsesHandler([[click(1, 2)], [risky], [done('The docs are open.')]]));
    const first = await start();
    const second = (await (await next(first, { current_url: 'https://example.com/' })).json()) as Run;
    const sentSecond = responsesRecorder.last?.body as unknown as Record<string, unknown>;
    expect(sentSecond.previous_response_id).toMatch(/^resp_/);
    expect(sentSecond.input).toEqual([
      {
        type: 'computer_call_output',
        call_id: first.pending_call?.call_id,
        output: { type: 'computer_screenshot', image_url: SCREEN },
      },
    ]);
    expect(second.pending_call?.pending_safety_checks).toEqual([
      { id: 'sc_1', code: 'malicious_instructions', message: 'The page asks for odd things.' },
    ]);

    const unacknowledged = await next(second);
    expect(unacknowledged.status).toBe(422);
    expect(responsesRecorder.requests).toHaveLength(2);

    const finished = (await (await next(second, { acknowledged_safety_checks: ['sc_1'] })).json()) as Run;
    expect(
      (responsesRecorder.last!.body.input as unknown as Record<string, unknown>[])[0]
        ?.acknowledged_safety_checks,
    ).toEqual([{ id: 'sc_1', code: 'malicious_instructions', message: 'The page asks for odd things.' }]);
    expect(finished).toMatchObject({
      status: 'completed',
      actions: [],
      pending_call: null,
      output: 'The docs are open.',
      steps_taken: 3,
    });

    const detail = (await (await call('GET', `/api/computer-use/${first.id}`)).json()) as Run & {
      steps: { index: number; calls: unknown[]; output: string; answered: unknown }[];
    };
    expect(detail.steps.map((step) => [step.index, step.calls.length, step.output])).toEqual([
      [1, 1, ''],
      [2, 1, ''],
      [3, 0, 'The docs are open.'],
    ]);
    expect(detail.steps[1]?.answered).toEqual({
      call_id: first.pending_call?.call_id,
      current_url: 'https://example.com/',
      acknowledged_safety_checks: [],
      screenshot_bytes: 16,
    });
    expect(detail.steps[2]?.answered).toMatchObject({ acknowledged_safety_checks: ['sc_1'] });

    const after = await next(second, { acknowledged_safety_checks: ['sc_1'] });
    expect(after.status).toBe(409);
  });

  it('takes a screenshot larger than the server’s 1 MB JSON body limit', async () => {
    upstream.use(responsesHandler([[click(1, 2)]]));
    const large = `data:image/png;base64,${'A'.repeat(3 * 1024 * 1024)}`;
    const run = await start({ screenshot: large });
    expect(run.status).toBe('awaiting_action');
    const response = await next(run, { screenshot: large });
    expect(response.status).toBe(200);
    const detail = (await (await call('GET', `/api/computer-use/${run.id}`)).json()) as {
      steps: { answered: { screenshot_bytes: number } | null }[];
    };
    expect(detail.steps[1]?.answered?.screenshot_bytes).toBe((3 * 1024 * 1024 * 3) / 4);
  });

  it('answers 409 for a call id the run does not wait for', async () => {
    upstream.use(responsesHandler([[click(1, 2)]]));
    const run = await start();
    const response = await next(run, { call_id: 'call_other' });
    expect(response.status).toBe(409);
    expect((await errorOf(response)).message).toBe(
      `The run waits for the call ${run.pending_call?.call_id}, not call_other.`,
    );
  });

  it('ends at the step limit, the request’s own when lower than the server’s', async () => {
    upstream.use(responsesHandler([[click(1, 2)]]));
    const run = await start({ max_steps: 2 });
    const last = (await (await next(run)).json()) as Run;
    expect(last).toMatchObject({
      status: 'step_limit_reached',
      steps_taken: 2,
      max_steps: 2,
      pending_call: null,
    });
    expect((await next(run)).status).toBe(409);
    const capped = await start({ max_steps: 50 });
    expect(capped.max_steps).toBe(5);
  });

  it('cancels a waiting run, and a turn under way', async () => {
    upstream.use(responsesHandler([[click(1, 2)]]));
    const waiting = await start();
    const cancelled = (await (await call('POST', `/api/computer-use/${waiting.id}/cancel`)).json()) as Run;
    expect(cancelled).toMatchObject({ status: 'cancelled', pending_call: null, actions: [] });
    expect((await next(waiting)).status).toBe(409);

    const busy = await start();
    const stall = responsesStall();
    upstream.use(stall.handler);
    const turn = next(busy);
    await stall.started;
    const stopped = (await (await call('POST', `/api/computer-use/${busy.id}/cancel`)).json()) as Run;
    expect(stopped.status).toBe('cancelled');
    const answer = await turn;
    expect(((await answer.json()) as Run).status).toBe('cancelled');
  });

  it('times a run out at its deadline', async () => {
    upstream.use(responsesHandler([[click(1, 2)]]));
    const run = await start({ timeout_seconds: 1 });
    upstream.use(responsesStall().handler);
    const ended = (await (await next(run)).json()) as Run;
    expect(ended.status).toBe('timed_out');
  });

  it('answers 502 when a turn outlasts the OpenAI timeout, and keeps the run waiting', async () => {
    upstream.use(responsesHandler([[click(1, 2)]]));
    const run = await start();
    upstream.use(responsesStall().handler);
    const response = await next(run);
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { details: unknown } }).error.details).toEqual({
      provider: 'openai',
      upstream_status: null,
      reason: 'timeout',
    });
    const stored = (await (await call('GET', `/api/computer-use/${run.id}`)).json()) as Run;
    expect(stored.status).toBe('awaiting_action');
  });

  it('keeps a run waiting after an upstream 429, so the step can be sent again', async () => {
    upstream.use(responsesHandler([[click(1, 2)]]));
    const run = await start();
    upstream.use(responsesError(429, { 'retry-after': '3' }));
    const limited = await next(run);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    const stored = (await (await call('GET', `/api/computer-use/${run.id}`)).json()) as Run;
    expect(stored.status).toBe('awaiting_action');
  });

  it('fails a run whose first turn gets a malformed answer or an upstream failure', async () => {
    upstream.use(responsesMalformed());
    const malformed = await call('POST', '/api/computer-use/execute', { task: 'x', environment });
    expect(malformed.status).toBe(502);
    expect((await errorOf(malformed)).message).toBe('The openai provider sent a malformed response.');
    upstream.resetHandlers();
    upstream.use(responsesError(500));
    const failed = await call('POST', '/api/computer-use/execute', { task: 'x', environment });
    expect(failed.status).toBe(502);
  });

  it('keeps each user’s runs to that user', async () => {
    upstream.use(responsesHandler([[click(1, 2)]]));
    const asUser = (user: string) => ({ 'x-api-key': ADMIN_KEY, 'x-cartrita-user': user });
    const response = await call(
      'POST',
      '/api/computer-use/execute',
      { task: 'x', environment },
      asUser('alice'),
    );
    const run = (await response.json()) as Run;
    expect((await call('GET', `/api/computer-use/${run.id}`, undefined, asUser('bob'))).status).toBe(404);
    expect((await call('POST', `/api/computer-use/${run.id}/cancel`, undefined, asUser('bob'))).status).toBe(
      404,
    );
    expect((await call('GET', `/api/computer-use/${run.id}`, undefined, asUser('alice'))).status).toBe(200);
  });

  it('answers 503 without OPENAI_API_KEY, 403 to a key of another scope, 422 for a bad environment', async () => {
    const none = await call(
      'POST',
      '/api/computer-use/execute',
      { task: 'x', environment },
      { 'x-api-key': bare.apiKey },
      bare,
    );
    expect(none.status).toBe(503);
    expect((await errorOf(none)).code).toBe('PROVIDER_NOT_CONFIGURED');
    const other = await call(
      'POST',
      '/api/computer-use/execute',
      { task: 'x', environment },
      { 'x-api-key': 'ck_github_0123456789abcdef' },
    );
    expect(other.status).toBe(403);
    const bad = await call('POST', '/api/computer-use/execute', {
      task: 'x',
      environment: { ...environment, type: 'amiga' },
    });
    expect(bad.status).toBe(422);
    expect(responsesRecorder.requests).toHaveLength(0);
  });
});
