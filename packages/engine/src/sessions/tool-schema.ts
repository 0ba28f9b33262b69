/**
 * @module Tool parameters as JSON Schema: the seed's bare properties or a whole object schema,
 * checked when registered and used to check every call's arguments.
 */
import type { FieldIssue } from '@cartrita/contracts';
import { type OutputUnit, Validator } from '@cfworker/json-schema';
import * as z from 'zod/mini';
import { HttpError } from '../errors.js';

const jsonTypes = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;

/** The keywords a tool's schema may use, with the shape each must have (others pass as they are). */
const SchemaNode: z.ZodMiniType = z.lazy(() =>
  z.union([
    z.boolean(),
    z.looseObject({
      type: z.optional(z.union([z.enum(jsonTypes), z.array(z.enum(jsonTypes))])),
      description: z.optional(z.string()),
      properties: z.optional(z.record(z.string(), SchemaNode)),
      required: z.optional(z.array(z.string())),
      items: z.optional(SchemaNode),
      enum: z.optional(z.array(z.unknown())),
      additionalProperties: z.optional(SchemaNode),
      anyOf: z.optional(z.array(SchemaNode)),
      oneOf: z.optional(z.array(SchemaNode)),
      allOf: z.optional(z.array(SchemaNode)),
      minimum: z.optional(z.number()),
      maximum: z.optional(z.number()),
      minLength: z.optional(z.int()),
      maxLength: z.optional(z.int()),
      pattern: z.optional(z.string()),
    }),
  ]),
);

/**
 * The object schema of a tool's parameters. A schema with `type: "object"` is taken whole; anything
 * else is the seed's form, the properties alone, each of them required and no others allowed.
 */
export const objectSchemaOf = (parameters: Record<string, unknown>): Record<string, unknown> =>
  parameters.type === 'object'
    ? parameters
    : {
        type: 'object',
        properties: parameters,
        required: Object.keys(parameters),
        additionalProperties: false,
      };

/** Checks a tool's parameters when it is registered: 422 naming the part that is not a JSON Schema. */
export const checkToolSchema = (parameters: Record<string, unknown>): void => {
  const schema = objectSchemaOf(parameters);
  const result = SchemaNode.safeParse(schema);
  const fields: FieldIssue[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      fields.push({
        path: ['body', 'parameters', ...issue.path.map(String)].join('.'),
        message: issue.message,
      });
    }
  }
  if (fields.length === 0) {
    for (const pattern of patternsOf(schema)) {
      try {
        new RegExp(pattern, 'u');
      } catch {
        fields.push({
          path: 'body.parameters',
          message: `The pattern ${JSON.stringify(pattern)} is not a regular expression`,
        });
      }
    }
  }
  if (fields.length > 0) {
    throw HttpError.validation(
      fields,
      `The tool's parameters are not a JSON Schema: ${fields[0]?.path}: ${fields[0]?.message}`,
    );
  }
};

const patternsOf = (node: unknown): string[] => {
  if (typeof node !== 'object' || node === null) return [];
  const own =
    typeof (node as { pattern?: unknown }).pattern === 'string'
      ? [(node as { pattern: string }).pattern]
      : [];
  return [...own, ...Object.values(node).flatMap(patternsOf)];
};

const fieldOf = (unit: OutputUnit): FieldIssue => ({
  path: ['body', 'arguments', ...unit.instanceLocation.replace(/^#\/?/, '').split('/').filter(Boolean)].join(
    '.',
  ),
  message: unit.error,
});

/**
 * Checks a call's arguments against the tool's parameters: 422 `VALIDATION_ERROR` with every failing
 * field when they do not fit.
 */
export const checkArguments = (
  toolName: string,
  parameters: Record<string, unknown>,
  args: Record<string, unknown>,
): void => {
  const validator = new Validator(objectSchemaOf(parameters) as never, '2020-12', false);
  const { valid, errors } = validator.validate(args);
  if (valid) return;
  // The validator reports each failure and then the parents it failed; the deepest say what is wrong.
  const leaves = errors.filter(
    (unit) =>
      !errors.some((other) => other !== unit && other.keywordLocation.startsWith(`${unit.keywordLocation}/`)),
  );
  const fields = (leaves.length > 0 ? leaves : errors).map(fieldOf);
  throw HttpError.validation(
    fields,
    `The arguments do not fit the parameters of tool "${toolName}": ${fields[0]?.path}: ${fields[0]?.message}`,
  );
};
