import { describe, expect, it } from 'vitest';
import { eachToken, tokenize } from './text.js';

describe('tokens of a text', () => {
  const text = 'Hello there,\nfriend.\n\n  Two  spaces and é 🦜 too';

  it('splits words with their leading spaces, and new lines on their own', () => {
    expect(tokenize(text)).toEqual([
      'Hello',
      ' there,',
      '\n',
      'friend.',
      '\n',
      '\n',
      '  Two',
      '  spaces',
      ' and',
      ' é',
      ' 🦜',
      ' too',
    ]);
    expect(tokenize(text).join('')).toBe(text);
  });

  it('gives the same tokens one at a time', () => {
    expect([...eachToken(text)]).toEqual(tokenize(text));
    expect([...eachToken('')]).toEqual([]);
    const lazy = eachToken('one two');
    expect(lazy.next()).toEqual({ value: 'one', done: false });
  });
});
