// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { preloadHighlighter } from './highlight-loader.js';
import { lexMarkdown } from './lexer.js';
import type { MarkdownOptions } from './options.js';
import { renderMarkdown } from './render.js';
import { MarkdownStream } from './stream.js';

vi.mock('./lexer.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./lexer.js')>();
  return { lexMarkdown: vi.fn(actual.lexMarkdown) };
});

const lexed = vi.mocked(lexMarkdown);

/** Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const options: MarkdownOptions = {
  highlight: false,
  allowedImageOrigins: ['https://img.example'],
  baseUrl: 'https://app.example/',
};

function oneShot(text: string, extra: MarkdownOptions = {}): string {
  const host = document.createElement('div');
  host.append(renderMarkdown(text, { ...options, ...extra }));
  return host.innerHTML;
}

function manualStream(extra: MarkdownOptions = {}): { host: HTMLDivElement; stream: MarkdownStream } {
  // The lexer spy keeps every call's tokens; forget them so thousands of renders fit in memory.
  lexed.mockClear();
  const host = document.createElement('div');
  return { host, stream: new MarkdownStream(host, { ...options, ...extra, schedule: () => {} }) };
}

const longReply = `# Release notes &amp; plan

Here is a **summary** of the *changes*, with \`inline code\`, a [link](https://example.com/a?b=1&amp;c=2)
and an autolink <https://example.com>. Line one  
line two.

## Steps

1. Install the package:

   \`\`\`bash
   pnpm add @cartrita/widget
   \`\`\`

2. Add the element
   - nested item
   - [ ] nested task
3. Done

- [x] tests
- [ ] docs

| Feature | Status | Notes |
|:--------|:------:|------:|
| Stream  | ✅     | tail only |
| Tables  | ✅     | \`a|b\` |
| Images  | ❌     | ![logo](https://img.example/logo.png) |

> A quote with a list:
> - one
> - two
>
> and a second paragraph.

\`\`\`ts
export function add(a: number, b: number): number {
  return a + b;
}

// a blank line above stays inside the fence
\`\`\`

~~~
tilde fence with \`\`\` inside
~~~

    indented code
    more indented code

Setext heading
--------------

<details>
<summary>Raw HTML</summary>
</details>

***

Text with a footnote-like definition:

[1]: https://example.com/ref

Trailing paragraph with ~~strike~~ and an image ![alt](https://other.example/x.png) and mailto:me@example.com.`;

const blocks = [
  '# Heading',
  'Setext\n===',
  'Para with *em*, **strong** and `code`.',
  'A para\nwith a lazy line',
  '- a\n- b\n- c',
  '- loose\n\n- list',
  '* star\n+ plus',
  '1. one\n2. two',
  '7) seven\n8) eight',
  '- [ ] task\n- [x] done',
  '- item\n\n  continued paragraph',
  '```js\nconst x = 1;\n```',
  '```\nno lang\n\n\nwith blanks\n```',
  '````md\n```\ninner\n```\n````',
  '~~~py\nprint(1)\n~~~',
  '    indented\n\n    code',
  '| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 | 4 |',
  '| only header |\n|---|',
  'a | b\n--|--\nc | d',
  '> quote\n> more',
  '> quote\nlazy',
  '---',
  '<div>\nhtml block\n</div>',
  '<!-- comment -->',
  'Text <b>inline</b> html &copy; &#65;',
  '[link](https://example.com "title") and ![img](https://img.example/i.png)',
  'www.example.com and me@example.com',
  'hard  \nbreak',
  '#hashtag and # heading',
  '***bold italic*** text',
  '***',
  '```js`not a fence',
  '<divx>not html</divx>',
  '2',
  '10) ten',
  '|-x|',
  '> - quoted list\n>   more',
  '- a\n  ```\n  fenced in item\n  ```',
  '<!--\n\ncomment with blank\n-->',
  '<pre>\n\npre with blank\n</pre>',
  '- outer\n\n  - inner\n\n    deep para\n\n- next',
  '- item\n\n      indented code in item',
  '1.\n-\n*',
  '  - indented bullet\n   1. indented ordered',
  'foo\n    bar lazy',
  '* * *\n_ _ _',
  '> ```\n> fenced in quote\n> ```',
  '> para\n>\n> - list in quote\n>\n>   cont',
  '- [ ]\n- [x]',
  '```\nunclosed fence',
  '',
  '   ',
];

function randomDocument(next: () => number): string {
  const count = 5 + Math.floor(next() * 25);
  let text = '';
  for (let index = 0; index < count; index++) {
    const block = blocks[Math.floor(next() * blocks.length)]!;
    const separator = ['\n', '\n\n', '\n\n', '\n\n\n', ''][Math.floor(next() * 5)]!;
    text += (index === 0 ? '' : separator) + block;
  }
  return next() < 0.5 ? `${text}\n` : text;
}

function chunks(text: string, next: () => number): string[] {
  const maxSize = [1, 2, 5, 12, 40, 200][Math.floor(next() * 6)]!;
  const pieces: string[] = [];
  for (let index = 0; index < text.length; ) {
    const size = 1 + Math.floor(next() * maxSize);
    pieces.push(text.slice(index, index + size));
    index += size;
  }
  return pieces;
}

beforeEach(() => {
  lexed.mockClear();
  document.body.replaceChildren();
});

describe('streamed output', () => {
  it('equals the one-shot render for 120 random chunkings of a long reply', { timeout: 60_000 }, () => {
    const expected = oneShot(longReply);
    for (let seed = 1; seed <= 120; seed++) {
      const next = random(seed);
      const { host, stream } = manualStream();
      for (const piece of chunks(longReply, next)) {
        stream.append(piece);
        if (next() < 0.3) stream.flush();
      }
      stream.finish();
      expect(stream.text).toBe(longReply);
      expect(host.innerHTML, `seed ${seed}`).toBe(expected);
    }
  });

  it('equals the one-shot render of the text so far after every frame', { timeout: 60_000 }, () => {
    for (let seed = 1; seed <= 8; seed++) {
      const next = random(seed * 7919);
      const { host, stream } = manualStream();
      for (const piece of chunks(longReply, next)) {
        stream.append(piece);
        stream.flush();
        expect(host.innerHTML, `seed ${seed * 7919} at ${stream.text.length}`).toBe(oneShot(stream.text));
      }
    }
  });

  it('equals the one-shot render for 120 random documents, frame by frame', { timeout: 60_000 }, () => {
    for (let seed = 1; seed <= 120; seed++) {
      const next = random(seed * 104729);
      const text = randomDocument(next);
      const { host, stream } = manualStream();
      for (const piece of chunks(text, next)) {
        stream.append(piece);
        if (next() < 0.5) {
          stream.flush();
          expect(host.innerHTML, `seed ${seed * 104729}: ${JSON.stringify(stream.text)}`).toBe(
            oneShot(stream.text),
          );
        }
      }
      stream.finish();
      expect(host.innerHTML, `seed ${seed * 104729}: ${JSON.stringify(text)}`).toBe(oneShot(text));
    }
  });

  it('equals the one-shot render with highlighting once the highlighter is loaded', {
    timeout: 60_000,
  }, async () => {
    await preloadHighlighter();
    const expected = oneShot(longReply, { highlight: true });
    expect(expected).toContain('hljs-keyword');
    for (let seed = 1; seed <= 20; seed++) {
      const next = random(seed);
      const { host, stream } = manualStream({ highlight: true });
      for (const piece of chunks(longReply, next)) {
        stream.append(piece);
        stream.flush();
      }
      stream.finish();
      expect(host.innerHTML, `seed ${seed}`).toBe(expected);
    }
  });

  it('reads CR, LF and CRLF line endings like the one-shot render, even when a CRLF is split', () => {
    const text = 'a\r\nb\r\n\r\n- c\r- d\r\n\r\n```\r\ncode\r\n```\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const { host, stream } = manualStream();
      stream.append(text.slice(0, cut));
      stream.flush();
      stream.append(text.slice(cut));
      stream.finish();
      expect(host.innerHTML, `cut ${cut}`).toBe(oneShot(text));
      expect(stream.text).toBe(text);
    }
  });
});

describe('settled blocks', () => {
  it('keeps the node of a settled paragraph while 200 more deltas arrive', () => {
    const { host, stream } = manualStream();
    document.body.append(host);
    stream.append('First paragraph, which settles once the next block starts.\n\nSecond');
    stream.flush();
    const first = host.firstElementChild;
    expect(first?.textContent).toBe('First paragraph, which settles once the next block starts.');
    for (let index = 0; index < 200; index++) {
      stream.append(index % 10 === 0 ? `\n\nParagraph ${index}: ` : `word${index} `);
      if (index % 3 === 0) stream.flush();
      expect(host.firstElementChild).toBe(first);
      expect(first?.isConnected).toBe(true);
    }
    stream.finish();
    expect(host.firstElementChild).toBe(first);
    expect(first?.isConnected).toBe(true);
    expect(host.children).toHaveLength(22);
  });

  it('never removes or re-creates a settled node', () => {
    const { host, stream } = manualStream();
    const removed: Node[] = [];
    const observer = new MutationObserver((records) => {
      for (const record of records) removed.push(...record.removedNodes);
    });
    document.body.append(host);
    observer.observe(host, { childList: true });
    const settled = new Set<Element>();
    for (let index = 0; index < 60; index++) {
      stream.append(`Block ${index} with some words.\n\n`);
      stream.flush();
      // Everything but the last child is settled from now on.
      for (const child of Array.from(host.children).slice(0, -1)) settled.add(child);
    }
    stream.finish();
    observer.disconnect();
    expect(settled.size).toBe(59);
    for (const node of settled) expect(node.isConnected).toBe(true);
    expect(removed.filter((node) => settled.has(node as Element))).toEqual([]);
  });

  it('never lexes settled text again', () => {
    const { stream } = manualStream();
    stream.append('Alpha paragraph.\n\n');
    stream.append('Beta paragraph.\n\nGamma');
    stream.flush();
    lexed.mockClear();
    for (const word of [' one', ' two', '\n\nDelta', ' three']) {
      stream.append(word);
      stream.flush();
    }
    stream.finish();
    const inputs = lexed.mock.calls.map(([text]) => text);
    // Alpha and Beta settled at the first render; each later render lexes only the last run of lines.
    expect(inputs).toEqual([
      'Gamma one',
      'Gamma one two',
      'Gamma one two\n\nDelta',
      'Delta three',
      'Delta three',
    ]);
  });

  it('lexes a total proportional to the reply, not to its square', () => {
    const paragraphs = Array.from(
      { length: 300 },
      (_, index) => `Paragraph ${index} has a few words in it.\n\n`,
    );
    const text = paragraphs.join('');
    const { stream } = manualStream();
    for (let index = 0; index < text.length; index += 4) {
      stream.append(text.slice(index, index + 4));
      stream.flush();
    }
    const total = lexed.mock.calls.reduce((sum, [input]) => sum + input.length, 0);
    // Each flush lexes at most the last two paragraphs: about 3,300 flushes × under 100 characters.
    expect(total).toBeLessThan(text.length * 50);
    expect(total).toBeLessThan((text.length * text.length) / 100);
  });
});

describe('the tail', () => {
  it('keeps an open code fence as the tail and updates it in place', () => {
    const { host, stream } = manualStream();
    stream.append('Intro\n\n```js\nconst a = 1;\n');
    stream.flush();
    const block = host.lastElementChild;
    const code = block?.querySelector('code');
    expect(code?.textContent).toBe('const a = 1;');
    stream.append('const b = 2;\n\nconst c = 3;\n');
    stream.flush();
    expect(host.lastElementChild).toBe(block);
    expect(code?.textContent).toBe('const a = 1;\nconst b = 2;\n\nconst c = 3;');
    stream.append('```\n\nAfter');
    stream.flush();
    expect(host.children).toHaveLength(3);
    expect(host.querySelector('code')?.textContent).toBe('const a = 1;\nconst b = 2;\n\nconst c = 3;');
    expect(host.lastElementChild?.textContent).toBe('After');
  });

  it('keeps a list as the tail while items, blank lines and continuations may still join it', () => {
    const { host, stream } = manualStream();
    stream.append('- one\n- two\n\n');
    stream.flush();
    expect(host.querySelectorAll('li > p')).toHaveLength(0);
    stream.append('- three');
    stream.flush();
    // The blank line made the whole list loose: the earlier items changed too, so they were not settled.
    expect(host.querySelectorAll('ul')).toHaveLength(1);
    expect(host.querySelectorAll('li > p')).toHaveLength(3);
    stream.append('\n\n  more of three\n\nAfter the list');
    stream.flush();
    expect(host.querySelectorAll('li')).toHaveLength(3);
    expect(host.querySelector('li:last-child')?.textContent).toBe('threemore of three');
    expect(host.lastElementChild?.localName).toBe('p');
  });

  it('grows a table row by row in the tail', () => {
    const { host, stream } = manualStream();
    stream.append('| a | b |\n|---|---|\n| 1 | 2 |\n');
    stream.flush();
    expect(host.querySelectorAll('tbody tr')).toHaveLength(1);
    stream.append('| 3 | 4 |\n');
    stream.flush();
    expect(host.querySelectorAll('table')).toHaveLength(1);
    expect(host.querySelectorAll('tbody tr')).toHaveLength(2);
    stream.append('\nAfter');
    stream.flush();
    const table = host.querySelector('table');
    stream.append(' the table');
    stream.flush();
    expect(host.querySelector('table')).toBe(table);
  });

  it('turns a paragraph in the tail into a setext heading', () => {
    const { host, stream } = manualStream();
    stream.append('Title\n');
    stream.flush();
    expect(host.firstElementChild?.localName).toBe('p');
    stream.append('===\n');
    stream.flush();
    expect(host.firstElementChild?.localName).toBe('h1');
  });

  it('highlights the code in the tail when the reply finishes', async () => {
    await preloadHighlighter();
    const { host, stream } = manualStream({ highlight: true });
    stream.append('```js\nconst a = 1;');
    stream.flush();
    expect(host.querySelector('code span')).toBeNull();
    stream.finish();
    expect(host.querySelector('code span.hljs-keyword')?.textContent).toBe('const');
    stream.finish();
    expect(host.querySelectorAll('code')).toHaveLength(1);
  });
});

describe('scheduling and control', () => {
  it('coalesces the deltas of one frame into one render', () => {
    const host = document.createElement('div');
    const frames: Array<() => void> = [];
    const stream = new MarkdownStream(host, { ...options, schedule: (render) => frames.push(render) });
    for (let index = 0; index < 1000; index++) stream.append(`w${index} `);
    expect(frames).toHaveLength(1);
    expect(host.childNodes).toHaveLength(0);
    expect(lexed).not.toHaveBeenCalled();
    frames[0]!();
    expect(lexed).toHaveBeenCalledTimes(1);
    expect(host.innerHTML).toBe(oneShot(stream.text));
    stream.append('more');
    expect(frames).toHaveLength(2);
  });

  it('renders on the next animation frame by default', async () => {
    const host = document.createElement('div');
    const stream = new MarkdownStream(host, options);
    stream.append('Hello *world*');
    expect(host.childNodes).toHaveLength(0);
    await vi.waitFor(() => expect(host.innerHTML).toBe('<p part="md-paragraph">Hello <em>world</em></p>'));
  });

  it('renders at once with a synchronous schedule', () => {
    const host = document.createElement('div');
    const stream = new MarkdownStream(host, { ...options, schedule: (render) => render() });
    stream.append('now');
    expect(host.textContent).toBe('now');
  });

  it('extends with set when the new text continues the old one', () => {
    const { host, stream } = manualStream();
    stream.set('One.\n\nTwo');
    stream.flush();
    const first = host.firstElementChild;
    stream.set('One.\n\nTwo and three');
    stream.flush();
    expect(host.firstElementChild).toBe(first);
    expect(host.innerHTML).toBe(oneShot('One.\n\nTwo and three'));
  });

  it('replaces everything with set when the text changed', () => {
    const { host, stream } = manualStream();
    stream.set('One.\n\nTwo');
    stream.flush();
    stream.set('Other **text**\n\n- a');
    expect(host.innerHTML).toBe(oneShot('Other **text**\n\n- a'));
    expect(stream.text).toBe('Other **text**\n\n- a');
    stream.set('');
    expect(host.childNodes).toHaveLength(0);
    expect(stream.text).toBe('');
  });

  it('carries on after finish when more text arrives', () => {
    const { host, stream } = manualStream();
    stream.append('- a');
    stream.finish();
    stream.append('\n- b');
    stream.finish();
    expect(host.innerHTML).toBe(oneShot('- a\n- b'));
  });

  it('ignores empty deltas', () => {
    const frames: Array<() => void> = [];
    const stream = new MarkdownStream(document.createElement('div'), {
      schedule: (render) => frames.push(render),
    });
    stream.append('');
    expect(frames).toHaveLength(0);
  });
});
