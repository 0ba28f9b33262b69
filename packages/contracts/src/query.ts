/** @module Schemas shared by query strings and bodies: integers that arrive as text, free-form records. */
import * as z from 'zod/mini';

/**
 * A non-negative integer in a query string: the text of one (`"50"`, as a URL carries it) or a
 * number (as a caller of the SDK passes it), parsed to a number within `[min, max]`.
 */
export const queryInt = (min: number, max: number) =>
  /*#__PURE__*/ z
    .pipe(
      z.union([z.int(), /*#__PURE__*/ z.string().check(z.regex(/^\d{1,9}$/, 'Expected an integer'))]),
      z.transform((value) => Number(value)),
    )
    .check(z.gte(min), z.lte(max));

/** A JSON object of the caller's own fields (`metadata`, `data`, `parameters`). */
export const JsonObject = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObject>;

/**
 * The name of a command or event type: a letter or `_`, then letters, digits and `_ . : -`, at most
 * 100 characters (`DummyEngineCommand`, `order.shipped`).
 */
export const TypeName = /*#__PURE__*/ z
  .string()
  .check(
    z.regex(
      /^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/,
      'Expected a type name: a letter or _, then letters, digits and _ . : - (at most 100)',
    ),
  );

/** User code: one JavaScript function, as text (run in the sandbox). */
export const FunctionCode = /*#__PURE__*/ z.string().check(z.minLength(1), z.maxLength(100_000));
