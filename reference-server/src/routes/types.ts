import type { RouteId } from '@cartrita/contracts';
import type { Request, Response } from 'express';
import type { AppContext } from '../app-context.js';

/** What a route handler receives: the request already validated against the route table. */
export interface HandlerContext {
  req: Request;
  res: Response;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  app: AppContext;
  /** Aborted when the client goes away before the response is finished. */
  signal: AbortSignal;
}

/**
 * A route handler. Returning a value sends it as JSON with the route's status; returning nothing
 * means the handler wrote the response itself (streams, files).
 */
export type RouteHandler = (ctx: HandlerContext) => Promise<unknown>;

/** Handlers by route id. */
export type RouteHandlers = Partial<Record<RouteId, RouteHandler>>;
