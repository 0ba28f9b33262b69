import type { GitHubClient, GitHubRead } from '@cartrita/engine';
import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import { isAPIError } from '../core/errors.js';

const baseURL = 'http://github-proxy.test';
const bareURL = 'http://github-proxy-bare.test';
const apiKey = 'test-key-github-0123456789';
const repo = {
  id: 1,
  name: 'hello-world',
  full_name: 'octocat/hello-world',
  html_url: 'https://github.com/octocat/hello-world',
};
const reads: GitHubRead[] = [];

/** A GitHub client over one repository, answering 304 to its ETag. */
const github: GitHubClient = {
  async read(request) {
    reads.push(request);
    const rateLimit = { limit: 5000, remaining: 4000, reset: Math.floor(Date.now() / 1000) + 60 };
    if (request.ifNoneMatch === '"v1"') return { status: 304, etag: '"v1"', rateLimit };
    if (request.path.endsWith('/issues')) {
      return {
        status: 200,
        body: [
          {
            id: 2,
            number: 1,
            title: 'Bug',
            state: 'open',
            html_url: 'https://github.com/octocat/hello-world/issues/1',
          },
        ],
        rateLimit,
      };
    }
    return { status: 200, body: repo, etag: '"v1"', rateLimit };
  },
};
const mock = setupCartritaServer({ store: createStore({ baseURL, apiKeys: [apiKey], github }) });
const bare = setupCartritaServer({ store: createStore({ baseURL: bareURL, apiKeys: [apiKey] }) });

beforeAll(() => {
  mock.listen({ onUnhandledFrame: 'error' });
});
afterEach(() => {
  mock.reset();
  reads.length = 0;
});
afterAll(() => mock.close());

describe('client.github', () => {
  it('reads a repository, with the ETag and the GitHub budget on the response', async () => {
    const client = new CartritaClient({ baseURL, apiKey });
    const { data, response } = await client.github
      .repository({ owner: 'octocat', repo: 'hello-world' })
      .withResponse();
    expect(data).toEqual(repo);
    expect(response.headers.get('etag')).toBe('"v1"');
    expect(response.headers.get('ratelimit-remaining')).toBe('4000');
    expect(reads[0]?.path).toBe('/repos/octocat/hello-world');
  });

  it('passes If-None-Match, and a 304 rejects with an APIError of status 304', async () => {
    const client = new CartritaClient({ baseURL, apiKey, maxRetries: 0 });
    const error = await client.github
      .repository({ owner: 'octocat', repo: 'hello-world' }, { headers: { 'if-none-match': '"v1"' } })
      .catch((caught: unknown) => caught);
    expect(isAPIError(error) && error.status).toBe(304);
    expect(reads[0]?.ifNoneMatch).toBe('"v1"');
  });

  it('lists issues with GitHub’s filters', async () => {
    const client = new CartritaClient({ baseURL, apiKey });
    const issues = await client.github.listIssues({
      owner: 'octocat',
      repo: 'hello-world',
      state: 'open',
      per_page: 5,
    });
    expect(issues.map((issue) => issue.number)).toEqual([1]);
    expect(reads[0]?.query).toEqual({ state: 'open', per_page: 5 });
  });

  it('rejects with a 503 where the server has no GitHub key', async () => {
    mock.close();
    bare.listen({ onUnhandledFrame: 'error' });
    try {
      const client = new CartritaClient({ baseURL: bareURL, apiKey, maxRetries: 0 });
      const error = await client.github
        .repository({ owner: 'octocat', repo: 'hello-world' })
        .catch((caught: unknown) => caught);
      expect(isAPIError(error) && [error.status, error.code]).toEqual([503, 'PROVIDER_NOT_CONFIGURED']);
    } finally {
      bare.close();
      mock.listen({ onUnhandledFrame: 'error' });
    }
  });
});
