// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  adoptHighlightTheme,
  hastToFragment,
  highlightCode,
  highlightTheme,
  isHighlightLanguage,
} from './highlight.js';
import { preloadHighlighter } from './highlight-loader.js';
import { renderMarkdown } from './render.js';

function render(text: string, highlight?: boolean): HTMLElement {
  const host = document.createElement('div');
  host.append(renderMarkdown(text, highlight === undefined ? {} : { highlight }));
  return host;
}

// This test runs first in its file, so the highlighter module is not loaded yet.
it('loads the highlighter on the first code block and highlights the existing blocks in place', async () => {
  const host = render('```js\nconst a = "b"; // c\n```\n\n```python\ndef f(): pass\n```');
  const codes = host.querySelectorAll('code');
  expect(host.querySelector('code span')).toBeNull();
  expect(codes[0]?.textContent).toBe('const a = "b"; // c');
  await preloadHighlighter();
  expect(host.querySelectorAll('code')[0]).toBe(codes[0]);
  expect(codes[0]?.querySelector('span.hljs-keyword')?.textContent).toBe('const');
  expect(codes[0]?.querySelector('span.hljs-comment')?.textContent).toBe('// c');
  expect(codes[1]?.querySelector('span.hljs-keyword')?.textContent).toBe('def');
  expect(codes[0]?.textContent).toBe('const a = "b"; // c');
});

it('highlights new blocks at once when the highlighter is loaded', async () => {
  expect(await preloadHighlighter()).toBe(true);
  const host = render('```ts\nlet x: number = 1;\n```');
  expect(host.querySelector('code span.hljs-keyword')?.textContent).toBe('let');
});

it('does not highlight when highlighting is off', async () => {
  await preloadHighlighter();
  expect(render('```ts\nlet x = 1;\n```', false).querySelector('code span')).toBeNull();
});

it('leaves code without a language or with an unknown one plain', async () => {
  await preloadHighlighter();
  expect(render('```\nlet x = 1;\n```\n\n```klingon\nlet x = 1;\n```').querySelector('code span')).toBeNull();
  expect(isHighlightLanguage('klingon')).toBe(false);
  expect(isHighlightLanguage('js')).toBe(true);
  expect(highlightCode(document, 'x', 'klingon')).toBeNull();
});

it('drops hljs class names that are not plain hljs-* words', () => {
  const fragment = highlightCode(document, 'class A {}', 'ts');
  const classes = Array.from(fragment?.querySelectorAll('span') ?? [], (span) => span.className);
  expect(classes).toContain('hljs-title');
  expect(classes.every((name) => /^hljs-[\w-]+$/.test(name))).toBe(true);
});

it('builds only hljs spans and text from a hast tree', () => {
  const fragment = hastToFragment(document, [
    {
      type: 'element',
      tagName: 'span',
      properties: { className: ['hljs-string', 'x" onclick="y'] },
      children: [{ type: 'text', value: '<b>' }],
    },
    {
      type: 'element',
      tagName: 'img',
      properties: { className: ['hljs-x'], onerror: 'alert(1)' },
      children: [{ type: 'text', value: 'img text' }],
    },
    { type: 'element', tagName: 'script', children: [{ type: 'text', value: 'alert(1)' }] },
    { type: 'element', tagName: 'span', properties: { className: 'hljs-not-an-array' }, children: [] },
    { type: 'element', tagName: 'span', properties: null, children: [{ type: 'text', value: '!' }] },
    { type: 'raw', value: '<script>alert(1)</script>' },
    { type: 'comment', value: 'c' },
    { type: 'text', value: 42 },
  ]);
  const host = document.createElement('div');
  host.append(fragment);
  expect(host.innerHTML).toBe('<span class="hljs-string">&lt;b&gt;</span>img textalert(1)!');
});

describe('the token colors', () => {
  const themed = (root: { adoptedStyleSheets: readonly CSSStyleSheet[] }) =>
    root.adoptedStyleSheets.filter((sheet) =>
      Array.from(sheet.cssRules, (rule) => rule.cssText)
        .join('')
        .includes('.hljs-keyword'),
    ).length;

  it('come with the highlighter into the shadow root the code is in, once per root', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.append(renderMarkdown('```js\nconst a = 1;\n```\n\n```js\nlet b = 2;\n```'));
    await preloadHighlighter();
    await Promise.resolve();
    expect(shadow.querySelector('code span.hljs-keyword')?.textContent).toBe('const');
    expect(themed(shadow)).toBe(1);
    // Blocks highlighted before they are inserted, as a stream renders them, theme their root too.
    const other = document.createElement('div');
    document.body.append(other);
    const second = other.attachShadow({ mode: 'open' });
    const fragment = renderMarkdown('```js\nconst c = 3;\n```');
    second.append(fragment);
    await Promise.resolve();
    expect(themed(second)).toBe(1);
    expect(themed(document)).toBe(0);
    host.remove();
    other.remove();
  });

  it('leave the document alone and pick light or dark token colors by the color scheme', () => {
    const code = document.createElement('code');
    document.body.append(code);
    adoptHighlightTheme(code);
    expect(themed(document)).toBe(0);
    code.remove();
    expect(highlightTheme).toContain(
      '.hljs-keyword,.hljs-built_in,.hljs-type{color:light-dark(#a626a4,#d7a1f7)}',
    );
  });
});
