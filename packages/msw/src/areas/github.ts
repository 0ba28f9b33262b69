/**
 * @module The mocks of the GitHub proxy (seed 000), by the engine's rules: 503 without a GitHub
 * client, else the client's answer with the server's headers, and 304 when the caller's ETag matches.
 */
import { type GitHubRepoParams, type githubRoutes, type IdsOf, routesById } from '@cartrita/contracts';
import { gitHubAnswerHeaders, gitHubPathOf } from '@cartrita/engine';
import type { RouteImplementation } from '../route-handler.js';

type GitHubRouteId = IdsOf<typeof githubRoutes>;

const proxy =
  <K extends GitHubRouteId>(id: K): RouteImplementation<K> =>
  async ({ json, store, request, params, query, signal, baseURL }) => {
    const ifNoneMatch = request.headers.get('if-none-match');
    const ifModifiedSince = request.headers.get('if-modified-since');
    const answer = await store.engine.github.read({
      path: gitHubPathOf(routesById[id].path, (params ?? {}) as Partial<GitHubRepoParams>),
      query: (query ?? {}) as Record<string, string | number | undefined>,
      ...(ifNoneMatch ? { ifNoneMatch } : {}),
      ...(ifModifiedSince ? { ifModifiedSince } : {}),
      signal,
    });
    const headers = gitHubAnswerHeaders(answer, Date.now(), new URL(baseURL).origin);
    if (answer.status === 304) return new Response(null, { status: 304, headers });
    return json(answer.body, { headers });
  };

/** The mocks of `GET /api/github/...`. */
export const githubImplementations: { readonly [K in GitHubRouteId]: RouteImplementation<K> } = {
  'github.repos.get': proxy('github.repos.get'),
  'github.issues.list': proxy('github.issues.list'),
  'github.issues.get': proxy('github.issues.get'),
  'github.pulls.list': proxy('github.pulls.list'),
  'github.pulls.get': proxy('github.pulls.get'),
  'github.search.repositories': proxy('github.search.repositories'),
  'github.search.issues': proxy('github.search.issues'),
};
