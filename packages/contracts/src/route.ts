import type * as z from 'zod/mini';
import type { ErrorCode } from './envelope.js';
import type { Scope } from './scopes.js';

/** An HTTP method the route table uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Who may call a route.
 * - `'none'`: open to anyone (health, session bootstrap, signed URLs). Credentials are not needed
 *   there, so a missing, malformed or expired one changes nothing.
 * - `{ scope }`: a credential that carries the scope: an API key configured with it (or with
 *   `admin`), or a client secret when the scope is one of {@link clientSecretScopes} (`chat`).
 */
export type AuthRequirement = 'none' | { scope: Scope };

/** How a route's successful response is shaped. */
export interface RouteResponse {
  /** HTTP status of success (default 200). */
  status?: number;
  /** JSON body schema. */
  json?: z.ZodMiniType;
  /** Event schema when the route streams `text/event-stream`. */
  sse?: z.ZodMiniType;
  /** Content type of a binary body (file downloads, previews). */
  binary?: string;
  /** HTML page. */
  html?: true;
  /** Content type of a text body that is not JSON (the Prometheus exposition format). */
  text?: string;
  /** A WebSocket: the route upgrades, then these messages flow each way. */
  websocket?: { client: z.ZodMiniType; server: z.ZodMiniType };
  /**
   * Whether the JSON answer writes empty fields as `null` where its schema says so (seed 001's
   * shapes: `"result": null`), rather than leaving them out as the ChatKit protocol does.
   */
  nulls?: true;
}

/** One route of the API, as data. The server, SDK, mocks and OpenAPI are all built from these. */
export interface RouteDef {
  /** Unique operation id, `area.verb` (`chatkit.session.create`). */
  id: string;
  method: HttpMethod;
  /** Express-style path with `{param}` placeholders, as OpenAPI writes them. */
  path: string;
  summary: string;
  description?: string;
  /** OpenAPI tag: the URL area. */
  tag: string;
  auth: AuthRequirement;
  /** Path parameters. */
  params?: z.ZodMiniObject;
  /** Query string. */
  query?: z.ZodMiniObject;
  /** Request body: JSON by default, or a multipart form with named file fields. */
  body?: z.ZodMiniType;
  bodyType?: 'json' | 'multipart' | 'binary';
  /** The JSON body may be left out entirely. */
  bodyOptional?: boolean;
  /** For multipart bodies: the file field names. */
  files?: readonly string[];
  /**
   * The largest JSON body the route takes, in bytes, when it needs more than the server's `BODY_LIMIT`
   * (a screenshot); the server takes the larger of the two.
   */
  maxBodyBytes?: number;
  /** For multipart bodies: the text fields beside the files (the area's rules check them), for OpenAPI. */
  formFields?: z.ZodMiniObject;
  response: RouteResponse;
  /** Error codes the route may answer with (besides the cross-cutting 401/413/415/422/429/500). */
  errors: readonly ErrorCode[];
}

/** Declares a route, keeping its literal types. */
export const defineRoute = <const R extends RouteDef>(route: R): R => route;

/** Turns `/a/{id}/b` into Express's `/a/:id/b`. */
export const toExpressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

/** Fills `{param}` placeholders, encoding each value. */
export const fillPath = (path: string, params: Record<string, string> = {}): string =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
