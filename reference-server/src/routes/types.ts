/** @module What a route handler gets and gives, typed by its route id from the route table. */
import type { BodyOf, JsonResultOf, ParamsOf, QueryOf, RouteId } from '@cartrita/contracts';
import type { Request, Response } from 'express';
import type { AppContext } from '../app-context.js';

/** What a route handler receives: the request already authorised and validated against its route. */
export interface HandlerContext<K extends RouteId> {
  req: Request;
  res: Response;
  params: ParamsOf<K>;
  query: QueryOf<K>;
  body: BodyOf<K>;
  app: AppContext;
  /** Aborted when the client goes away before the response is finished. */
  signal: AbortSignal;
}

/**
 * A route handler. Returning a value sends it as JSON with the route's status; returning nothing
 * means the handler wrote the response itself (streams, files).
 */
export type RouteHandler<K extends RouteId> = (
  ctx: HandlerContext<K>,
) => Promise<JsonResultOf<K> | undefined>;

/** The handlers of a set of routes, each typed by its own route. */
export type RouteHandlers<K extends RouteId = RouteId> = { readonly [Id in K]: RouteHandler<Id> };
