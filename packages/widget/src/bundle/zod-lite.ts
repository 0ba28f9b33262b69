/**
 * @module A structural stand-in for `zod/mini`, used only in the script-tag bundle, where zod and the
 * contract schemas built with it would take a quarter of the 40 KB budget. The contracts' schema
 * definitions run unchanged against it: values are still checked for their shape (types, literals,
 * enums, discriminated unions, required keys), unknown keys are still stripped from strict objects,
 * and defaults are still filled in. What it skips are refinements: string lengths, number ranges,
 * integer-ness and datetime formats (`.check()` accepts and ignores them). The ESM build for bundlers
 * keeps real zod. `zod-lite.test.ts` runs the ChatKit schemas through it.
 */

/** Where in the value a check failed, and why. */
export interface LiteIssue {
  message: string;
  path: PropertyKey[];
}

type Result = { value: unknown; issues?: undefined } | { issues: LiteIssue[] };

/** A schema: the Standard Schema interface, `safeParse` and zod mini's `.check()`. */
export interface LiteSchema {
  run(value: unknown, path: PropertyKey[]): Result;
  check(...checks: unknown[]): LiteSchema;
  shape?: Record<string, LiteSchema>;
  readonly '~standard': { version: 1; vendor: string; validate(value: unknown): Result };
  safeParse(
    value: unknown,
  ): { success: true; data: unknown } | { success: false; error: { issues: LiteIssue[] } };
}

const fail = (path: PropertyKey[], message: string): Result => ({ issues: [{ message, path }] });

const make = (run: LiteSchema['run'], shape?: Record<string, LiteSchema>): LiteSchema => {
  const schema: LiteSchema = {
    run,
    shape,
    check: () => schema,
    '~standard': { version: 1, vendor: 'cartrita-lite', validate: (value) => run(value, []) },
    safeParse(value) {
      const result = run(value, []);
      return result.issues
        ? { success: false, error: { issues: result.issues } }
        : { success: true, data: result.value };
    },
  };
  return schema;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const typed = (type: string) => () =>
  make((value, path) => (typeof value === type ? { value } : fail(path, `Expected ${type}`)));

/** Any string. */
export const string = typed('string');
/** Any number. */
export const number = typed('number');
/** Any number (integer-ness is a refinement, not checked). */
export const int = number;
/** A boolean. */
export const boolean = typed('boolean');
/** Anything. */
export const unknown = () => make((value) => ({ value }));
/** Anything. */
export const any = unknown;
/** Exactly one value. */
export const literal = (expected: unknown) =>
  make((value, path) => (value === expected ? { value } : fail(path, `Expected ${String(expected)}`)));
const oneOf = (values: readonly unknown[]) =>
  make((value, path) =>
    values.includes(value) ? { value } : fail(path, `Expected one of ${values.join(', ')}`),
  );

export { oneOf as enum };
/** The schema, or `undefined`. */
export const optional = (inner: LiteSchema) =>
  make((value, path) => (value === undefined ? { value } : inner.run(value, path)));
/** The schema, or `null`. */
export const nullable = (inner: LiteSchema) =>
  make((value, path) => (value === null ? { value } : inner.run(value, path)));
/** The schema, with a copy of the default for `undefined` (the contracts' defaults are plain values). */
export const _default = (inner: LiteSchema, fallback: unknown) =>
  make((value, path) =>
    value === undefined ? { value: structuredClone(fallback) } : inner.run(value, path),
  );
/**
 * Checks the entries `keys` names, each against the schema `schemaOf` gives for it, into `out` (an
 * entry checked to `undefined` only if the key is there); returns the first failure as it is.
 */
const checkEntries = <Key extends string | number>(
  value: Record<Key, unknown>,
  keys: Iterable<Key>,
  schemaOf: (key: Key) => LiteSchema,
  path: PropertyKey[],
  out: Record<Key, unknown>,
): Result => {
  for (const key of keys) {
    const result = schemaOf(key).run(value[key], [...path, key]);
    if (result.issues) return result;
    if (result.value !== undefined || key in value) out[key] = result.value;
  }
  return { value: out };
};
/** An array of the schema. */
export const array = (item: LiteSchema) =>
  make((value, path) =>
    Array.isArray(value)
      ? checkEntries(value, value.keys(), () => item, path, [])
      : fail(path, 'Expected array'),
  );
/** An object whose values all match the schema. */
export const record = (_key: LiteSchema, item: LiteSchema) =>
  make((value, path) =>
    isRecord(value)
      ? checkEntries(value, Object.keys(value), () => item, path, {})
      : fail(path, 'Expected object'),
  );
const objectOf = (shape: Record<string, LiteSchema>, loose: boolean) =>
  make(
    (value, path) =>
      isRecord(value)
        ? checkEntries(
            value,
            Object.keys(shape),
            (key) => shape[key] as LiteSchema,
            path,
            loose ? { ...value } : {},
          )
        : fail(path, 'Expected object'),
    shape,
  );
/** An object with these keys; others are dropped. */
export const object = (shape: Record<string, LiteSchema>) => objectOf(shape, false);
/** An object with these keys; others are kept. */
export const looseObject = (shape: Record<string, LiteSchema>) => objectOf(shape, true);
/** The first option that matches. */
export const union = (options: readonly LiteSchema[]) =>
  make((value, path) => {
    let first: Result | undefined;
    for (const option of options) {
      const result = option.run(value, path);
      if (!result.issues) return result;
      first ??= result;
    }
    return first ?? fail(path, 'No option matched');
  });
/** The option whose discriminator matches (tried in order, like a union). */
export const discriminatedUnion = (_key: string, options: readonly LiteSchema[]) => union(options);
/** ISO date-times (the only format the contracts use), checked as strings. */
export const iso = { datetime: string };

const refinement = (): undefined => undefined;

export {
  refinement as gte,
  refinement as gt,
  refinement as lte,
  refinement as lt,
  refinement as maxLength,
  refinement as minLength,
  refinement as length,
  refinement as regex,
};

/** Not available in the script-tag build (the OpenAPI document is built on the server). */
export const toJSONSchema = (): never => {
  throw new TypeError('toJSONSchema is not available in the script-tag build.');
};
