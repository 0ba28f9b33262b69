import * as z from 'zod/mini';
import { defineRoute } from '../../route.js';
import {
  GitHubIssue,
  GitHubIssueListQuery,
  GitHubIssueParams,
  GitHubIssueSearch,
  GitHubPull,
  GitHubPullListQuery,
  GitHubPullParams,
  GitHubRepoParams,
  GitHubRepository,
  GitHubRepositorySearch,
  GitHubSearchQuery,
} from './schemas.js';

const proxied =
  'GitHub’s JSON as GitHub sends it. Send `If-None-Match` with an `ETag` from an earlier answer: an ' +
  'unchanged resource answers 304 with no body. `RateLimit-Limit`, `RateLimit-Remaining` and ' +
  '`RateLimit-Reset` describe the server’s GitHub budget; 503 `PROVIDER_NOT_CONFIGURED` without `GITHUB_API_KEY`.';

const errors = ['NOT_FOUND', 'PROVIDER_NOT_CONFIGURED', 'PROVIDER_ERROR', 'RATE_LIMITED'] as const;

/** The GitHub proxy (seed 000): read-only, with GitHub's paths under `/api/github`. */
export const githubRoutes = [
  defineRoute({
    id: 'github.repos.get',
    method: 'GET',
    path: '/api/github/repos/{owner}/{repo}',
    tag: 'github',
    summary: 'Read a GitHub repository',
    description: proxied,
    auth: { scope: 'github' },
    params: GitHubRepoParams,
    response: { json: GitHubRepository, nulls: true },
    errors,
  }),
  defineRoute({
    id: 'github.issues.list',
    method: 'GET',
    path: '/api/github/repos/{owner}/{repo}/issues',
    tag: 'github',
    summary: 'List a repository’s issues (GitHub lists pull requests among them)',
    description: proxied,
    auth: { scope: 'github' },
    params: GitHubRepoParams,
    query: GitHubIssueListQuery,
    response: { json: z.array(GitHubIssue), nulls: true },
    errors,
  }),
  defineRoute({
    id: 'github.issues.get',
    method: 'GET',
    path: '/api/github/repos/{owner}/{repo}/issues/{issue_number}',
    tag: 'github',
    summary: 'Read one issue',
    description: proxied,
    auth: { scope: 'github' },
    params: GitHubIssueParams,
    response: { json: GitHubIssue, nulls: true },
    errors,
  }),
  defineRoute({
    id: 'github.pulls.list',
    method: 'GET',
    path: '/api/github/repos/{owner}/{repo}/pulls',
    tag: 'github',
    summary: 'List a repository’s pull requests',
    description: proxied,
    auth: { scope: 'github' },
    params: GitHubRepoParams,
    query: GitHubPullListQuery,
    response: { json: z.array(GitHubPull), nulls: true },
    errors,
  }),
  defineRoute({
    id: 'github.pulls.get',
    method: 'GET',
    path: '/api/github/repos/{owner}/{repo}/pulls/{pull_number}',
    tag: 'github',
    summary: 'Read one pull request',
    description: proxied,
    auth: { scope: 'github' },
    params: GitHubPullParams,
    response: { json: GitHubPull, nulls: true },
    errors,
  }),
  defineRoute({
    id: 'github.search.repositories',
    method: 'GET',
    path: '/api/github/search/repositories',
    tag: 'github',
    summary: 'Search GitHub’s repositories',
    description: `\`q\` is GitHub’s search syntax; a query GitHub rejects is a 422. ${proxied}`,
    auth: { scope: 'github' },
    query: GitHubSearchQuery,
    response: { json: GitHubRepositorySearch, nulls: true },
    errors: [...errors, 'VALIDATION_ERROR'],
  }),
  defineRoute({
    id: 'github.search.issues',
    method: 'GET',
    path: '/api/github/search/issues',
    tag: 'github',
    summary: 'Search GitHub’s issues and pull requests',
    description: `\`q\` is GitHub’s search syntax (\`is:pr\` for pull requests); a query GitHub rejects is a 422. ${proxied}`,
    auth: { scope: 'github' },
    query: GitHubSearchQuery,
    response: { json: GitHubIssueSearch, nulls: true },
    errors: [...errors, 'VALIDATION_ERROR'],
  }),
] as const;
