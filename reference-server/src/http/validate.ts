import type { FieldIssue, RouteDef } from '@cartrita/contracts';
import type * as z from 'zod/mini';
import { HttpError } from '../http-error.js';

/** The request parts a route declares, parsed by its schemas. */
export interface ValidatedInput {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

const issuesOf = (where: string, error: z.core.$ZodError): FieldIssue[] =>
  error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));

/**
 * Checks a request against its route: path params, query and JSON body. Every failing field is
 * named in one 422 `VALIDATION_ERROR`.
 */
export const validateInput = (
  route: RouteDef,
  input: { params: unknown; query: unknown; body: unknown },
): ValidatedInput => {
  const fields: FieldIssue[] = [];
  const parse = (where: string, schema: z.ZodMiniType | undefined, value: unknown) => {
    if (!schema) return value;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    fields.push(...issuesOf(where, result.error));
    return undefined;
  };
  const params = parse('params', route.params, input.params ?? {}) as Record<string, string>;
  const query = parse('query', route.query, input.query ?? {}) as Record<string, unknown>;
  // An optional body may be left out; when one is sent, it must pass the schema like any other.
  const body =
    route.bodyType === 'multipart' || route.bodyType === 'binary'
      ? undefined
      : route.bodyOptional && input.body === undefined
        ? {}
        : parse('body', route.body, input.body);
  if (fields.length > 0) {
    const first = fields[0]!;
    throw new HttpError(
      'VALIDATION_ERROR',
      `Invalid request: ${first.path}: ${first.message}${fields.length > 1 ? ` (and ${fields.length - 1} more)` : ''}`,
      { details: { fields } },
    );
  }
  return { params: params ?? {}, query: query ?? {}, body };
};
