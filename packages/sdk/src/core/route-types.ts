import type { RouteId, routesById } from '@cartrita/contracts';
import type * as z from 'zod/mini';

/** The route of the table with operation id `Id`, with its literal method, path and schemas. */
export type RouteOf<Id extends RouteId> = (typeof routesById)[Id];

/** The input type of one of a route's schemas, or `never` when the route has none there. */
type InputOf<Schema> = Schema extends z.ZodMiniType ? z.input<Schema> : never;

/** The output type of one of a route's schemas, or `never` when the route has none there. */
type OutputOf<Schema> = Schema extends z.ZodMiniType ? z.output<Schema> : never;

/**
 * The JSON body of route `Id`, as a caller writes it (fields with defaults may be left out).
 *
 * @example
 * ```ts
 * type ChatCreateParams = RouteBody<'chat.create'>; // { message: string; conversation_id?: string; ... }
 * ```
 */
export type RouteBody<Id extends RouteId> = InputOf<RouteOf<Id> extends { body: infer S } ? S : never>;

/** The query string of route `Id`, as a caller writes it. */
export type RouteQuery<Id extends RouteId> = InputOf<RouteOf<Id> extends { query: infer S } ? S : never>;

/** The path parameters of route `Id` (`{response_id}` → `{ response_id: string }`). */
export type RouteParams<Id extends RouteId> = InputOf<RouteOf<Id> extends { params: infer S } ? S : never>;

/** The JSON answer of route `Id`, as its response schema parses it. */
export type RouteResult<Id extends RouteId> = OutputOf<
  RouteOf<Id>['response'] extends { json: infer S } ? S : never
>;

/** One event of route `Id`'s `text/event-stream` answer, as its event schema parses it. */
export type RouteEvent<Id extends RouteId> = OutputOf<
  RouteOf<Id>['response'] extends { sse: infer S } ? S : never
>;

/** The messages each side of route `Id`'s WebSocket sends, as their schemas parse them. */
export type RouteSocket<Id extends RouteId> = RouteOf<Id>['response'] extends {
  websocket: { client: infer C; server: infer S };
}
  ? { client: OutputOf<C>; server: OutputOf<S> }
  : never;
