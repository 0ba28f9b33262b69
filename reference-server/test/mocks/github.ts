/**
 * @module MSW handlers of GitHub's REST API (`https://api.github.com`), as GitHub documents it: the
 * repository, issue, pull request and search reads the proxy makes, with strong `ETag`s and 304 on a
 * matching `If-None-Match`, the `x-ratelimit-*` headers on every answer, GitHub's error bodies
 * (`{message, documentation_url}`), and fault scenarios (a spent budget, a secondary limit, a stall, a
 * body that is not JSON).
 *
 * @example
 * const server = setupServer(...githubHandlers());
 * server.use(githubRateLimited()); // the next reads find the budget spent
 * expect(githubRecorder.last?.headers.get('authorization')).toBe('Bearer ghp_test');
 */
import { createHash } from 'node:crypto';
import { type HttpHandler, HttpResponse, http, type JsonBodyType } from 'msw';

/** GitHub's API, where the handlers answer by default. */
export const githubApi = 'https://api.github.com';

/** One request the mock received. */
export interface RecordedGitHubRequest {
  url: URL;
  headers: Headers;
}

/** The requests the handlers received, newest last. */
export const githubRecorder = {
  requests: [] as RecordedGitHubRequest[],
  get last(): RecordedGitHubRequest | undefined {
    return this.requests.at(-1);
  },
  clear(): void {
    this.requests.length = 0;
  },
};

/** The budget the mock reports: GitHub's 5000 an hour for a token, resetting at a fixed time. */
export const githubBudget = { limit: 5000, remaining: 4999, used: 1, reset: 1_900_000_000 };

const owner = { login: 'octocat', id: 1, type: 'User', html_url: 'https://github.com/octocat' };

/** The repository the mock knows: `octocat/hello-world`. */
export const helloWorld = {
  id: 1296269,
  node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
  name: 'hello-world',
  full_name: 'octocat/hello-world',
  owner,
  private: false,
  html_url: 'https://github.com/octocat/hello-world',
  description: 'My first repository on GitHub!',
  default_branch: 'main',
  stargazers_count: 80,
  open_issues_count: 2,
};

/** Its issues: #1 an issue, #2 a pull request seen as an issue (GitHub lists both). */
export const helloIssues = [
  {
    id: 11,
    number: 1,
    title: 'Found a bug',
    state: 'open',
    html_url: 'https://github.com/octocat/hello-world/issues/1',
    user: owner,
    labels: [{ name: 'bug' }],
    body: 'It breaks.',
  },
  {
    id: 12,
    number: 2,
    title: 'Fix the bug',
    state: 'open',
    html_url: 'https://github.com/octocat/hello-world/pull/2',
    user: owner,
    labels: [],
    pull_request: { url: `${githubApi}/repos/octocat/hello-world/pulls/2` },
  },
];

/** Its pull requests: #2. */
export const helloPulls = [
  {
    id: 22,
    number: 2,
    title: 'Fix the bug',
    state: 'open',
    html_url: 'https://github.com/octocat/hello-world/pull/2',
    user: owner,
    head: { ref: 'fix' },
    base: { ref: 'main' },
    draft: false,
  },
];

const budgetHeaders = (resource = 'core', budget = githubBudget): Record<string, string> => ({
  'x-ratelimit-limit': String(budget.limit),
  'x-ratelimit-remaining': String(budget.remaining),
  'x-ratelimit-used': String(budget.used),
  'x-ratelimit-reset': String(budget.reset),
  'x-ratelimit-resource': resource,
});

/** When every resource of the mock last changed, as GitHub's `Last-Modified` writes it. */
export const githubLastModified = 'Tue, 01 Dec 2026 10:00:00 GMT';

const etagOf = (body: JsonBodyType) => `"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"`;

/** GitHub's error body. */
export const githubError = (status: number, message: string, headers: Record<string, string> = {}) =>
  HttpResponse.json(
    { message, documentation_url: 'https://docs.github.com/rest', status: String(status) },
    { status, headers: { ...budgetHeaders(), ...headers } },
  );

/** Checks what GitHub asks every request to carry; a request without them is refused as GitHub would. */
const record = (request: Request): Response | undefined => {
  githubRecorder.requests.push({ url: new URL(request.url), headers: request.headers });
  if (!/^Bearer \S+$/.test(request.headers.get('authorization') ?? '')) {
    return githubError(401, 'Requires authentication');
  }
  if (!request.headers.get('user-agent'))
    return githubError(403, 'Request forbidden by administrative rules.');
  return undefined;
};

/** A JSON answer with its ETag, or 304 when the request's `If-None-Match` names it. */
const answer = (
  request: Request,
  body: JsonBodyType,
  resource = 'core',
  extra: Record<string, string> = {},
) => {
  const etag = etagOf(body);
  const headers = { ...budgetHeaders(resource), ETag: etag, 'Last-Modified': githubLastModified, ...extra };
  const unchanged =
    request.headers.get('if-none-match') === etag ||
    request.headers.get('if-modified-since') === githubLastModified;
  if (unchanged) return new HttpResponse(null, { status: 304, headers });
  return HttpResponse.json(body, { headers });
};

const found = <T extends { number: number }>(list: T[], number: string) =>
  list.find((item) => item.number === Number(number));

/** Reads of `octocat/hello-world`, its issues and pulls, and search, at `baseURL` (default GitHub's). */
export const githubHandlers = (baseURL = githubApi): HttpHandler[] => [
  http.get(`${baseURL}/repos/:owner/:repo`, ({ request, params }) => {
    const refused = record(request);
    if (refused) return refused;
    if (`${params.owner}/${params.repo}` !== helloWorld.full_name) return githubError(404, 'Not Found');
    return answer(request, helloWorld);
  }),
  http.get(`${baseURL}/repos/:owner/:repo/issues`, ({ request }) => {
    const refused = record(request);
    if (refused) return refused;
    const url = new URL(request.url);
    const state = url.searchParams.get('state') ?? 'open';
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const list = helloIssues.filter((issue) => state === 'all' || issue.state === state).slice(0, perPage);
    return answer(request, list, 'core', {
      Link: `<${githubApi}/repositories/1296269/issues?state=${state}&per_page=${perPage}&page=2>; rel="next"`,
    });
  }),
  http.get(`${baseURL}/repos/:owner/:repo/issues/:number`, ({ request, params }) => {
    const refused = record(request);
    if (refused) return refused;
    const issue = found(helloIssues, String(params.number));
    return issue ? answer(request, issue) : githubError(404, 'Not Found');
  }),
  http.get(`${baseURL}/repos/:owner/:repo/pulls`, ({ request }) => {
    const refused = record(request);
    return refused ?? answer(request, helloPulls);
  }),
  http.get(`${baseURL}/repos/:owner/:repo/pulls/:number`, ({ request, params }) => {
    const refused = record(request);
    if (refused) return refused;
    const pull = found(helloPulls, String(params.number));
    return pull ? answer(request, pull) : githubError(404, 'Not Found');
  }),
  http.get(`${baseURL}/search/repositories`, ({ request }) => {
    const refused = record(request);
    if (refused) return refused;
    const q = new URL(request.url).searchParams.get('q') ?? '';
    if (q.includes('stars:>>')) {
      return githubError(422, 'Validation Failed', {});
    }
    const items = q.includes('hello') ? [{ ...helloWorld, score: 1 }] : [];
    return answer(request, { total_count: items.length, incomplete_results: false, items }, 'search');
  }),
  http.get(`${baseURL}/search/issues`, ({ request }) => {
    const refused = record(request);
    if (refused) return refused;
    const q = new URL(request.url).searchParams.get('q') ?? '';
    const items = helloIssues.filter((issue) => !q.includes('is:pr') || 'pull_request' in issue);
    return answer(request, { total_count: items.length, incomplete_results: false, items }, 'search');
  }),
];

/** Every read finds the primary budget spent: 403 with `x-ratelimit-remaining: 0`, as GitHub answers. */
export const githubRateLimited = (baseURL = githubApi, reset = githubBudget.reset): HttpHandler =>
  http.get(`${baseURL}/*`, ({ request }) => {
    record(request);
    return HttpResponse.json(
      {
        message: 'API rate limit exceeded for user ID 1.',
        documentation_url: 'https://docs.github.com/rest',
      },
      { status: 403, headers: budgetHeaders('core', { limit: 5000, remaining: 0, used: 5000, reset }) },
    );
  });

/** Every read meets a secondary rate limit: 429 with `retry-after`. */
export const githubSecondaryLimit = (retryAfterSeconds: number, baseURL = githubApi): HttpHandler =>
  http.get(`${baseURL}/*`, ({ request }) => {
    record(request);
    return githubError(429, 'You have exceeded a secondary rate limit.', {
      'retry-after': String(retryAfterSeconds),
    });
  });

/** Every read answers `status` with GitHub's error body. */
export const githubFailure = (status: number, message: string, baseURL = githubApi): HttpHandler =>
  http.get(`${baseURL}/*`, ({ request }) => {
    record(request);
    return githubError(status, message);
  });

/** Every read answers 200 with a body that is not JSON, as a broken proxy in between might. */
export const githubMalformed = (baseURL = githubApi): HttpHandler =>
  http.get(`${baseURL}/*`, ({ request }) => {
    record(request);
    return new HttpResponse('<html>Bad gateway</html>', {
      status: 200,
      headers: { 'content-type': 'text/html' },
    });
  });

/** Every read gets no answer until the client gives up. */
export const githubStall = (baseURL = githubApi): HttpHandler =>
  http.get(`${baseURL}/*`, async ({ request }) => {
    record(request);
    await new Promise((resolve) => request.signal.addEventListener('abort', resolve, { once: true }));
    return HttpResponse.error();
  });
