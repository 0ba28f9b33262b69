/**
 * @module @cartrita/sdk/github: the server's read-only GitHub proxy (seed 000): repositories, issues,
 * pull requests and search, answered with GitHub's own JSON.
 */

import {
  GitHubIssue,
  GitHubIssueSearch,
  GitHubPull,
  GitHubRepository,
  GitHubRepositorySearch,
} from '@cartrita/contracts';
import * as z from 'zod/mini';
import type { APIPromise } from '../core/api-promise.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteParams, RouteQuery, RouteResult } from '../core/route-types.js';

/** `client.github.repository()` params: `{owner, repo}`. */
export type GitHubRepositoryParams = RouteParams<'github.repos.get'>;
/** `client.github.listIssues()` params: `{owner, repo}` and GitHub's filters (`state`, `labels`, `per_page`, ...). */
export type GitHubIssueListParams = RouteParams<'github.issues.list'> & RouteQuery<'github.issues.list'>;
/** `client.github.issue()` params: `{owner, repo, issue_number}`. */
export type GitHubIssueParams = RouteParams<'github.issues.get'>;
/** `client.github.listPulls()` params: `{owner, repo}` and GitHub's filters (`state`, `base`, `per_page`, ...). */
export type GitHubPullListParams = RouteParams<'github.pulls.list'> & RouteQuery<'github.pulls.list'>;
/** `client.github.pull()` params: `{owner, repo, pull_number}`. */
export type GitHubPullParams = RouteParams<'github.pulls.get'>;
/** `client.github.searchRepositories()` / `searchIssues()` params: `q` in GitHub's syntax, `sort`, `order`, pages. */
export type GitHubSearchParams = RouteQuery<'github.search.repositories'>;

const issueList = z.array(GitHubIssue);
const pullList = z.array(GitHubPull);

/**
 * `/api/github/...` (an API key with the `github` scope): GitHub's REST API read through the server's
 * own key, which never reaches the browser. Every method resolves to GitHub's JSON; `.withResponse()`
 * gives the `ETag` too. Send it back as `If-None-Match` (in `headers`): an unchanged resource answers
 * 304, which rejects with an `APIError` whose `status` is 304, so a cached copy can be kept.
 * `RateLimit-Remaining` and `RateLimit-Reset` on each answer are the server's GitHub budget.
 *
 * @example
 * ```ts
 * const { data, response } = await client.github.repository({ owner: 'octocat', repo: 'hello-world' }).withResponse();
 * const etag = response.headers.get('etag');
 * const open = await client.github.listIssues({ owner: 'octocat', repo: 'hello-world', state: 'open' });
 * ```
 */
export class GitHub extends APIResource {
  /** `GET /api/github/repos/{owner}/{repo}`. */
  repository(
    params: GitHubRepositoryParams,
    options?: RequestCallOptions,
  ): APIPromise<RouteResult<'github.repos.get'>> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/github/repos/${params.owner}/${params.repo}`,
      schema: GitHubRepository,
      ...options,
    });
  }

  /** `GET /api/github/repos/{owner}/{repo}/issues` (GitHub lists pull requests among issues). */
  listIssues(
    { owner, repo, ...query }: GitHubIssueListParams,
    options?: RequestCallOptions,
  ): APIPromise<RouteResult<'github.issues.list'>> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/github/repos/${owner}/${repo}/issues`,
      query,
      schema: issueList,
      ...options,
    });
  }

  /** `GET /api/github/repos/{owner}/{repo}/issues/{issue_number}`. */
  issue(
    params: GitHubIssueParams,
    options?: RequestCallOptions,
  ): APIPromise<RouteResult<'github.issues.get'>> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/github/repos/${params.owner}/${params.repo}/issues/${String(params.issue_number)}`,
      schema: GitHubIssue,
      ...options,
    });
  }

  /** `GET /api/github/repos/{owner}/{repo}/pulls`. */
  listPulls(
    { owner, repo, ...query }: GitHubPullListParams,
    options?: RequestCallOptions,
  ): APIPromise<RouteResult<'github.pulls.list'>> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/github/repos/${owner}/${repo}/pulls`,
      query,
      schema: pullList,
      ...options,
    });
  }

  /** `GET /api/github/repos/{owner}/{repo}/pulls/{pull_number}`. */
  pull(params: GitHubPullParams, options?: RequestCallOptions): APIPromise<RouteResult<'github.pulls.get'>> {
    return this.transport.request({
      method: 'GET',
      path: path`/api/github/repos/${params.owner}/${params.repo}/pulls/${String(params.pull_number)}`,
      schema: GitHubPull,
      ...options,
    });
  }

  /** `GET /api/github/search/repositories`. */
  searchRepositories(
    query: GitHubSearchParams,
    options?: RequestCallOptions,
  ): APIPromise<RouteResult<'github.search.repositories'>> {
    return this.transport.request({
      method: 'GET',
      path: '/api/github/search/repositories',
      query,
      schema: GitHubRepositorySearch,
      ...options,
    });
  }

  /** `GET /api/github/search/issues`: issues and pull requests (`is:pr` in `q` for pull requests only). */
  searchIssues(
    query: GitHubSearchParams,
    options?: RequestCallOptions,
  ): APIPromise<RouteResult<'github.search.issues'>> {
    return this.transport.request({
      method: 'GET',
      path: '/api/github/search/issues',
      query,
      schema: GitHubIssueSearch,
      ...options,
    });
  }
}
