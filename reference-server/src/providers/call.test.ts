import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { githubHandlers } from '../../test/mocks/github.js';
import { huggingfaceHandlers } from '../../test/mocks/huggingface.js';
import { click, responsesHandler } from '../../test/mocks/openai-responses.js';
import type { ProviderCall, ProviderCaller } from './call.js';
import { createComputerUseModel } from './computer-use.js';
import { createGitHubClient } from './github.js';
import { createHuggingFaceClient } from './huggingface.js';

const upstream = setupServer(
  ...githubHandlers(),
  ...huggingfaceHandlers(),
  responsesHandler([[click(1, 2)]]),
);
beforeAll(() => upstream.listen({ onUnhandledFrame: 'error' }));
afterEach(() => upstream.resetHandlers());
afterAll(() => upstream.close());

/** A wrapper that records what each call says it is, then runs it. */
const recording = () => {
  const calls: ProviderCall[] = [];
  const call: ProviderCaller = (spec, run) => {
    calls.push(spec);
    return run();
  };
  return { calls, call };
};

it('runs every GitHub read through the wrapper as a proxy call of github, with the caller’s signal', async () => {
  const { calls, call } = recording();
  const signal = new AbortController().signal;
  const answer = await createGitHubClient({ apiKey: 'ghp_x', call }).read({
    path: '/repos/octocat/hello-world',
    query: {},
    signal,
  });
  expect(answer.status).toBe(200);
  expect(calls).toEqual([{ provider: 'github', operation: 'proxy', signal }]);
});

it('runs every inference through the wrapper with the model and what decides a cached answer', async () => {
  const { calls, call } = recording();
  const signal = new AbortController().signal;
  await createHuggingFaceClient({ apiKey: 'hf_x', call }).run({
    task: 'text-generation',
    model: 'openai-community/gpt2',
    inputs: 'Once',
    parameters: { temperature: 0.7 },
    signal,
  });
  expect(calls).toEqual([
    {
      provider: 'huggingface',
      operation: 'inference',
      model: 'openai-community/gpt2',
      signal,
      cache: {
        request: {
          task: 'text-generation',
          model: 'openai-community/gpt2',
          inputs: 'Once',
          parameters: { temperature: 0.7 },
        },
        temperature: 0.7,
      },
    },
  ]);
});

it('runs every computer-use turn through the wrapper as an openai call, never cached', async () => {
  const { calls, call } = recording();
  const signal = new AbortController().signal;
  const turn = await createComputerUseModel({ apiKey: 'sk-x', call }).turn({
    model: 'computer-use-preview',
    environment: { type: 'browser', display_width: 800, display_height: 600 },
    start: { task: 'Open the docs' },
    signal,
  });
  expect(turn.calls.map((each) => each.actions)).toEqual([[{ type: 'click', button: 'left', x: 1, y: 2 }]]);
  expect(calls).toEqual([
    { provider: 'openai', operation: 'computer_use', model: 'computer-use-preview', signal },
  ]);
});
