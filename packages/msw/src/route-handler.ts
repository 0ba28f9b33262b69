/**
 * @module One route as an MSW handler: faults, then the caller by the server's rules, then the route's
 * own schemas, then the mock; every answer carries `X-Request-Id` and every failure is the envelope.
 */
import {
  type BodyOf,
  codeForStatus,
  isErrorCode,
  type ParamsOf,
  type QueryOf,
  type Route,
  type RouteDef,
  type RouteId,
  ThreadStreamEvent,
  toExpressPath,
} from '@cartrita/contracts';
import { type Caller, checkAuth, HttpError, isHttpError, newId, parseJson } from '@cartrita/engine';
import { delay, type HttpHandler, HttpResponse, http } from 'msw';
import type * as z from 'zod/mini';
import type { Scenarios } from './scenarios.js';
import type { CartritaStore } from './state.js';
import {
  assertWire,
  errorResponse,
  fieldIssues,
  nullSpellingTags,
  parseOptions,
  sseResponse,
} from './wire.js';

/** What the handlers share: where the mock lives, its state and its fault switches. */
export interface HandlerEnvironment {
  readonly baseURL: string;
  readonly store: CartritaStore;
  readonly scenarios: Scenarios;
}

type RouteOf<K extends RouteId> = Extract<Route, { id: K }>;

/** The body a mock gets: the route's parsed JSON, or the form of a multipart route. */
export type MockBodyOf<K extends RouteId> =
  RouteOf<K> extends { bodyType: 'multipart' } ? FormData : BodyOf<K>;

/** Everything a mock gets: the request already authorised, parsed and validated. */
export interface RouteContext<K extends RouteId> extends HandlerEnvironment {
  readonly route: RouteOf<K>;
  readonly request: Request;
  readonly requestId: string;
  readonly params: ParamsOf<K>;
  readonly query: QueryOf<K>;
  readonly body: MockBodyOf<K>;
  /** Who sent the request (an open route's caller may be anonymous). */
  readonly caller: Caller;
  /** Aborted when the client goes away: its request is aborted, or it stops reading a stream. */
  readonly signal: AbortSignal;
  /** A JSON answer, checked against `schema` (default: the route's response schema) before it is sent. */
  json(
    body: unknown,
    options?: { schema?: z.ZodMiniType; status?: number; headers?: Record<string, string> },
  ): Response;
  /** A `text/event-stream` answer; every event is checked against the route's event schema. */
  sse(events: AsyncIterable<ThreadStreamEvent>): Response;
}

/** The mock of one route. Throw the engine's `HttpError` for an expected failure. */
export type RouteImplementation<K extends RouteId> = (
  context: RouteContext<K>,
) => Response | Promise<Response>;

/** A mock for every route of the table, by route id. */
export type RouteImplementations = { readonly [K in RouteId]: RouteImplementation<K> };

const requestIdOf = (request: Request): string => {
  const given = request.headers.get('x-request-id');
  return given && /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(given) ? given : newId('request', 6);
};

const parseWith = <S extends z.ZodMiniType>(schema: S, value: unknown, prefix: string): z.output<S> => {
  const parsed = schema.safeParse(value, parseOptions);
  if (!parsed.success) {
    const fields = fieldIssues(parsed.error, prefix);
    const first = fields[0];
    const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
    throw HttpError.validation(fields, `Invalid request: ${first?.path}: ${first?.message}${more}`);
  }
  return parsed.data;
};

const jsonTypes = /^application\/([\w.+-]+\+)?json\b/i;

/** The route's body, read by the server's rules: a JSON route takes JSON, a multipart route a form. */
const readBody = async (route: RouteDef, request: Request): Promise<unknown> => {
  const contentType = request.headers.get('content-type');
  const text = route.bodyType === 'multipart' ? '' : await request.text();
  if (route.bodyType === 'multipart') {
    if (!contentType?.toLowerCase().startsWith('multipart/form-data')) {
      throw new HttpError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data.');
    }
    try {
      return await request.formData();
    } catch (error) {
      throw new HttpError('BAD_REQUEST', 'The multipart form could not be read.', { cause: error });
    }
  }
  if (!route.body) return undefined;
  if (text === '') {
    if (route.bodyOptional) return undefined;
    return parseWith(route.body, undefined, 'body');
  }
  if (!contentType || !jsonTypes.test(contentType)) {
    const type = contentType === null ? 'none' : contentType.split(';')[0];
    throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json (got ${type})`, {
      details: { accepted: ['application/json'] },
    });
  }
  const json = parseJson(text, { strict: true });
  return parseWith(route.body, json, 'body');
};

/** The MSW path of a route under `baseURL` (`http://localhost:8000/chatkit/attachments/:attachment_id/upload`). */
export const mswPath = (baseURL: string, route: RouteDef): string =>
  `${baseURL.replace(/\/+$/, '')}${toExpressPath(route.path)}`;

/**
 * Wraps the mock of one route into an MSW handler: faults, then the caller checked against the
 * route's requirement by the server's rules, then parsing and validation with the route's schemas,
 * then the mock; every answer carries `X-Request-Id` and every expected failure becomes the error
 * envelope.
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
      const headers = { ...fault.headers };
      return isErrorCode(code)
        ? errorResponse(new HttpError(code, message, { status: fault.status, headers }), requestId)
        : scenarioResponse(fault.status, code, message, headers, requestId);
    }
    try {
      if (store.stopping) {
        throw new HttpError(
          'SERVICE_UNAVAILABLE',
          'The server is stopping; send the request again shortly.',
          {
            headers: { 'Retry-After': '5' },
          },
        );
      }
      const caller = await store.identify(request);
      if (route.auth !== 'none') {
        if (caller.failure) throw caller.failure;
        const refused = checkAuth(caller.auth, route.auth);
        if (refused) throw refused;
      }
      const url = new URL(request.url);
      const gone = new AbortController();
      request.signal.addEventListener('abort', () => gone.abort(request.signal.reason), { once: true });
      const context = {
        ...environment,
        route,
        request,
        requestId,
        caller,
        signal: gone.signal,
        params: route.params ? parseWith(route.params, params, 'params') : {},
        query: route.query ? parseWith(route.query, Object.fromEntries(url.searchParams), 'query') : {},
        body: await readBody(route, request),
        json(
          body: unknown,
          options: { schema?: z.ZodMiniType; status?: number; headers?: Record<string, string> } = {},
        ) {
          const schema = options.schema ?? route.response.json;
          if (!schema) throw new Error(`${route.id} has no JSON response schema`);
          assertWire(schema, body, `The answer of ${route.id}`, { nulls: nullSpellingTags.has(route.tag) });
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
            onCancel: () => gone.abort(new Error('The client went away.')),
          });
        },
        // The parsed parts are the route's own (its schemas parsed them); TypeScript cannot follow
        // that through the table, so the context is typed once here.
      } as unknown as RouteContext<K>;
      const response = await implementation(context);
      if (!response.headers.has('X-Request-Id')) response.headers.set('X-Request-Id', requestId);
      return response;
    } catch (error) {
      if (isHttpError(error)) return errorResponse(error, requestId);
      throw error;
    }
  });
};

/** The answer of a `status` fault with a code of the test's own: any status and code, in the envelope. */
const scenarioResponse = (
  status: number,
  code: string,
  message: string,
  headers: Record<string, string>,
  requestId: string,
): Response =>
  HttpResponse.json(
    {
      error: { code, type: 'Error', message, details: {} },
      timestamp: new Date().toISOString(),
      request_id: requestId,
    },
    { status, headers: { ...headers, 'X-Request-Id': requestId } },
  );
