/**
 * @module The GitHub proxy (seed 000): read-only repositories, issues, pull requests and search,
 * answered with GitHub's own JSON.
 */
import * as z from 'zod/mini';
import { queryInt } from '../../query.js';

/** A GitHub login or repository name: letters, digits, `-`, `_` and `.`, as GitHub allows them. */
const name = /*#__PURE__*/ z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,100}$/, 'Expected a GitHub name'));

/** `{owner}/{repo}` of a repository route. */
export const GitHubRepoParams = z.object({ owner: name, repo: name });
export type GitHubRepoParams = z.infer<typeof GitHubRepoParams>;

/** `{owner}/{repo}/issues/{issue_number}`. */
export const GitHubIssueParams = z.object({ owner: name, repo: name, issue_number: queryInt(1, 1e9) });
export type GitHubIssueParams = z.infer<typeof GitHubIssueParams>;

/** `{owner}/{repo}/pulls/{pull_number}`. */
export const GitHubPullParams = z.object({ owner: name, repo: name, pull_number: queryInt(1, 1e9) });
export type GitHubPullParams = z.infer<typeof GitHubPullParams>;

const state = z.enum(['open', 'closed', 'all']);
const direction = z.enum(['asc', 'desc']);
const page = { per_page: z.optional(queryInt(1, 100)), page: z.optional(queryInt(1, 1000)) };

/** The query of `GET .../issues`, as GitHub names it. */
export const GitHubIssueListQuery = z.object({
  state: z.optional(state),
  labels: z.optional(/*#__PURE__*/ z.string().check(z.maxLength(500))),
  sort: z.optional(z.enum(['created', 'updated', 'comments'])),
  direction: z.optional(direction),
  since: z.optional(/*#__PURE__*/ z.string().check(z.maxLength(40))),
  ...page,
});
export type GitHubIssueListQuery = z.infer<typeof GitHubIssueListQuery>;

/** The query of `GET .../pulls`, as GitHub names it. */
export const GitHubPullListQuery = z.object({
  state: z.optional(state),
  head: z.optional(/*#__PURE__*/ z.string().check(z.maxLength(200))),
  base: z.optional(/*#__PURE__*/ z.string().check(z.maxLength(200))),
  sort: z.optional(z.enum(['created', 'updated', 'popularity', 'long-running'])),
  direction: z.optional(direction),
  ...page,
});
export type GitHubPullListQuery = z.infer<typeof GitHubPullListQuery>;

/** The query of `GET /api/github/search/...`: `q` in GitHub's search syntax. */
export const GitHubSearchQuery = z.object({
  q: /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(256)),
  sort: z.optional(/*#__PURE__*/ z.string().check(z.regex(/^[a-z-]{1,30}$/))),
  order: z.optional(direction),
  ...page,
});
export type GitHubSearchQuery = z.infer<typeof GitHubSearchQuery>;

/** A repository, as GitHub answers it (every field GitHub sends is kept). */
export const GitHubRepository = z.looseObject({
  id: z.number(),
  name: z.string(),
  full_name: z.string(),
  html_url: z.string(),
});
export type GitHubRepository = z.infer<typeof GitHubRepository>;

/** An issue (or a pull request seen as an issue), as GitHub answers it. */
export const GitHubIssue = z.looseObject({
  id: z.number(),
  number: z.number(),
  title: z.string(),
  state: z.string(),
  html_url: z.string(),
});
export type GitHubIssue = z.infer<typeof GitHubIssue>;

/** A pull request, as GitHub answers it. */
export const GitHubPull = z.looseObject({
  id: z.number(),
  number: z.number(),
  title: z.string(),
  state: z.string(),
  html_url: z.string(),
});
export type GitHubPull = z.infer<typeof GitHubPull>;

/** A page of search results, as GitHub answers it. */
export const gitHubSearchResult = <T extends z.ZodMiniType>(item: T) =>
  z.looseObject({ total_count: z.number(), incomplete_results: z.boolean(), items: z.array(item) });

/** `GET /api/github/search/repositories`. */
export const GitHubRepositorySearch = gitHubSearchResult(GitHubRepository);
export type GitHubRepositorySearch = z.infer<typeof GitHubRepositorySearch>;

/** `GET /api/github/search/issues` (issues and pull requests). */
export const GitHubIssueSearch = gitHubSearchResult(GitHubIssue);
export type GitHubIssueSearch = z.infer<typeof GitHubIssueSearch>;
