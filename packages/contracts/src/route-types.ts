/**
 * @module Types read off the route table: what each route takes and answers, by route id, so the
 * server's handlers, the mocks and the SDK are typed by the one table.
 */
import type * as z from 'zod/mini';
import type { Route, RouteId } from './table.js';

/** The route of the table with this id. */
export type RouteOf<K extends RouteId> = Extract<Route, { id: K }>;

type Output<S> = S extends z.ZodMiniType ? z.output<S> : undefined;
type Input<S> = S extends z.ZodMiniType ? z.input<S> : undefined;

/** A route's path parameters, parsed. */
export type ParamsOf<K extends RouteId> =
  RouteOf<K> extends { params: infer P } ? Output<P> : Record<string, never>;

/** A route's query, parsed. */
export type QueryOf<K extends RouteId> =
  RouteOf<K> extends { query: infer Q } ? Output<Q> : Record<string, never>;

/**
 * A route's JSON body, parsed (`undefined` when an optional body was left out); `undefined` for a
 * multipart route, whose files are streamed by the route itself.
 */
export type BodyOf<K extends RouteId> =
  RouteOf<K> extends { bodyType: 'multipart' }
    ? undefined
    : RouteOf<K> extends { body: infer B }
      ? Output<B>
      : undefined;

/** What a caller sends as a route's JSON body (defaults may be left out). */
export type BodyInputOf<K extends RouteId> = RouteOf<K> extends { body: infer B } ? Input<B> : undefined;

/** A route's JSON answer, or `never` when it answers otherwise (a stream, bytes, a socket). */
export type JsonResultOf<K extends RouteId> = RouteOf<K>['response'] extends { json: infer J }
  ? Output<J>
  : never;

/** A route's stream event, or `never` when it does not stream. */
export type EventOf<K extends RouteId> = RouteOf<K>['response'] extends { sse: infer E } ? Output<E> : never;

/** The ids of a list of routes, such as one area's (`IdsOf<typeof chatRoutes>`). */
export type IdsOf<Routes extends readonly { id: string }[]> = Routes[number]['id'];
