import { expect, it } from 'vitest';
import { isHttpError } from './errors.js';
import { jsonDepth, parseJson } from './json.js';

it('measures nesting outside strings only', () => {
  expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4);
  expect(jsonDepth('"[[[[{{{{"')).toBe(0);
  expect(jsonDepth('{"a":"\\"[[[["}')).toBe(1);
  expect(jsonDepth('1')).toBe(0);
});

it('stops scanning as soon as the limit is passed', () => {
  expect(jsonDepth(`${'['.repeat(100)}`, 3)).toBe(Number.POSITIVE_INFINITY);
});

it('parses JSON within the bounds and refuses deeper nesting with a 400', () => {
  expect(parseJson('{"a":[[1]]}', { maxDepth: 3 })).toEqual({ a: [[1]] });
  let refused: unknown;
  try {
    parseJson('{"a":[[[1]]]}', { maxDepth: 3, what: 'The message' });
  } catch (error) {
    refused = error;
  }
  expect(isHttpError(refused) && refused.status).toBe(400);
  expect((refused as Error).message).toBe('The message nests deeper than 3 levels.');
});

it('names the position of a syntax error, and refuses a scalar when strict', () => {
  expect(() => parseJson('{"a":1,}')).toThrow(/^Request body is not valid JSON \(at position 7\)/);
  expect(() => parseJson('"text"', { strict: true })).toThrow(
    'Request body is not valid JSON: it must be an object or an array.',
  );
  expect(parseJson('"text"')).toBe('text');
});
