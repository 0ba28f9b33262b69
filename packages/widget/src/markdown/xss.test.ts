// @vitest-environment happy-dom
import { beforeAll, describe, expect, it } from 'vitest';
import { preloadHighlighter } from './highlight-loader.js';
import { renderMarkdown } from './render.js';
import { MarkdownStream } from './stream.js';
import { xssAllowedImageOrigin, xssPayloads } from './xss-corpus.js';

const allowedTags = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'em',
  'strong',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'input',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'hr',
  'br',
  'a',
  'img',
  'span',
  'button',
  'div',
]);

const allowedAttributes = new Set([
  'part',
  'class',
  'href',
  'target',
  'rel',
  'title',
  'src',
  'alt',
  'referrerpolicy',
  'loading',
  'decoding',
  'type',
  'disabled',
  'checked',
  'aria-label',
  'tabindex',
  'role',
  'scope',
  'align',
  'start',
]);

const options = { allowedImageOrigins: [xssAllowedImageOrigin] };

/** Every way the rendered tree could run script or reach a dangerous URL, as a list of findings. */
function findViolations(root: ParentNode): string[] {
  const found: string[] = [];
  for (const el of root.querySelectorAll('*')) {
    const tag = el.localName;
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') found.push(`foreign element ${tag}`);
    if (!allowedTags.has(tag)) found.push(`element ${tag}`);
    if (tag === 'input' && (el.getAttribute('type') !== 'checkbox' || !el.hasAttribute('disabled'))) {
      found.push('enabled or non-checkbox input');
    }
    for (const { name, value } of Array.from(el.attributes)) {
      if (/^on/i.test(name)) found.push(`handler ${name}`);
      if (name === 'style' || name === 'srcdoc') found.push(`attribute ${name}`);
      if (!allowedAttributes.has(name)) found.push(`attribute ${name} on ${tag}`);
      if (name === 'class') {
        const pattern = tag === 'code' ? /^language-[\w+#.-]{1,30}$/ : /^hljs-[\w-]+$/;
        for (const name of value.split(/\s+/)) if (!pattern.test(name)) found.push(`class ${name} on ${tag}`);
      }
    }
    const href = el.getAttribute('href');
    if (href !== null) {
      const url = URL.parse(href);
      if (tag !== 'a' || url === null || !['http:', 'https:', 'mailto:'].includes(url.protocol)) {
        found.push(`href ${href}`);
      }
    }
    const src = el.getAttribute('src');
    if (src !== null) {
      const url = URL.parse(src);
      if (tag !== 'img' || url === null || url.origin !== xssAllowedImageOrigin) found.push(`src ${src}`);
    }
  }
  return found;
}

function renderOneShot(payload: string): HTMLElement {
  const host = document.createElement('div');
  host.append(renderMarkdown(payload, options));
  return host;
}

function renderStreamed(payload: string, size: number): HTMLElement {
  const host = document.createElement('div');
  const stream = new MarkdownStream(host, { ...options, schedule: () => {} });
  for (let index = 0; index < payload.length; index += size) {
    stream.append(payload.slice(index, index + size));
    stream.flush();
    // The tail must be safe on every frame, not only at the end.
    expect(findViolations(host)).toEqual([]);
  }
  stream.finish();
  return host;
}

beforeAll(async () => {
  // Highlighted spans are part of what must be safe.
  expect(await preloadHighlighter()).toBe(true);
});

describe('the XSS corpus', () => {
  it('holds at least 100 distinct payloads', () => {
    expect(new Set(xssPayloads).size).toBe(xssPayloads.length);
    expect(xssPayloads.length).toBeGreaterThanOrEqual(100);
  });

  it.each(xssPayloads.map((payload) => [payload]))('renders %j safely in one shot', (payload) => {
    const host = renderOneShot(payload);
    expect(findViolations(host)).toEqual([]);
  });

  it.each(xssPayloads.map((payload) => [payload]))('renders %j safely when streamed', (payload) => {
    for (const size of [1, 3, 7]) {
      const host = renderStreamed(payload, size);
      expect(findViolations(host)).toEqual([]);
      expect(host.innerHTML).toBe(renderOneShot(payload).innerHTML);
    }
  });
});

it('finds the violations it looks for', () => {
  // The checker itself must catch what the renderer must never produce.
  const host = document.createElement('div');
  const a = host.appendChild(document.createElement('a'));
  a.setAttribute('href', 'javascript:alert(1)');
  a.setAttribute('onclick', 'x');
  host.appendChild(document.createElement('iframe')).setAttribute('srcdoc', 'x');
  host.appendChild(document.createElement('img')).setAttribute('src', 'https://evil.example/x.png');
  host.appendChild(document.createElement('p')).setAttribute('style', 'x');
  expect(findViolations(host)).toEqual(
    expect.arrayContaining([
      'href javascript:alert(1)',
      'handler onclick',
      'element iframe',
      'attribute srcdoc',
      'src https://evil.example/x.png',
      'attribute style',
    ]),
  );
});

it('keeps the text of script payloads visible as text', () => {
  const host = renderOneShot('Say <script>alert(1)</script> and [x](javascript:alert(1))');
  expect(host.querySelector('script, a')).toBeNull();
  expect(host.textContent).toBe('Say <script>alert(1)</script> and x');
});

it('allows the one image whose origin is allowed', () => {
  const host = renderOneShot('![ok](https://allowed.example/x.png) ![no](https://evil.example/x.png)');
  expect(Array.from(host.querySelectorAll('img'), (img) => img.getAttribute('src'))).toEqual([
    'https://allowed.example/x.png',
  ]);
  expect(host.textContent).toBe(' no');
});
