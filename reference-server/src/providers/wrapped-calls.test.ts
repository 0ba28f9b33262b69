import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { githubHandlers, githubRecorder } from '../../test/mocks/github.js';
import { huggingfaceHandlers, huggingfaceRecorder } from '../../test/mocks/huggingface.js';
import { listenBesideLoopback } from '../../test/mocks/listen.js';
import { startTestServer, type TestServer } from '../testing.js';

const upstream = setupServer(...githubHandlers(), ...huggingfaceHandlers());
let server: TestServer;

beforeAll(async () => {
  listenBesideLoopback(upstream);
  server = await startTestServer({
    env: {
      GITHUB_API_KEY: 'ghp_wrapped',
      HUGGINGFACE_API_KEY: 'hf_wrapped',
      RATE_LIMIT_GITHUB_PER_HOUR: '1',
    },
  });
});
afterEach(() => {
  upstream.resetHandlers();
  githubRecorder.clear();
  huggingfaceRecorder.clear();
});
afterAll(async () => {
  await server.close();
  upstream.close();
});

const send = (path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

it('holds GitHub reads to RATE_LIMIT_GITHUB_PER_HOUR: a burst of twice that, then 429 without calling GitHub', async () => {
  expect((await send('/api/github/repos/octocat/hello-world')).status).toBe(200);
  expect((await send('/api/github/repos/octocat/hello-world')).status).toBe(200);
  const limited = await send('/api/github/repos/octocat/hello-world');
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(30);
  expect(githubRecorder.requests).toHaveLength(2);
});

it('answers an identical inference from the provider cache, and one with temperature > 0 upstream each time', async () => {
  const body = { model: 'facebook/bart-large-cnn', task: 'summarization', inputs: 'One. Two.' };
  const first = await (await send('/api/huggingface/inference', body)).json();
  const second = await (await send('/api/huggingface/inference', body)).json();
  expect(second).toEqual(first);
  expect(huggingfaceRecorder.requests).toHaveLength(1);
  const warm = { ...body, parameters: { temperature: 0.8 } };
  await send('/api/huggingface/inference', warm);
  await send('/api/huggingface/inference', warm);
  expect(huggingfaceRecorder.requests).toHaveLength(3);
});
