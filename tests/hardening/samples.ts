/**
 * Requests built from the route table: a sample of any schema (from its JSON Schema), hostile
 * values to put anywhere in one, and a seeded random source so a failing run can be repeated.
 */
import type { RouteDef } from '@cartrita/contracts';
import * as z from 'zod/mini';

/** A seeded random source (mulberry32): the same seed gives the same cases. */
export const random = (seed: number) => {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
};
export type Random = ReturnType<typeof random>;

type Schema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  format?: string;
  default?: unknown;
  $ref?: string;
  $defs?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
};

const jsonSchemaOf = (schema: z.ZodMiniType): Schema =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;

/** A value that passes `schema` as far as its JSON Schema tells, choosing unions and options at random. */
export const sampleOf = (schema: z.ZodMiniType, rng: Random): unknown => {
  const root = jsonSchemaOf(schema);
  const generate = (node: Schema, depth: number): unknown => {
    if (node.$ref) {
      const name = node.$ref.split('/').pop() as string;
      return depth > 5 ? {} : generate(root.$defs?.[name] ?? {}, depth + 1);
    }
    if (node.const !== undefined) return node.const;
    if (node.enum) return rng.pick(node.enum);
    const options = node.anyOf ?? node.oneOf;
    if (options) return generate(rng.pick(options.filter((option) => option.type !== 'null')), depth + 1);
    if (node.allOf) return Object.assign({}, ...node.allOf.map((part) => generate(part, depth + 1)));
    const type = Array.isArray(node.type) ? node.type.find((t) => t !== 'null') : node.type;
    switch (type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [name, property] of Object.entries(node.properties ?? {})) {
          if ((node.required ?? []).includes(name) || (depth < 4 && rng.chance(0.5))) {
            out[name] = generate(property, depth + 1);
          }
        }
        return out;
      }
      case 'array':
        return Array.from({ length: Math.max(node.minItems ?? 0, depth < 4 ? rng.int(3) : 0) }, () =>
          generate(node.items ?? {}, depth + 1),
        );
      case 'string':
        if (node.format === 'date-time') return new Date(0).toISOString();
        return 'x'.repeat(Math.max(1, node.minLength ?? 1));
      case 'integer':
      case 'number':
        return node.minimum ?? (node.exclusiveMinimum === undefined ? 1 : node.exclusiveMinimum + 1);
      case 'boolean':
        return rng.chance(0.5);
      case 'null':
        return null;
      default:
        return node.default ?? 'x';
    }
  };
  return generate(root, 0);
};

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

/** Values no schema expects, for any place in a body or query. */
export const hostileValues: readonly unknown[] = [
  null,
  -1,
  0,
  1e308,
  -1e308,
  2 ** 53 + 1,
  '',
  ' ',
  'x'.repeat(150_000),
  '\u0000',
  '\ud800',
  '\u202e',
  '😀'.repeat(100),
  '<script>alert(1)</script>',
  "'; drop table threads; --",
  '../../../../etc/passwd',
  'cks_eyJ2IjoxfQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  'thr_00000000',
  true,
  [],
  {},
  [[[[[[[[[[]]]]]]]]]],
  nested(70),
  JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
  Array.from({ length: 2_000 }, (_, i) => i),
];

/** Path parameter values that try to break out of their segment or their decoder. */
export const hostileSegments: readonly string[] = [
  '%ZZ',
  '%',
  '%C0%AF',
  '%FF',
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  '..',
  '.',
  'x'.repeat(5_000),
  '%F0%9F%98%80',
  '%E2%80%AE',
  'a%20b',
  '__proto__',
  'constructor',
  'thr_00000000',
  'cks_x.y',
  "';--",
  '$(reboot)',
];

/** Replaces the value at one random place of `value` (or the whole of it) with a hostile one. */
export const mutate = (value: unknown, rng: Random): unknown => {
  if (typeof value !== 'object' || value === null || rng.chance(0.15)) return rng.pick(hostileValues);
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const keys = Object.keys(copy);
  if (keys.length === 0 || rng.chance(0.1)) {
    (copy as Record<string, unknown>)[rng.pick(['extra', '__proto__', 'type', 'params', ''])] =
      rng.pick(hostileValues);
    return copy;
  }
  const key = rng.pick(keys);
  const target = copy as Record<string, unknown>;
  if (rng.chance(0.15)) delete target[key];
  else target[key] = mutate(target[key], rng);
  return copy;
};

/** Fills a route's path with the given values, each encoded, or taken raw when `raw` is set. */
export const pathOf = (route: RouteDef, values: Record<string, string>, raw = false): string =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name] ?? 'x';
    return raw ? value : encodeURIComponent(value);
  });

/** The names of a route's path parameters. */
export const paramNames = (route: RouteDef): string[] =>
  [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
