import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../test/failure.js';
import {
  tavilyBaseUrl,
  tavilyError,
  tavilyHandlers,
  tavilyMalformed,
  tavilyRecorder,
  tavilyStall,
} from '../../test/mocks/tavily.js';
import { Secret } from '../config/secret.js';
import { createTavilyProvider } from './tavily.js';

const KEY = 'tvly-test-0123456789SECRET';

const server = setupServer(...tavilyHandlers({ apiKey: KEY }));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  tavilyRecorder.clear();
});
afterAll(() => server.close());

const tavily = (options: { apiKey?: string; timeoutMs?: number } = {}) =>
  createTavilyProvider({ apiKey: new Secret(options.apiKey ?? KEY), timeoutMs: options.timeoutMs ?? 5000 });

describe('the tavily provider', () => {
  it('sends the key as a Bearer token and the documented snake_case body', async () => {
    await tavily().search({ query: 'harbour', limit: 7 });
    const request = tavilyRecorder.last;
    expect(request?.url.href).toBe(`${tavilyBaseUrl}/search`);
    expect(request?.method).toBe('POST');
    expect(request?.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    expect(request?.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(new TextDecoder().decode(request?.bytes))).toEqual({
      query: 'harbour',
      max_results: 7,
      search_depth: 'basic',
      include_answer: false,
      include_raw_content: false,
      include_images: false,
    });
  });

  it('normalises the results to title, url, snippet and score, best first', async () => {
    expect(await tavily().search({ query: 'harbour', limit: 10 })).toEqual([
      {
        title: 'Harbour opening hours',
        url: 'https://example.org/harbour',
        snippet: 'The harbour office opens at 8 and closes at 18.',
        score: 0.93,
      },
      {
        title: 'Harbour tides today',
        url: 'https://example.org/tides',
        snippet: 'High tide at the harbour is at 14:05.',
        score: 0.81,
      },
      {
        title: 'Lighthouse history',
        url: 'https://example.org/lighthouse',
        snippet: 'The lighthouse was built in 1871.',
        score: 0.42,
      },
    ]);
  });

  it('asks for at most the 20 results Tavily allows', async () => {
    await tavily().search({ query: 'harbour', limit: 50 });
    expect(JSON.parse(new TextDecoder().decode(tavilyRecorder.last?.bytes)).max_results).toBe(20);
  });

  it('reports a refused key as PROVIDER_ERROR naming the setting, without the key', async () => {
    const answer = await failure(tavily({ apiKey: 'tvly-wrong-key-0000' }).search({ query: 'x', limit: 1 }));
    expect(answer).toMatchObject({
      status: 502,
      code: 'PROVIDER_ERROR',
      message:
        "The tavily provider refused this server's API key (upstream status 401); check TAVILY_API_KEY.",
      details: { provider: 'tavily', upstream_status: 401 },
    });
    expect(JSON.stringify(answer)).not.toContain('tvly-wrong');
  });

  it('passes an upstream rate limit on as 429 RATE_LIMITED with Retry-After', async () => {
    server.use(tavilyError(429, { retryAfter: 7 }));
    expect(await failure(tavily().search({ query: 'x', limit: 1 }))).toEqual({
      status: 429,
      code: 'RATE_LIMITED',
      message: 'The tavily provider is rate limiting this server; retry after 7 s.',
      details: { provider: 'tavily', upstream_status: 429, retry_after_ms: 7000 },
      headers: { 'Retry-After': '7' },
    });
  });

  it.each([400, 432, 433, 500])(
    'maps an upstream %i to PROVIDER_ERROR with its status and message',
    async (status) => {
      server.use(tavilyError(status));
      const answer = await failure(tavily().search({ query: 'x', limit: 1 }));
      expect(answer.status).toBe(502);
      expect(answer.code).toBe('PROVIDER_ERROR');
      expect(answer.details).toEqual({ provider: 'tavily', upstream_status: status });
      expect(answer.message).toMatch(new RegExp(`^The tavily provider failed with status ${status}: \\S`));
    },
  );

  it('gives up on a silent Tavily at the deadline with PROVIDER_ERROR timeout', async () => {
    server.use(tavilyStall());
    expect(await failure(tavily({ timeoutMs: 100 }).search({ query: 'x', limit: 1 }))).toMatchObject({
      status: 502,
      code: 'PROVIDER_ERROR',
      message: 'The tavily provider did not answer within 100 ms.',
      details: { provider: 'tavily', reason: 'timeout' },
    });
  });

  it.each([
    ['a body that is not JSON', '<html>Bad gateway</html>'],
    ['JSON without results', '{"query":"x"}'],
    ['results of the wrong shape', '{"query":"x","results":[{"title":1}]}'],
  ])('reports %s as PROVIDER_ERROR malformed', async (_, body) => {
    server.use(tavilyMalformed(body));
    expect(await failure(tavily().search({ query: 'x', limit: 1 }))).toMatchObject({
      status: 502,
      code: 'PROVIDER_ERROR',
      details: { provider: 'tavily', reason: 'malformed' },
    });
  });

  it('reports a broken connection as PROVIDER_ERROR connection', async () => {
    server.use(http.post(`${tavilyBaseUrl}/search`, () => HttpResponse.error()));
    expect(await failure(tavily().search({ query: 'x', limit: 1 }))).toMatchObject({
      status: 502,
      details: { provider: 'tavily', reason: 'connection' },
    });
  });

  it('stops the upstream request when the caller cancels, with the caller’s reason', async () => {
    server.use(tavilyStall());
    const controller = new AbortController();
    const searching = tavily().search({ query: 'x', limit: 1, signal: controller.signal });
    await expect.poll(() => tavilyRecorder.requests.length).toBe(1);
    const reason = new Error('client went away');
    controller.abort(reason);
    await expect(searching).rejects.toBe(reason);
    expect(tavilyRecorder.last?.signal.aborted).toBe(true);
  });
});
