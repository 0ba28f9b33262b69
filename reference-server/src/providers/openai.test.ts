import type { ChatMessage, ProviderChunk } from '@cartrita/engine';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import {
  openaiCutAfter,
  openaiError,
  openaiHandlers,
  openaiNetworkError,
  openaiRecorder,
  openaiStall,
  openaiStreamErrorEvent,
} from '../../test/mocks/openai.js';
import { Secret } from '../config/secret.js';
import { type HttpError, isHttpError } from '../http-error.js';
import { createOpenAIProvider, type OpenAIProviderOptions } from './openai.js';

const OPENAI = 'https://api.openai.com/v1';
const OLLAMA = 'http://localhost:11434/v1';
const KEY = 'sk-test-0123456789abcdefSECRET';

const server = setupServer(
  ...openaiHandlers({ baseURL: OPENAI, tokens: ['Hello', ' there', '!'] }),
  ...openaiHandlers({ baseURL: OLLAMA, reply: (body) => `Ollama ran ${body.model}` }),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  openaiRecorder.clear();
});
afterAll(() => server.close());

const provider = (options: Partial<OpenAIProviderOptions> = {}) =>
  createOpenAIProvider({ apiKey: KEY, baseURL: OPENAI, model: 'gpt-4o-mini', ...options });

const hello: ChatMessage[] = [{ role: 'user', content: 'Say hello' }];

/** Reads a stream to its end, keeping the chunks before a failure. */
const collect = async (source: AsyncIterable<ProviderChunk>) => {
  const chunks: ProviderChunk[] = [];
  try {
    for await (const chunk of source) chunks.push(chunk);
    return { chunks, error: undefined as unknown };
  } catch (error) {
    return { chunks, error };
  }
};

const deltas = (chunks: ProviderChunk[]) =>
  chunks.flatMap((chunk) => (chunk.type === 'text' ? [chunk.delta] : []));

const expectHttpError = (error: unknown): HttpError => {
  expect(isHttpError(error)).toBe(true);
  return error as HttpError;
};

it('streams the text deltas and then the usage', async () => {
  const { chunks, error } = await collect(
    provider().stream({ messages: hello, signal: new AbortController().signal }),
  );
  expect(error).toBeUndefined();
  expect(chunks).toEqual([
    { type: 'text', delta: 'Hello' },
    { type: 'text', delta: ' there' },
    { type: 'text', delta: '!' },
    { type: 'usage', usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 } },
  ]);
  const request = openaiRecorder.last!;
  expect(request.url).toBe(`${OPENAI}/chat/completions`);
  expect(request.headers.get('authorization')).toBe(`Bearer ${KEY}`);
  expect(request.body).toEqual({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello' }],
    stream: true,
    stream_options: { include_usage: true },
  });
});

it('is named openai and serves the configured model by default', () => {
  const openai = provider({ model: 'gpt-4.1-nano' });
  expect(openai.name).toBe('openai');
  expect(openai.defaultModel).toBe('gpt-4.1-nano');
});

it('sends the configured parameters, and a request model and parameters over them', async () => {
  const openai = provider({ parameters: { temperature: 0.2, max_tokens: 100, top_p: 0.9 } });
  await collect(openai.stream({ messages: hello, signal: new AbortController().signal }));
  expect(openaiRecorder.last?.body).toMatchObject({
    model: 'gpt-4o-mini',
    temperature: 0.2,
    max_tokens: 100,
    top_p: 0.9,
  });
  await collect(
    openai.stream({
      messages: hello,
      model: 'gpt-4o',
      parameters: { temperature: 1.1, max_tokens: 5 },
      signal: new AbortController().signal,
    }),
  );
  expect(openaiRecorder.last?.body).toMatchObject({
    model: 'gpt-4o',
    temperature: 1.1,
    max_tokens: 5,
    top_p: 0.9,
  });
});

it('drops the openai/ prefix that picks the provider from the model name', async () => {
  await collect(
    provider().stream({ messages: hello, model: 'openai/gpt-4o', signal: new AbortController().signal }),
  );
  expect(openaiRecorder.last?.body.model).toBe('gpt-4o');
});

it('maps every role, turning a tool output into a user message that describes it', async () => {
  const messages: ChatMessage[] = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'What page is this?' },
    { role: 'assistant', content: 'Let me look.' },
    { role: 'tool', toolName: 'get_page_info', content: '{"title":"Docs"}' },
  ];
  await collect(provider().stream({ messages, signal: new AbortController().signal }));
  expect(openaiRecorder.last?.body.messages).toEqual([
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'What page is this?' },
    { role: 'assistant', content: 'Let me look.' },
    { role: 'user', content: 'The page ran the tool "get_page_info" and returned:\n\n{"title":"Docs"}' },
  ]);
});

it('answers in one piece with the text, the usage and the model', async () => {
  const result = await provider().complete({
    messages: hello,
    parameters: { temperature: 0 },
    signal: new AbortController().signal,
  });
  expect(result).toEqual({
    text: 'Hello there!',
    model: 'gpt-4o-mini',
    usage: { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 },
  });
  expect(openaiRecorder.last?.body).toEqual({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello' }],
    stream: false,
    temperature: 0,
  });
});

it('accepts the key as a Secret', async () => {
  const openai = provider({ apiKey: new Secret(KEY) });
  await collect(openai.stream({ messages: hello, signal: new AbortController().signal }));
  expect(openaiRecorder.last?.headers.get('authorization')).toBe(`Bearer ${KEY}`);
});

it('works against an OpenAI-compatible server at a custom base URL, such as Ollama', async () => {
  const ollama = createOpenAIProvider({ apiKey: 'ollama', baseURL: OLLAMA, model: 'llama3.2' });
  const { chunks, error } = await collect(
    ollama.stream({ messages: hello, signal: new AbortController().signal }),
  );
  expect(error).toBeUndefined();
  expect(deltas(chunks).join('')).toBe('Ollama ran llama3.2');
  expect(openaiRecorder.last?.url).toBe(`${OLLAMA}/chat/completions`);
  expect((await ollama.complete({ messages: hello, signal: new AbortController().signal })).text).toBe(
    'Ollama ran llama3.2',
  );
});

it('turns an upstream 500 into PROVIDER_ERROR with the upstream status', async () => {
  server.use(openaiError(500));
  const { chunks, error } = await collect(
    provider().stream({ messages: hello, signal: new AbortController().signal }),
  );
  expect(chunks).toEqual([]);
  const failure = expectHttpError(error);
  expect(failure.code).toBe('PROVIDER_ERROR');
  expect(failure.status).toBe(502);
  expect(failure.details).toEqual({ provider: 'openai', upstream_status: 500 });
  expect(failure.message).toMatch(/status 500: The server had an error/);
});

it('passes the upstream error code on in the details', async () => {
  server.use(openaiError(404, { code: 'model_not_found' }));
  const failure = expectHttpError(
    await provider()
      .complete({ messages: hello, signal: new AbortController().signal })
      .catch((error: unknown) => error),
  );
  expect(failure.code).toBe('PROVIDER_ERROR');
  expect(failure.details).toEqual({
    provider: 'openai',
    upstream_status: 404,
    upstream_code: 'model_not_found',
  });
});

it('passes an upstream 429 on as RATE_LIMITED with its Retry-After', async () => {
  server.use(openaiError(429, { retryAfter: 7 }));
  const { error } = await collect(
    provider().stream({ messages: hello, signal: new AbortController().signal }),
  );
  const failure = expectHttpError(error);
  expect(failure.code).toBe('RATE_LIMITED');
  expect(failure.status).toBe(429);
  expect(failure.headers['Retry-After']).toBe('7');
  expect(failure.details).toMatchObject({
    provider: 'openai',
    upstream_status: 429,
    upstream_code: 'rate_limit_exceeded',
  });
});

it('reads retry-after-ms, and waits one second when the upstream 429 says nothing', async () => {
  server.use(openaiError(429, { retryAfterMs: 1500 }));
  const signal = new AbortController().signal;
  const fromMs = expectHttpError((await collect(provider().stream({ messages: hello, signal }))).error);
  expect(fromMs.headers['Retry-After']).toBe('2');
  server.resetHandlers(openaiError(429));
  const bare = expectHttpError((await collect(provider().stream({ messages: hello, signal }))).error);
  expect(bare.headers['Retry-After']).toBe('1');
});

it('reports an exhausted quota as PROVIDER_ERROR, since retrying cannot help', async () => {
  server.use(openaiError(429, { code: 'insufficient_quota', message: 'You exceeded your current quota.' }));
  const { error } = await collect(
    provider().stream({ messages: hello, signal: new AbortController().signal }),
  );
  const failure = expectHttpError(error);
  expect(failure.code).toBe('PROVIDER_ERROR');
  expect(failure.details).toEqual({
    provider: 'openai',
    upstream_status: 429,
    upstream_code: 'insufficient_quota',
  });
});

it('says the server key was refused on an upstream 401, without any part of the key', async () => {
  server.use(openaiError(401));
  const { error } = await collect(
    provider().stream({ messages: hello, signal: new AbortController().signal }),
  );
  const failure = expectHttpError(error);
  expect(failure.code).toBe('PROVIDER_ERROR');
  expect(failure.details).toEqual({
    provider: 'openai',
    upstream_status: 401,
    upstream_code: 'invalid_api_key',
  });
  expect(failure.message).toMatch(/refused this server's API key/);
  const shown = JSON.stringify({ message: failure.message, details: failure.details });
  expect(shown).not.toContain(KEY);
  expect(shown).not.toContain(KEY.slice(-4));
  expect(shown).not.toContain('Incorrect API key');
});

it('says the key was refused on an upstream 403 too', async () => {
  server.use(openaiError(403));
  const failure = expectHttpError(
    await provider()
      .complete({ messages: hello, signal: new AbortController().signal })
      .catch((error: unknown) => error),
  );
  expect(failure.code).toBe('PROVIDER_ERROR');
  expect(failure.message).toMatch(/refused this server's API key \(upstream status 403\)/);
});

it('redacts the key if an upstream message ever quotes it', async () => {
  server.use(openaiError(400, { message: `Bad request for ${KEY}` }));
  const { error } = await collect(
    provider().stream({ messages: hello, signal: new AbortController().signal }),
  );
  const failure = expectHttpError(error);
  expect(failure.message).toBe('The openai provider failed with status 400: Bad request for [REDACTED]');
});

it('yields the deltas before a mid-stream cut and then throws PROVIDER_ERROR', async () => {
  server.use(openaiCutAfter(3, { tokens: ['one', ' two', ' three', ' four', ' five'] }));
  const { chunks, error } = await collect(
    provider().stream({ messages: hello, signal: new AbortController().signal }),
  );
  expect(deltas(chunks)).toEqual(['one', ' two', ' three']);
  expect(chunks.some((chunk) => chunk.type === 'usage')).toBe(false);
  const failure = expectHttpError(error);
  expect(failure.code).toBe('PROVIDER_ERROR');
  expect(failure.message).toBe('The connection to the openai provider broke during the reply.');
});

it('yields the deltas before an error event in the stream and then throws PROVIDER_ERROR', async () => {
  server.use(openaiStreamErrorEvent(2, { message: 'The model crashed.', code: 'server_error' }));
  const { chunks, error } = await collect(
    provider().stream({ messages: hello, signal: new AbortController().signal }),
  );
  expect(deltas(chunks)).toHaveLength(2);
  const failure = expectHttpError(error);
  expect(failure.code).toBe('PROVIDER_ERROR');
  expect(failure.message).toBe('The openai provider reported an error during the reply: The model crashed.');
  expect(failure.details).toMatchObject({
    provider: 'openai',
    upstream_code: 'server_error',
    reason: 'stream',
  });
});

it('throws PROVIDER_ERROR when a stream ends before a finish reason', async () => {
  server.use(
    http.post(`${OPENAI}/chat/completions`, () => {
      const chunk = {
        id: 'chatcmpl-1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, delta: { content: 'Half' }, finish_reason: null }],
      };
      return new HttpResponse(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`, {
        headers: { 'content-type': 'text/event-stream' },
      });
    }),
  );
  const { chunks, error } = await collect(
    provider().stream({ messages: hello, signal: new AbortController().signal }),
  );
  expect(deltas(chunks)).toEqual(['Half']);
  expect(expectHttpError(error).details).toMatchObject({ reason: 'incomplete' });
});

it('cancels the upstream request when the signal aborts a stalled stream, and rejects as an abort', async () => {
  server.use(openaiStall({ afterTokens: 1 }));
  const controller = new AbortController();
  const reason = new DOMException('The client went away', 'AbortError');
  const started = Date.now();
  const reading = collect(provider().stream({ messages: hello, signal: controller.signal }));
  await vi.waitFor(() => expect(openaiRecorder.last).toBeDefined());
  setTimeout(() => controller.abort(reason), 50);
  const { chunks, error } = await reading;
  expect(deltas(chunks)).toEqual(['Hello!']);
  expect(error).toBe(reason);
  expect(isHttpError(error)).toBe(false);
  await openaiRecorder.last!.aborted;
  expect(openaiRecorder.last!.signal.aborted).toBe(true);
  expect(Date.now() - started).toBeLessThan(1000);
});

it('cancels the upstream request when the signal aborts before the response headers', async () => {
  server.use(openaiStall({ beforeHeaders: true }));
  const controller = new AbortController();
  const reading = collect(provider().stream({ messages: hello, signal: controller.signal }));
  await vi.waitFor(() => expect(openaiRecorder.last).toBeDefined());
  controller.abort();
  const { error } = await reading;
  expect(error).toBe(controller.signal.reason);
  expect((error as Error).name).toBe('AbortError');
  await openaiRecorder.last!.aborted;
});

it('rejects a non-streamed answer as an abort when the signal aborts', async () => {
  server.use(openaiStall({ beforeHeaders: true }));
  const controller = new AbortController();
  const answer = provider()
    .complete({ messages: hello, signal: controller.signal })
    .catch((error: unknown) => error);
  await vi.waitFor(() => expect(openaiRecorder.last).toBeDefined());
  controller.abort();
  expect(await answer).toBe(controller.signal.reason);
  await openaiRecorder.last!.aborted;
});

it('does not call upstream at all when the signal is already aborted', async () => {
  const controller = new AbortController();
  controller.abort();
  const { error } = await collect(provider().stream({ messages: hello, signal: controller.signal }));
  expect(error).toBe(controller.signal.reason);
  expect(openaiRecorder.requests).toEqual([]);
});

it('cancels the upstream request when the reader stops early', async () => {
  server.use(openaiStall({ afterTokens: 2 }));
  for await (const chunk of provider().stream({ messages: hello, signal: new AbortController().signal })) {
    if (chunk.type === 'text') break;
  }
  await openaiRecorder.last!.aborted;
  expect(openaiRecorder.last!.signal.aborted).toBe(true);
});

it('gives up on a stream that stays silent longer than the timeout', async () => {
  server.use(openaiStall({ afterTokens: 1 }));
  const { chunks, error } = await collect(
    provider({ timeoutMs: 100 }).stream({ messages: hello, signal: new AbortController().signal }),
  );
  expect(deltas(chunks)).toEqual(['Hello!']);
  const failure = expectHttpError(error);
  expect(failure.code).toBe('PROVIDER_ERROR');
  expect(failure.message).toBe('The openai provider did not answer within 100 ms.');
  expect(failure.details).toEqual({ provider: 'openai', upstream_status: null, reason: 'timeout' });
  await openaiRecorder.last!.aborted;
});

it('gives up when the response headers take longer than the timeout', async () => {
  server.use(openaiStall({ beforeHeaders: true }));
  const failure = expectHttpError(
    (
      await collect(
        provider({ timeoutMs: 100 }).stream({ messages: hello, signal: new AbortController().signal }),
      )
    ).error,
  );
  expect(failure.details).toMatchObject({ reason: 'timeout' });
  await openaiRecorder.last!.aborted;
});

it('reports an unreachable server as PROVIDER_ERROR', async () => {
  server.use(openaiNetworkError());
  const { error } = await collect(
    provider().stream({ messages: hello, signal: new AbortController().signal }),
  );
  const failure = expectHttpError(error);
  expect(failure.code).toBe('PROVIDER_ERROR');
  expect(failure.message).toBe('Could not connect to the openai provider.');
  expect(failure.details).toEqual({ provider: 'openai', upstream_status: null, reason: 'connection' });
});
