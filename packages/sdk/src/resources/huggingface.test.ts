import type { HuggingFaceClient, HuggingFaceRun } from '@cartrita/engine';
import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import { isAPIError } from '../core/errors.js';

const baseURL = 'http://huggingface.test';
const apiKey = 'test-key-huggingface-0123456789';
const runs: Omit<HuggingFaceRun, 'signal'>[] = [];

/** A client that answers each task's documented shape. */
const huggingface: HuggingFaceClient = {
  async run({ signal: _signal, ...request }) {
    runs.push(request);
    if (request.task === 'summarization') return [{ summary_text: 'Short.' }];
    if (request.task === 'question-answering') return { answer: 'Paris', score: 0.9, start: 0, end: 5 };
    return [{ generated_text: 'Once upon a time' }];
  },
};
const mock = setupCartritaServer({ store: createStore({ baseURL, apiKeys: [apiKey], huggingface }) });

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  mock.reset();
  runs.length = 0;
});
afterAll(() => mock.close());

describe('client.huggingface', () => {
  it('runs text generation by default, and other tasks typed by the task', async () => {
    const client = new CartritaClient({ baseURL, apiKey });
    const [generated] = await client.huggingface.inference({
      model: 'openai-community/gpt2',
      inputs: 'Once',
    });
    expect(generated?.generated_text).toBe('Once upon a time');
    const [summary] = await client.huggingface.inference({
      model: 'facebook/bart-large-cnn',
      task: 'summarization',
      inputs: 'A long text.',
      parameters: { max_length: 20 },
    });
    expect(summary?.summary_text).toBe('Short.');
    expect(runs.map((run) => run.task)).toEqual(['text-generation', 'summarization']);
    expect(runs[1]?.parameters).toEqual({ max_length: 20 });
  });

  it('rejects inputs without the task’s shape with a 422', async () => {
    const client = new CartritaClient({ baseURL, apiKey, maxRetries: 0 });
    const error = await client.huggingface
      .inference({ model: 'deepset/roberta-base-squad2', task: 'question-answering', inputs: 'Where?' })
      .catch((caught: unknown) => caught);
    expect(isAPIError(error) && error.status).toBe(422);
    expect(runs).toEqual([]);
  });
});
