/**
 * @module The span of an HTTP request, named and labelled by one rule for the server and the mocks,
 * so a request's trace reads the same on both.
 */
import type { RouteDef, RouteId } from '@cartrita/contracts';
import { type Attributes, spanAttributes } from '../telemetry.js';

/**
 * Routes whose requests record no span: polled by machines every few seconds (health checks,
 * Prometheus scrapes), they would bury the traces worth reading.
 */
export const untracedRoutes: ReadonlySet<RouteId> = new Set<RouteId>([
  'health.get',
  'system.health',
  'observability.prometheus',
]);

/**
 * A request span's name: `<METHOD> <route path>` (`GET /api/observability/traces/{trace_id}`), or
 * the method alone for a request outside the route table.
 */
export const requestSpanName = (method: string, route?: Pick<RouteDef, 'path'>): string =>
  route ? `${method} ${route.path}` : method;

/** The attributes a request span starts with. */
export const requestSpanAttributes = (method: string, requestId: string): Attributes => ({
  [spanAttributes.kind]: 'request',
  [spanAttributes.requestId]: requestId,
  'http.request.method': method,
});

/** The attributes a request span gets once its route is known. */
export const routeSpanAttributes = (route: Pick<RouteDef, 'id' | 'path'>): Attributes => ({
  [spanAttributes.routeId]: route.id,
  'http.route': route.path,
});

/** The attribute a request span gets with its answer's status; a 5xx also fails the span. */
export const statusSpanAttributes = (status: number): Attributes => ({
  'http.response.status_code': status,
});
