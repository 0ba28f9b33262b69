import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  githubBudget,
  githubFailure,
  githubHandlers,
  githubLastModified,
  githubMalformed,
  githubRateLimited,
  githubRecorder,
  githubSecondaryLimit,
  githubStall,
  helloIssues,
  helloPulls,
  helloWorld,
} from '../../../test/mocks/github.js';
import { listenBesideLoopback } from '../../../test/mocks/listen.js';
import { startTestServer, type TestServer } from '../../testing.js';

const TOKEN = 'ghp_test_0123456789SECRET';
const upstream = setupServer(...githubHandlers());
let server: TestServer;
let bare: TestServer;

beforeAll(async () => {
  listenBesideLoopback(upstream);
  server = await startTestServer({
    env: {
      GITHUB_API_KEY: TOKEN,
      GITHUB_TIMEOUT_MS: '300',
      API_KEYS: 'gh:github:ck_github_0123456789abcdef,talk:search:ck_search_0123456789abcdef',
    },
  });
  bare = await startTestServer();
});
afterEach(() => {
  upstream.resetHandlers();
  githubRecorder.clear();
});
afterAll(async () => {
  await server.close();
  await bare.close();
  upstream.close();
});

const get = (path: string, headers: Record<string, string> = {}, on = server) =>
  fetch(`${on.url}${path}`, { headers: { 'x-api-key': 'ck_github_0123456789abcdef', ...headers } });

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string; details: Record<string, unknown> } })
    .error;

describe('the GitHub proxy', () => {
  it('reads a repository with the server’s token and GitHub’s documented headers', async () => {
    const response = await get('/api/github/repos/octocat/hello-world');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(helloWorld);
    const sent = githubRecorder.last;
    expect(sent?.url.pathname).toBe('/repos/octocat/hello-world');
    expect(sent?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(sent?.headers.get('accept')).toBe('application/vnd.github+json');
    expect(sent?.headers.get('x-github-api-version')).toBe('2022-11-28');
    expect(sent?.headers.get('x-api-key')).toBe(null);
  });

  it('maps GitHub’s x-ratelimit headers to RateLimit-Limit, -Remaining and -Reset', async () => {
    const response = await get('/api/github/repos/octocat/hello-world');
    expect(response.headers.get('ratelimit-limit')).toBe('5000');
    expect(response.headers.get('ratelimit-remaining')).toBe('4999');
    const reset = Number(response.headers.get('ratelimit-reset'));
    const expected = githubBudget.reset - Math.floor(Date.now() / 1000);
    expect(Math.abs(reset - expected)).toBeLessThanOrEqual(2);
  });

  it('passes the caller’s If-None-Match through and answers 304 when GitHub does', async () => {
    const first = await get('/api/github/repos/octocat/hello-world');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const again = await get('/api/github/repos/octocat/hello-world', { 'if-none-match': etag as string });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(githubRecorder.last?.headers.get('if-none-match')).toBe(etag);
    const stale = await get('/api/github/repos/octocat/hello-world', { 'if-none-match': '"other"' });
    expect(stale.status).toBe(200);
  });

  it('passes If-Modified-Since through and answers 304 when GitHub does', async () => {
    const first = await get('/api/github/repos/octocat/hello-world');
    expect(first.headers.get('last-modified')).toBe(githubLastModified);
    const again = await get('/api/github/repos/octocat/hello-world', {
      'if-modified-since': githubLastModified,
    });
    expect(again.status).toBe(304);
    expect(githubRecorder.last?.headers.get('if-modified-since')).toBe(githubLastModified);
  });

  it('lists issues with GitHub’s filters and points the Link header at the proxy', async () => {
    const response = await get('/api/github/repos/octocat/hello-world/issues?state=open&per_page=1');
    expect(await response.json()).toEqual([helloIssues[0]]);
    expect(Object.fromEntries(githubRecorder.last?.url.searchParams ?? [])).toEqual({
      state: 'open',
      per_page: '1',
    });
    expect(response.headers.get('link')).toBe(
      `<${server.url}/api/github/repositories/1296269/issues?state=open&per_page=1&page=2>; rel="next"`,
    );
  });

  it('reads one issue, the pull requests and one pull request', async () => {
    expect(await (await get('/api/github/repos/octocat/hello-world/issues/1')).json()).toEqual(
      helloIssues[0],
    );
    expect(await (await get('/api/github/repos/octocat/hello-world/pulls')).json()).toEqual(helloPulls);
    expect(await (await get('/api/github/repos/octocat/hello-world/pulls/2')).json()).toEqual(helloPulls[0]);
  });

  it('searches repositories and issues', async () => {
    const repos = await get('/api/github/search/repositories?q=hello');
    expect(await repos.json()).toEqual({
      total_count: 1,
      incomplete_results: false,
      items: [{ ...helloWorld, score: 1 }],
    });
    const pulls = await get(`/api/github/search/issues?q=${encodeURIComponent('is:pr')}`);
    expect(
      ((await pulls.json()) as { items: { number: number }[] }).items.map((item) => item.number),
    ).toEqual([2]);
  });

  it('answers 404 for what GitHub does not have', async () => {
    const response = await get('/api/github/repos/octocat/missing');
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('NOT_FOUND');
  });

  it('answers 422 for a search GitHub rejects, and for a bad query before calling GitHub', async () => {
    const rejected = await get(`/api/github/search/repositories?q=${encodeURIComponent('stars:>>1')}`);
    expect(rejected.status).toBe(422);
    expect((await errorOf(rejected)).message).toBe('GitHub rejected the request: Validation Failed');
    githubRecorder.clear();
    const invalid = await get('/api/github/repos/octocat/hello-world/issues?per_page=1000');
    expect(invalid.status).toBe(422);
    expect(githubRecorder.requests).toHaveLength(0);
  });

  it('answers 429 with Retry-After until GitHub’s reset when the budget is spent', async () => {
    const reset = Math.floor(Date.now() / 1000) + 120;
    upstream.use(githubRateLimited(undefined, reset));
    const response = await get('/api/github/repos/octocat/hello-world');
    expect(response.status).toBe(429);
    expect((await errorOf(response)).code).toBe('RATE_LIMITED');
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(118);
    expect(retryAfter).toBeLessThanOrEqual(121);
  });

  it('answers 429 with GitHub’s Retry-After on a secondary limit', async () => {
    upstream.use(githubSecondaryLimit(42));
    const response = await get('/api/github/search/issues?q=bug');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('42');
  });

  it('answers 502 when GitHub fails, refuses the key, stalls or sends what is not JSON', async () => {
    upstream.use(githubFailure(500, 'Server Error'));
    const failed = await get('/api/github/repos/octocat/hello-world');
    expect(failed.status).toBe(502);
    expect((await errorOf(failed)).details).toEqual({ provider: 'github', upstream_status: 500 });

    upstream.resetHandlers();
    upstream.use(githubFailure(401, 'Bad credentials'));
    const refused = await errorOf(await get('/api/github/repos/octocat/hello-world'));
    expect(refused.message).toBe(
      "The github provider refused this server's key (upstream status 401); check GITHUB_API_KEY.",
    );
    expect(refused.message).not.toContain(TOKEN);

    upstream.resetHandlers();
    upstream.use(githubMalformed());
    const malformed = await errorOf(await get('/api/github/repos/octocat/hello-world'));
    expect(malformed.details).toEqual({ provider: 'github', upstream_status: 200, reason: 'malformed' });

    upstream.resetHandlers();
    upstream.use(githubStall());
    const stalled = await get('/api/github/repos/octocat/hello-world');
    expect(stalled.status).toBe(502);
    expect((await errorOf(stalled)).details).toEqual({
      provider: 'github',
      upstream_status: null,
      reason: 'timeout',
    });
  });

  it('answers 503 PROVIDER_NOT_CONFIGURED without a GitHub key, calling nobody', async () => {
    const response = await fetch(`${bare.url}/api/github/repos/octocat/hello-world`, {
      headers: { authorization: `Bearer ${bare.apiKey}` },
    });
    expect(response.status).toBe(503);
    expect((await errorOf(response)).code).toBe('PROVIDER_NOT_CONFIGURED');
    expect(githubRecorder.requests).toHaveLength(0);
  });

  it('refuses a key scoped to another provider with 403', async () => {
    const response = await get('/api/github/repos/octocat/hello-world', {
      'x-api-key': 'ck_search_0123456789abcdef',
    });
    expect(response.status).toBe(403);
    expect(githubRecorder.requests).toHaveLength(0);
  });
});
