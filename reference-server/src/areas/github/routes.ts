/** @module The GitHub proxy's routes (seed 000): read-only, conditional requests passed through. */
import { type GitHubRepoParams, type githubRoutes, type IdsOf, routesById } from '@cartrita/contracts';
import { gitHubAnswerHeaders, gitHubPathOf } from '@cartrita/engine';
import type { RouteHandler, RouteHandlers } from '../../routes/types.js';
import { baseUrlOf } from '../chatkit/routes.js';

type GitHubRouteId = IdsOf<typeof githubRoutes>;

/**
 * One proxied read: GitHub's path from the route's, the caller's `If-None-Match` passed on, GitHub's
 * `ETag`, `Link` and budget on the answer, and a 304 without a body when nothing changed.
 */
const proxy =
  <K extends GitHubRouteId>(id: K): RouteHandler<K> =>
  async ({ app, req, res, params, query, signal }) => {
    const answer = await app.engine.github.read({
      path: gitHubPathOf(routesById[id].path, (params ?? {}) as Partial<GitHubRepoParams>),
      query: (query ?? {}) as Record<string, string | number | undefined>,
      ...(req.get('if-none-match') ? { ifNoneMatch: req.get('if-none-match') } : {}),
      ...(req.get('if-modified-since') ? { ifModifiedSince: req.get('if-modified-since') } : {}),
      signal,
    });
    res.set(gitHubAnswerHeaders(answer, Date.now(), baseUrlOf(req, app)));
    if (answer.status === 304) {
      res.status(304).end();
      return undefined;
    }
    return answer.body as never;
  };

/** The GitHub proxy: each route reads the same path on GitHub. */
export const githubHandlers: RouteHandlers<GitHubRouteId> = {
  'github.repos.get': proxy('github.repos.get'),
  'github.issues.list': proxy('github.issues.list'),
  'github.issues.get': proxy('github.issues.get'),
  'github.pulls.list': proxy('github.pulls.list'),
  'github.pulls.get': proxy('github.pulls.get'),
  'github.search.repositories': proxy('github.search.repositories'),
  'github.search.issues': proxy('github.search.issues'),
};
