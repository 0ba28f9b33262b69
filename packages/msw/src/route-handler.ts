import {
  codeForStatus,
  type Route,
  type RouteDef,
  type RouteId,
  ThreadStreamEvent,
  toExpressPath,
} from '@cartrita/contracts';
import { delay, type HttpHandler, HttpResponse, http } from 'msw';
import type * as z from 'zod/mini';
import { MockHttpError, validationError } from './errors.js';
import { newRequestId } from './ids.js';
import type { Scenarios } from './scenarios.js';
import type { CartritaStore, SessionRecord } from './store.js';
import { assertWire, errorResponse, fieldIssues, parseOptions, sseResponse } from './wire.js';

/** What the handlers share: where the fake lives, its state and its fault switches. */
export interface HandlerEnvironment {
  readonly baseURL: string;
  readonly store: CartritaStore;
  readonly scenarios: Scenarios;
}

type RouteOf<K extends RouteId> = Extract<Route, { id: K }>;
type Output<S> = S extends z.ZodMiniType ? z.output<S> : undefined;

/** The parsed path parameters of a route. */
export type ParamsOf<K extends RouteId> =
  RouteOf<K> extends { params: infer P } ? Output<P> : Record<string, never>;
/** The parsed query of a route. */
export type QueryOf<K extends RouteId> =
  RouteOf<K> extends { query: infer Q } ? Output<Q> : Record<string, never>;
/** The parsed body of a route: its schema's output, or the form of a multipart route. */
export type BodyOf<K extends RouteId> =
  RouteOf<K> extends { bodyType: 'multipart' }
    ? FormData
    : RouteOf<K> extends { body: infer B }
      ? Output<B> | (RouteOf<K> extends { bodyOptional: true } ? undefined : never)
      : undefined;
/** The session of the caller: always there on routes that need a credential. */
export type SessionOf<K extends RouteId> = RouteOf<K>['auth'] extends 'none'
  ? SessionRecord | undefined
  : SessionRecord;

/** Everything an implementation gets: the request already authenticated, parsed and validated. */
export interface RouteContext<K extends RouteId> extends HandlerEnvironment {
  readonly route: RouteOf<K>;
  readonly request: Request;
  readonly requestId: string;
  readonly params: ParamsOf<K>;
  readonly query: QueryOf<K>;
  readonly body: BodyOf<K>;
  readonly session: SessionOf<K>;
  /** Whether the caller sent one of the store's API keys. */
  readonly apiKey: boolean;
  /** A JSON answer, checked against `schema` (default: the route's response schema) before it is sent. */
  json(
    body: unknown,
    options?: { schema?: z.ZodMiniType; status?: number; headers?: Record<string, string> },
  ): Response;
  /** A `text/event-stream` answer; every event is checked against the route's event schema. */
  sse(events: AsyncIterable<ThreadStreamEvent>): Response;
}

/** The mock of one route. Throw a `MockHttpError` for an expected failure. */
export type RouteImplementation<K extends RouteId> = (
  context: RouteContext<K>,
) => Response | Promise<Response>;

/** A mock for every route of the table, by route id. */
export type RouteImplementations = { readonly [K in RouteId]: RouteImplementation<K> };

const bearerOf = (request: Request): string | undefined => {
  const header = request.headers.get('authorization');
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return (
    match?.[1] ?? request.headers.get('x-session-token') ?? request.headers.get('x-api-key') ?? undefined
  );
};

/**
 * The client secret of an `access_token` query parameter, which the server accepts on GET requests
 * only (`EventSource` cannot send headers), and never for an API key.
 */
const accessTokenOf = (request: Request): string | undefined => {
  const tokens = new URL(request.url).searchParams.getAll('access_token');
  if (tokens.length === 0) return undefined;
  if (request.method !== 'GET') {
    throw new MockHttpError(
      'UNAUTHORIZED',
      'The access_token query parameter is accepted only on GET requests',
    );
  }
  if (tokens.length > 1 || tokens[0] === '') {
    throw new MockHttpError('UNAUTHORIZED', 'Send exactly one access_token query parameter');
  }
  return tokens[0];
};

const requestIdOf = (request: Request): string => {
  const given = request.headers.get('x-request-id');
  return given && /^[A-Za-z0-9][\w.:-]{0,63}$/.test(given) ? given : newRequestId();
};

/**
 * How a 422 names a failing field: body fields as the contracts' `FieldIssue` documents them
 * (`params.input.content.0.text`), path parameters and query fields under `params.` and `query.`.
 */
const fieldPrefix = { body: 'body', params: 'params', query: 'query' } as const;

const parseWith = <S extends z.ZodMiniType>(schema: S, value: unknown, prefix: string): z.output<S> => {
  const parsed = schema.safeParse(value, parseOptions);
  if (!parsed.success) throw validationError(fieldIssues(parsed.error, prefix));
  return parsed.data;
};

const isJsonType = (contentType: string | null) =>
  !contentType || /^application\/([\w.+-]+\+)?json\b/i.test(contentType);

const readBody = async (route: RouteDef, request: Request): Promise<unknown> => {
  const contentType = request.headers.get('content-type');
  if (route.bodyType === 'multipart') {
    if (!contentType?.toLowerCase().startsWith('multipart/form-data')) {
      throw new MockHttpError(
        'UNSUPPORTED_MEDIA_TYPE',
        `${route.method} ${route.path} takes multipart/form-data`,
      );
    }
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw new MockHttpError('BAD_REQUEST', 'The multipart body could not be read');
    }
    const missing = (route.files ?? []).filter(
      (name) => typeof form.get(name) === 'string' || !form.get(name),
    );
    if (missing.length > 0) {
      throw validationError(missing.map((name) => ({ path: name, message: 'A file is required' })));
    }
    return form;
  }
  if (!route.body) return undefined;
  const text = await request.text();
  if (text.trim() === '') {
    if (route.bodyOptional) return undefined;
    return parseWith(route.body, undefined, fieldPrefix.body);
  }
  if (!isJsonType(contentType)) {
    throw new MockHttpError('UNSUPPORTED_MEDIA_TYPE', `${route.method} ${route.path} takes application/json`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MockHttpError('BAD_REQUEST', `The body is not valid JSON: ${(error as Error).message}`);
  }
  return parseWith(route.body, json, fieldPrefix.body);
};

const authenticate = (route: RouteDef, request: Request, store: CartritaStore) => {
  const header = bearerOf(request);
  const token = header ?? accessTokenOf(request);
  if (header === undefined && token !== undefined && store.isApiKey(token)) {
    throw new MockHttpError(
      'UNAUTHORIZED',
      'Only client secrets are accepted in the access_token query parameter; send API keys in the Authorization or X-API-Key header',
    );
  }
  const apiKey = token !== undefined && store.isApiKey(token);
  const user = request.headers.get('x-cartrita-user') ?? undefined;
  const session = apiKey
    ? store.apiKeyCaller(user)
    : token === undefined
      ? undefined
      : store.authenticate(token);
  if (route.auth !== 'none' && !session) {
    throw new MockHttpError(
      'UNAUTHORIZED',
      token === undefined
        ? 'Authentication required: send a client secret or an API key'
        : 'The client secret is invalid or has expired',
    );
  }
  return { session, apiKey };
};

/** The MSW path of a route under `baseURL` (`http://localhost:8000/chatkit/attachments/:attachment_id/upload`). */
export const mswPath = (baseURL: string, route: RouteDef): string =>
  `${baseURL.replace(/\/+$/, '')}${toExpressPath(route.path)}`;

/**
 * Wraps the implementation of one route into an MSW handler: faults, then auth, then parsing and
 * validation with the route's schemas, then the implementation; every answer carries `X-Request-Id`
 * and every expected failure becomes the error envelope.
 */
export const routeHandler = <K extends RouteId>(
  route: RouteDef & { id: K },
  implementation: RouteImplementation<K>,
  environment: HandlerEnvironment,
): HttpHandler => {
  const { store, scenarios } = environment;
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
  return http[method](mswPath(environment.baseURL, route), async ({ request, params }) => {
    const requestId = requestIdOf(request);
    const slow = scenarios.take(route.id, ['latency']);
    if (slow) await delay(slow.ms);
    const fault = scenarios.take(route.id, ['network_error', 'status']);
    if (fault?.kind === 'network_error') return HttpResponse.error();
    if (fault?.kind === 'status') {
      const code = fault.errorCode ?? codeForStatus(fault.status);
      const message = fault.message ?? `Request failed with status ${fault.status} (scenario)`;
      return errorResponse(
        new MockHttpError(code, message, { status: fault.status, headers: { ...fault.headers } }),
        requestId,
      );
    }
    try {
      const { session, apiKey } = authenticate(route, request, store);
      const url = new URL(request.url);
      const context = {
        ...environment,
        route,
        request,
        requestId,
        session,
        apiKey,
        params: route.params ? parseWith(route.params, params, fieldPrefix.params) : {},
        query: route.query
          ? parseWith(route.query, Object.fromEntries(url.searchParams), fieldPrefix.query)
          : {},
        body: await readBody(route, request),
        json(
          body: unknown,
          options: { schema?: z.ZodMiniType; status?: number; headers?: Record<string, string> } = {},
        ) {
          const schema = options.schema ?? route.response.json;
          if (!schema) throw new Error(`${route.id} has no JSON response schema`);
          assertWire(schema, body, `The answer of ${route.id}`);
          return HttpResponse.json(body as never, {
            status: options.status ?? route.response.status ?? 200,
            headers: { ...options.headers, 'X-Request-Id': requestId },
          });
        },
        sse(events: AsyncIterable<ThreadStreamEvent>) {
          const schema = route.response.sse ?? ThreadStreamEvent;
          return sseResponse(events, requestId, {
            fault: scenarios.take(route.id, ['cut_stream', 'stall_stream']),
            validate: (event) => assertWire(schema, event, `An event of ${route.id}`),
          });
        },
      } as unknown as RouteContext<K>;
      const response = await implementation(context);
      if (!response.headers.has('X-Request-Id')) response.headers.set('X-Request-Id', requestId);
      return response;
    } catch (error) {
      if (error instanceof MockHttpError) return errorResponse(error, requestId);
      throw error;
    }
  });
};
