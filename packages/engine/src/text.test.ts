import { describe, expect, it } from 'vitest';
import { eachToken, GrowingText, tokenize } from './text.js';

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

describe('growing text', () => {
  it('is every piece in order, across the joins it makes on the way', () => {
    const pieces = Array.from({ length: 50 }, (_, i) => ` w${i}`);
    const text = new GrowingText('start', 4);
    for (const piece of pieces.slice(0, 10)) text.append(piece);
    expect(text.toString()).toBe(`start${pieces.slice(0, 10).join('')}`);
    for (const piece of pieces.slice(10)) text.append(piece);
    expect(text.toString()).toBe(`start${pieces.join('')}`);
  });

  it('keeps a character split across two pieces whole', () => {
    const text = new GrowingText('', 1);
    for (const piece of ['a ', '\ud83e', '\udd9c', ' b']) text.append(piece);
    expect(text.toString()).toBe('a 🦜 b');
  });

  it('is empty until something is appended', () => {
    expect(new GrowingText().toString()).toBe('');
  });
});
