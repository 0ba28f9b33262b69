import * as z from 'zod/mini';
import { ErrorEnvelope, errorStatus } from './envelope.js';
import type { RouteDef } from './route.js';
import { clientSecretScopes, scopes } from './scopes.js';

/** Options for {@link buildOpenApi}. */
export interface OpenApiOptions {
  title?: string;
  version: string;
  description?: string;
  /** Server URLs shown by the interactive docs. */
  servers?: string[];
}

type JsonObject = Record<string, unknown>;

const schemaOf = (schema: z.ZodMiniType, io: 'input' | 'output'): JsonObject => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonObject;
  return rest;
};

/**
 * The operation's security requirement: the credentials that may call it, each with the route's
 * scope. A client secret travels as a bearer token or `X-Session-Token`, and on GET streams and
 * sockets as `access_token` (browsers cannot send headers there); API keys as a bearer token or
 * `X-API-Key`.
 */
const securityOf = (route: RouteDef): JsonObject[] => {
  if (route.auth === 'none') return [];
  const { scope } = route.auth;
  const requirements: JsonObject[] = [{ bearer: [scope] }, { apiKey: [scope] }];
  if (clientSecretScopes.includes(scope)) {
    requirements.push({ sessionToken: [scope] });
    const streams = route.response.sse !== undefined || route.response.websocket !== undefined;
    if (route.method === 'GET' && streams) requirements.push({ accessToken: [scope] });
  }
  return requirements;
};

const scopeList = Object.entries(scopes)
  .map(([name, description]) => `\`${name}\`: ${description}`)
  .join(' ');

const parametersOf = (route: RouteDef): JsonObject[] => {
  const out: JsonObject[] = [];
  const add = (where: 'path' | 'query', shape: z.ZodMiniObject | undefined) => {
    if (!shape) return;
    const json = schemaOf(shape, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      out.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        schema,
      });
    }
  };
  add('path', route.params);
  add('query', route.query);
  return out;
};

const requestBodyOf = (route: RouteDef): JsonObject | undefined => {
  if (route.bodyType === 'multipart') {
    const fields = route.formFields
      ? (schemaOf(route.formFields, 'input') as { properties?: JsonObject })
      : {};
    const properties = {
      ...fields.properties,
      ...Object.fromEntries((route.files ?? []).map((f) => [f, { type: 'string', format: 'binary' }])),
    };
    return {
      required: true,
      content: {
        'multipart/form-data': { schema: { type: 'object', properties, required: [...(route.files ?? [])] } },
      },
    };
  }
  if (!route.body) return undefined;
  return {
    required: !route.bodyOptional,
    content: { 'application/json': { schema: schemaOf(route.body, 'input') } },
  };
};

const successOf = (route: RouteDef): JsonObject => {
  const { response } = route;
  const content: JsonObject = {};
  if (response.json) content['application/json'] = { schema: schemaOf(response.json, 'output') };
  if (response.sse) {
    content['text/event-stream'] = {
      schema: { type: 'string', description: 'Server-sent events; each `data:` line is one JSON event.' },
      'x-event-schema': schemaOf(response.sse, 'output'),
    };
  }
  if (response.binary) content[response.binary] = { schema: { type: 'string', format: 'binary' } };
  if (response.html) content['text/html'] = { schema: { type: 'string' } };
  if (response.text) content[response.text] = { schema: { type: 'string' } };
  if (response.websocket) {
    return {
      description: `${route.summary}: switching to the WebSocket protocol.`,
      'x-websocket-messages': {
        client: schemaOf(response.websocket.client, 'input'),
        server: schemaOf(response.websocket.server, 'output'),
      },
    };
  }
  return { description: route.summary, content };
};

const crossCuttingStatuses = (route: RouteDef): number[] => {
  const statuses = new Set<number>([429, 500]);
  if (route.auth !== 'none') {
    statuses.add(401);
    statuses.add(403);
  }
  if (route.body || route.query || route.params) statuses.add(422);
  if (route.body) {
    statuses.add(400);
    statuses.add(413);
    statuses.add(415);
  }
  for (const code of route.errors) statuses.add(errorStatus[code]);
  return [...statuses].sort();
};

/** Prints an OpenAPI 3.1 document from the route table. */
export const buildOpenApi = (routes: readonly RouteDef[], options: OpenApiOptions): JsonObject => {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const route of routes) {
    const responses: Record<string, JsonObject> = {
      [String(route.response.status ?? 200)]: successOf(route),
    };
    for (const status of crossCuttingStatuses(route)) {
      responses[String(status)] = { $ref: `#/components/responses/Error${status}` };
    }
    const operation: JsonObject = {
      operationId: route.id,
      summary: route.summary,
      tags: [route.tag],
      responses,
    };
    if (route.description) operation.description = route.description;
    const parameters = parametersOf(route);
    if (parameters.length > 0) operation.parameters = parameters;
    const requestBody = requestBodyOf(route);
    if (requestBody) operation.requestBody = requestBody;
    operation.security = securityOf(route);
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation;
  }
  const statuses = [...new Set(routes.flatMap(crossCuttingStatuses))].sort();
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Cartrita API',
      version: options.version,
      description: options.description ?? 'Every route the Cartrita reference server serves.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: (options.servers ?? []).map((url) => ({ url })),
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { ErrorEnvelope: schemaOf(ErrorEnvelope, 'output') },
      responses: Object.fromEntries(
        statuses.map((status) => [
          `Error${status}`,
          {
            description: `Error (${status})`,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
          },
        ]),
      ),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: `An API key or a client secret. Each operation names the scope it needs. ${scopeList}`,
        },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key.' },
        sessionToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Session-Token',
          description: 'A client secret from `POST /api/chatkit/session`.',
        },
        accessToken: {
          type: 'apiKey',
          in: 'query',
          name: 'access_token',
          description: 'A client secret, on GET streams and sockets only (never an API key).',
        },
      },
    },
  };
};
