import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  huggingfaceAnswer,
  huggingfaceFailure,
  huggingfaceHandlers,
  huggingfaceRecorder,
  huggingfaceStall,
} from '../../../test/mocks/huggingface.js';
import { listenBesideLoopback } from '../../../test/mocks/listen.js';
import { openaiError, openaiHandlers, openaiRecorder } from '../../../test/mocks/openai.js';
import { startTestServer, type TestServer } from '../../testing.js';

const TOKEN = 'hf_test0123456789SECRET';
const ROUTER = 'https://router.huggingface.co/v1';
const upstream = setupServer(
  ...huggingfaceHandlers(),
  ...openaiHandlers({ baseURL: ROUTER, tokens: ['Hello', ' from', ' the', ' Hub'] }),
);
let server: TestServer;
let bare: TestServer;

beforeAll(async () => {
  listenBesideLoopback(upstream);
  server = await startTestServer({
    env: {
      HUGGINGFACE_API_KEY: TOKEN,
      HUGGINGFACE_TIMEOUT_MS: '300',
      API_KEYS: 'hf:huggingface+chat:ck_hf_0123456789abcdef,gh:github:ck_github_0123456789abcdef',
    },
  });
  bare = await startTestServer();
});
afterEach(() => {
  upstream.resetHandlers();
  huggingfaceRecorder.clear();
  openaiRecorder.clear();
});
afterAll(async () => {
  await server.close();
  await bare.close();
  upstream.close();
});

const post = (path: string, body: unknown, key = 'ck_hf_0123456789abcdef', on = server) =>
  fetch(`${on.url}${path}`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const infer = (body: unknown, key?: string) => post('/api/huggingface/inference', body, key);
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string; details: Record<string, unknown> } })
    .error;

describe('POST /api/huggingface/inference', () => {
  it('runs text generation by default with the documented request and the server’s token', async () => {
    const response = await infer({
      model: 'openai-community/gpt2',
      inputs: 'Once',
      parameters: { max_new_tokens: 5 },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([{ generated_text: 'Once and then some' }]);
    const sent = huggingfaceRecorder.last;
    expect(sent?.url.pathname).toBe('/hf-inference/models/openai-community/gpt2');
    expect(sent?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(sent?.headers.get('x-wait-for-model')).toBe(null);
    expect(sent?.body).toEqual({ inputs: 'Once', parameters: { max_new_tokens: 5 } });
  });

  it.each([
    [
      'summarization',
      'facebook/bart-large-cnn',
      'First sentence. Second one.',
      undefined,
      [{ summary_text: 'First sentence' }],
    ],
    [
      'translation',
      'Helsinki-NLP/opus-mt-en-fr',
      'Hello world',
      undefined,
      [{ translation_text: 'Bonjour le monde' }],
    ],
    [
      'text-classification',
      'distilbert/distilbert-base-uncased-finetuned-sst-2-english',
      'I love it',
      undefined,
      [
        [
          { label: 'POSITIVE', score: 0.9998 },
          { label: 'NEGATIVE', score: 0.0002 },
        ],
      ],
    ],
    [
      'token-classification',
      'dslim/bert-base-NER',
      'Ada wrote code',
      undefined,
      [{ entity_group: 'PER', score: 0.998, word: 'Ada', start: 0, end: 3 }],
    ],
    [
      'zero-shot-classification',
      'facebook/bart-large-mnli',
      'The match ended 2-1',
      { candidate_labels: ['sport', 'politics'] },
      [
        { label: 'sport', score: 0.9 },
        { label: 'politics', score: 0.1 },
      ],
    ],
    [
      'question-answering',
      'deepset/roberta-base-squad2',
      { question: 'Capital?', context: 'The capital of France is Paris.' },
      undefined,
      { answer: 'Paris', score: 0.97, start: 26, end: 31 },
    ],
    [
      'fill-mask',
      'google-bert/bert-base-uncased',
      '[MASK] is the capital of france.',
      undefined,
      [{ sequence: 'paris is the capital of france.', score: 0.4, token: 3000, token_str: 'paris' }],
    ],
    ['feature-extraction', 'sentence-transformers/all-MiniLM-L6-v2', 'Hello', undefined, [0.1, -0.2, 0.3]],
    [
      'sentence-similarity',
      'sentence-transformers/all-MiniLM-L6-v2',
      { source_sentence: 'A cat', sentences: ['A kitten', 'A car'] },
      undefined,
      [0.87, 0.12],
    ],
  ])('runs %s on %s', async (task, model, inputs, parameters, expected) => {
    const response = await infer({ model, task, inputs, ...(parameters ? { parameters } : {}) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(expected);
    expect(huggingfaceRecorder.last?.body).toEqual({ inputs, ...(parameters ? { parameters } : {}) });
  });

  it('calls the pipeline path for feature extraction and sentence similarity', async () => {
    await infer({
      model: 'sentence-transformers/all-MiniLM-L6-v2',
      task: 'feature-extraction',
      inputs: 'Hi',
    });
    expect(huggingfaceRecorder.last?.url.pathname).toBe(
      '/hf-inference/models/sentence-transformers/all-MiniLM-L6-v2/pipeline/feature-extraction',
    );
  });

  it('answers 422 for inputs without the task’s shape, calling nobody', async () => {
    const response = await infer({
      model: 'deepset/roberta-base-squad2',
      task: 'question-answering',
      inputs: 'Where?',
    });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).message).toBe(
      'inputs do not have the shape of the question-answering task',
    );
    expect(huggingfaceRecorder.requests).toHaveLength(0);
  });

  it('answers 422 when Hugging Face rejects the inputs, and 404 for a model it does not serve', async () => {
    upstream.use(huggingfaceFailure(400, 'Input is too long'));
    const rejected = await infer({ model: 'openai-community/gpt2', inputs: 'x' });
    expect(rejected.status).toBe(422);
    expect((await errorOf(rejected)).message).toBe('Hugging Face rejected the request: Input is too long');
    upstream.resetHandlers();
    const missing = await infer({ model: 'nobody/nothing', inputs: 'x' });
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe('NOT_FOUND');
  });

  it('answers 502 with Retry-After for a cold model, and waits for it when asked', async () => {
    const cold = await infer({ model: 'cold/model', inputs: 'x' });
    expect(cold.status).toBe(502);
    expect(cold.headers.get('retry-after')).toBe('21');
    expect((await errorOf(cold)).details).toEqual({
      provider: 'huggingface',
      upstream_status: 503,
      reason: 'loading',
      estimated_time: 20.5,
    });
    const warm = await infer({ model: 'cold/model', inputs: 'x', wait_for_model: true });
    expect(await warm.json()).toEqual([{ generated_text: 'warmed up' }]);
    expect(huggingfaceRecorder.last?.headers.get('x-wait-for-model')).toBe('true');
  });

  it('answers 429 with Hugging Face’s Retry-After', async () => {
    upstream.use(huggingfaceFailure(429, 'Rate limit reached', { 'retry-after': '9' }));
    const response = await infer({ model: 'openai-community/gpt2', inputs: 'x' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('9');
    expect((await errorOf(response)).code).toBe('RATE_LIMITED');
  });

  it('answers 502 for a refused key, a failure, a stall and an answer without the task’s shape', async () => {
    upstream.use(huggingfaceFailure(401, 'Invalid credentials in Authorization header'));
    const refused = await errorOf(await infer({ model: 'openai-community/gpt2', inputs: 'x' }));
    expect(refused.message).toBe(
      "The huggingface provider refused this server's key (upstream status 401); check HUGGINGFACE_API_KEY.",
    );
    upstream.resetHandlers();
    upstream.use(huggingfaceFailure(500, 'CUDA out of memory'));
    const failed = await infer({ model: 'openai-community/gpt2', inputs: 'x' });
    expect(failed.status).toBe(502);
    expect((await errorOf(failed)).message).toBe(
      'The huggingface provider failed with status 500: CUDA out of memory',
    );
    upstream.resetHandlers();
    upstream.use(huggingfaceStall());
    const stalled = await errorOf(await infer({ model: 'openai-community/gpt2', inputs: 'x' }));
    expect(stalled.details).toEqual({ provider: 'huggingface', upstream_status: null, reason: 'timeout' });
    upstream.resetHandlers();
    upstream.use(huggingfaceAnswer({ unexpected: true }));
    const malformed = await errorOf(
      await infer({ model: 'facebook/bart-large-cnn', task: 'summarization', inputs: 'x' }),
    );
    expect(malformed.details).toEqual({ provider: 'huggingface', upstream_status: 200, reason: 'malformed' });
  });

  it('answers 503 PROVIDER_NOT_CONFIGURED without a key, and 403 to a key scoped to another provider', async () => {
    const bareResponse = await post(
      '/api/huggingface/inference',
      { model: 'openai-community/gpt2', inputs: 'x' },
      bare.apiKey,
      bare,
    );
    expect(bareResponse.status).toBe(503);
    expect((await errorOf(bareResponse)).code).toBe('PROVIDER_NOT_CONFIGURED');
    const bareChat = await post('/api/chat', { message: 'Hi', provider: 'huggingface' }, bare.apiKey, bare);
    expect(bareChat.status).toBe(503);
    expect((await errorOf(bareChat)).code).toBe('PROVIDER_NOT_CONFIGURED');
    const other = await infer({ model: 'openai-community/gpt2', inputs: 'x' }, 'ck_github_0123456789abcdef');
    expect(other.status).toBe(403);
    expect(huggingfaceRecorder.requests).toHaveLength(0);
  });
});

describe('the huggingface chat provider', () => {
  it('answers /api/chat through the router with the server’s token and the configured model', async () => {
    const response = await post('/api/chat', { message: 'Hi', provider: 'huggingface' });
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { response: string; provider: string; model: string };
    expect(reply.response).toBe('Hello from the Hub');
    expect(reply.provider).toBe('huggingface');
    const sent = openaiRecorder.last;
    expect(sent?.url).toBe(`${ROUTER}/chat/completions`);
    expect(sent?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(sent?.body.model).toBe('meta-llama/Llama-3.1-8B-Instruct');
  });

  it('streams /api/chat/stream token by token from the router', async () => {
    const response = await post('/api/chat/stream', {
      message: 'Hi',
      provider: 'huggingface',
      model: 'huggingface/Qwen/Qwen2.5-7B-Instruct',
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const frames = (await response.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as { type: string; content?: string });
    const chunks = frames.filter((frame) => frame.type === 'chunk').map((frame) => frame.content);
    expect(chunks.join('')).toBe('Hello from the Hub');
    expect(frames.at(-1)?.type).toBe('done');
    expect(openaiRecorder.last?.body).toMatchObject({ model: 'Qwen/Qwen2.5-7B-Instruct', stream: true });
  });

  it('sends a Hub model id as it is when the request names the provider', async () => {
    const response = await post('/api/chat', {
      message: 'Hi',
      provider: 'huggingface',
      model: 'Qwen/Qwen2.5-7B-Instruct:together',
    });
    expect(response.status).toBe(200);
    expect(openaiRecorder.last?.body.model).toBe('Qwen/Qwen2.5-7B-Instruct:together');
  });

  it('is the default chat provider with CHAT_PROVIDER=huggingface', async () => {
    const hub = await startTestServer({
      env: {
        CHAT_PROVIDER: 'huggingface',
        HUGGINGFACE_API_KEY: TOKEN,
        HUGGINGFACE_MODEL: 'google/gemma-2-2b-it',
      },
    });
    try {
      const response = await post('/api/chat', { message: 'Hi' }, hub.apiKey, hub);
      expect(((await response.json()) as { provider: string }).provider).toBe('huggingface');
      expect(openaiRecorder.last?.body.model).toBe('google/gemma-2-2b-it');
    } finally {
      await hub.close();
    }
  });

  it('maps the router’s 429 to ours, naming Hugging Face', async () => {
    upstream.use(openaiError(429, { baseURL: ROUTER, retryAfter: 4 }));
    const response = await post('/api/chat', { message: 'Hi', provider: 'huggingface' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('4');
    expect((await errorOf(response)).message).toBe(
      'The huggingface provider is rate limiting this server; retry after 4 s.',
    );
  });
});
