import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createParser } from './sse-lite.js';

// The real parser, from the SDK that depends on it.
const sdk = createRequire(new URL('../../../sdk/package.json', import.meta.url));
const real: { createParser: typeof createParser } = await import(sdk.resolve('eventsource-parser'));

const corpus = [
  'data: {"type":"thread.created"}\n\ndata: {"type":"x"}\n\n',
  'data: one\ndata: two\n\nid: 7\nevent: ping\ndata: three\n\n',
  'data:no space\r\n\r\ndata: crlf\r\n\r\n',
  'data: cr only\r\rdata: again\r\r',
  ': a comment\n:another\ndata: after comments\n\n',
  '\uFEFFdata: with bom\n\n',
  'id: 5\n\nid: \0bad\ndata: x\n\n',
  'retry: 3000\nretry: soon\ndata: r\n\n',
  'unknown: field\ndata\ndata:\n\nfield-without-colon\n\n',
  'event:\ndata: empty event\n\ndata: tail without blank line\n',
  'data: {"text":"ünïcödé ✓ 日本語"}\n\n',
  'data: {"text":"line\u2028and paragraph\u2029separators"}\n\n',
];

type Call = [string, unknown];
const run = (parser: typeof createParser, chunks: string[]): Call[] => {
  const calls: Call[] = [];
  const p = parser({
    onEvent: (event) => calls.push(['event', { ...event }]),
    onId: (id) => calls.push(['id', id]),
    onComment: (comment) => calls.push(['comment', comment]),
  });
  // The calls made during each feed, so that timing differences show too.
  for (const chunk of chunks) {
    p.feed(chunk);
    calls.push(['feed', chunk.length]);
  }
  return calls;
};

/** A deterministic pseudo-random cut of `text` into chunks. */
const cut = (text: string, seed: number): string[] => {
  const chunks: string[] = [];
  let x = seed;
  for (let i = 0; i < text.length; ) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const size = 1 + (x % 7);
    chunks.push(text.slice(i, i + size));
    i += size;
  }
  return chunks;
};

describe('sse-lite', () => {
  it('makes the same callbacks as eventsource-parser for whole streams', () => {
    for (const text of corpus) expect(run(createParser, [text])).toEqual(run(real.createParser, [text]));
  });

  it('makes the same callbacks at the same feeds for streams cut anywhere', () => {
    for (const text of corpus) {
      for (let seed = 1; seed <= 40; seed++) {
        const chunks = cut(text, seed);
        expect(run(createParser, chunks), JSON.stringify(chunks)).toEqual(run(real.createParser, chunks));
      }
    }
  });

  it('makes the same callbacks for every two-way split of the whole corpus', () => {
    const text = corpus.join('');
    for (let i = 0; i <= text.length; i++) {
      const chunks = [text.slice(0, i), text.slice(i)];
      expect(run(createParser, chunks)).toEqual(run(real.createParser, chunks));
    }
  });
});
