import { chatRoutes } from './chat.js';
import { chatkitRoutes } from './chatkit.js';
import { systemRoutes } from './system.js';

export * from './chat.js';
export * from './chatkit.js';
export * from './system.js';

/** Every route the reference server serves: the single source of truth. */
export const routes = [...systemRoutes, ...chatkitRoutes, ...chatRoutes] as const;

/** A route of the table. */
export type Route = (typeof routes)[number];
/** The operation id of a route of the table. */
export type RouteId = Route['id'];

/** The routes keyed by operation id. */
export const routesById: { readonly [K in RouteId]: Extract<Route, { id: K }> } = Object.fromEntries(
  routes.map((route) => [route.id, route]),
) as never;
