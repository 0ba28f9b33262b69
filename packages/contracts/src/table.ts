/**
 * @module The route table: every route of every area, the one list the server mounts, the SDK and
 * the mocks are typed by, and OpenAPI is printed from. Adding an area is one line here.
 */
import { agentRoutes } from './areas/agents/routes.js';
import { chatRoutes } from './areas/chat/routes.js';
import { chatkitRoutes } from './areas/chatkit/routes.js';
import { computerUseRoutes } from './areas/computer-use/routes.js';
import { configRoutes } from './areas/config/routes.js';
import { conversationRoutes } from './areas/conversations/routes.js';
import { engineRoutes } from './areas/engines/routes.js';
import { fileRoutes } from './areas/files/routes.js';
import { githubRoutes } from './areas/github/routes.js';
import { huggingfaceRoutes } from './areas/huggingface/routes.js';
import { memoryRoutes } from './areas/memory/routes.js';
import { observabilityRoutes } from './areas/observability/routes.js';
import { personaRoutes } from './areas/personas/routes.js';
import { searchRoutes } from './areas/search/routes.js';
import { sessionRoutes } from './areas/sessions/routes.js';
import { studioRoutes } from './areas/studio/routes.js';
import { systemRoutes } from './areas/system/routes.js';
import { voiceRoutes } from './areas/voice/routes.js';

// Each area's schemas and routes, exported with the table.
export * from './areas/agents/index.js';
export * from './areas/chat/index.js';
export * from './areas/chatkit/index.js';
export * from './areas/computer-use/index.js';
export * from './areas/config/index.js';
export * from './areas/conversations/index.js';
export * from './areas/engines/index.js';
export * from './areas/files/index.js';
export * from './areas/github/index.js';
export * from './areas/huggingface/index.js';
export * from './areas/memory/index.js';
export * from './areas/observability/index.js';
export * from './areas/personas/index.js';
export * from './areas/search/index.js';
export * from './areas/sessions/index.js';
export * from './areas/studio/index.js';
export * from './areas/system/index.js';
export * from './areas/voice/index.js';

/** Every route the reference server serves: the single source of truth. */
export const routes = [
  ...systemRoutes,
  ...chatkitRoutes,
  ...chatRoutes,
  ...sessionRoutes,
  ...engineRoutes,
  ...observabilityRoutes,
  ...studioRoutes,
  ...conversationRoutes,
  ...memoryRoutes,
  ...configRoutes,
  ...fileRoutes,
  ...searchRoutes,
  ...personaRoutes,
  ...githubRoutes,
  ...huggingfaceRoutes,
  ...computerUseRoutes,
  ...agentRoutes,
  ...voiceRoutes,
] as const;

/** A route of the table. */
export type Route = (typeof routes)[number];
/** The operation id of a route of the table. */
export type RouteId = Route['id'];

/** The routes keyed by operation id. */
export const routesById: { readonly [K in RouteId]: Extract<Route, { id: K }> } = Object.fromEntries(
  routes.map((route) => [route.id, route]),
) as never;
