// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRenderContext } from './context.js';
import { lexMarkdown } from './lexer.js';
import type { MarkdownOptions } from './options.js';
import { renderMarkdown, renderTokens } from './render.js';

function render(text: string, options: MarkdownOptions = {}): HTMLElement {
  const host = document.createElement('div');
  host.append(renderMarkdown(text, { highlight: false, ...options }));
  return host;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('block elements', () => {
  it('renders paragraphs with emphasis, strong, strikethrough and inline code', () => {
    const host = render('One *em* **strong** ~~del~~ `a < b`\n\nTwo');
    expect(host.innerHTML).toBe(
      '<p part="md-paragraph">One <em>em</em> <strong>strong</strong> <del>del</del> ' +
        '<code part="md-code-inline">a &lt; b</code></p><p part="md-paragraph">Two</p>',
    );
  });

  it('keeps heading levels and marks them with parts', () => {
    const host = render('# One\n## Two\n### Three\n#### Four\n##### Five\n###### Six\n\nSetext\n---');
    expect(Array.from(host.children, (el) => [el.localName, el.getAttribute('part')])).toEqual([
      ['h1', 'md-heading md-h1'],
      ['h2', 'md-heading md-h2'],
      ['h3', 'md-heading md-h3'],
      ['h4', 'md-heading md-h4'],
      ['h5', 'md-heading md-h5'],
      ['h6', 'md-heading md-h6'],
      ['h2', 'md-heading md-h2'],
    ]);
  });

  it('renders unordered and ordered lists with their start number', () => {
    const host = render('- a\n- b\n  - nested\n\n3. c\n4. d');
    expect(host.innerHTML).toBe(
      '<ul part="md-list"><li part="md-list-item">a</li><li part="md-list-item">b' +
        '<ul part="md-list"><li part="md-list-item">nested</li></ul></li></ul>' +
        '<ol part="md-list" start="3"><li part="md-list-item">c</li><li part="md-list-item">d</li></ol>',
    );
  });

  it('wraps the items of a loose list in paragraphs', () => {
    const host = render('1. a\n\n2. b');
    expect(host.querySelectorAll('li > p')).toHaveLength(2);
    expect(host.querySelector('ol')?.hasAttribute('start')).toBe(false);
  });

  it('renders task items with disabled checkboxes named after the item', () => {
    const host = render('- [ ] open *task*\n- [x] done\n\n1. [x] loose\n\n2. [ ] list');
    const boxes = Array.from(host.querySelectorAll('input'));
    expect(boxes.map((box) => [box.type, box.disabled, box.checked, box.getAttribute('aria-label')])).toEqual(
      [
        ['checkbox', true, false, 'open task'],
        ['checkbox', true, true, 'done'],
        ['checkbox', true, true, 'loose'],
        ['checkbox', true, false, 'list'],
      ],
    );
    expect(host.querySelector('li')?.getAttribute('part')).toBe('md-list-item md-task-item');
    expect(host.querySelector('li')?.textContent).toBe(' open task');
  });

  it('renders GFM tables with alignment and column header scope', () => {
    const host = render('| L | C | R | N |\n|:--|:-:|--:|---|\n| 1 | **2** | 3 | 4 |');
    expect(host.innerHTML).toBe(
      '<table part="md-table"><thead><tr>' +
        '<th part="md-th" scope="col" align="left">L</th><th part="md-th" scope="col" align="center">C</th>' +
        '<th part="md-th" scope="col" align="right">R</th><th part="md-th" scope="col">N</th>' +
        '</tr></thead><tbody><tr>' +
        '<td part="md-td" align="left">1</td><td part="md-td" align="center"><strong>2</strong></td>' +
        '<td part="md-td" align="right">3</td><td part="md-td">4</td>' +
        '</tr></tbody></table>',
    );
  });

  it('leaves out the table body when there are no rows', () => {
    expect(render('| a |\n|---|').querySelector('tbody')).toBeNull();
  });

  it('renders block quotes, rules and hard line breaks', () => {
    const host = render('> quoted\n> > nested\n\n***\n\nline one  \nline two\\\nline three');
    expect(host.innerHTML).toBe(
      '<blockquote part="md-blockquote"><p part="md-paragraph">quoted</p>' +
        '<blockquote part="md-blockquote"><p part="md-paragraph">nested</p></blockquote></blockquote>' +
        '<hr part="md-hr"><p part="md-paragraph">line one<br>line two<br>line three</p>',
    );
  });

  it('shows raw HTML blocks and tags as literal text', () => {
    const host = render('<div class="x">\n<b>hi</b>\n</div>\n\nA <kbd>key</kbd>.');
    expect(host.innerHTML).toBe(
      '<p part="md-html">&lt;div class="x"&gt;<br>&lt;b&gt;hi&lt;/b&gt;<br>&lt;/div&gt;</p>' +
        '<p part="md-paragraph">A &lt;kbd&gt;key&lt;/kbd&gt;.</p>',
    );
  });

  it('decodes character references in text but keeps code literal', () => {
    const host = render(
      '&amp; &lt;b&gt; &copy; &#x41; &#38;copy; &unknown; \\&amp;\n\n`&amp;`\n\n```\n&lt;\n```',
    );
    expect(host.querySelector('p')?.textContent).toBe('& <b> © A &copy; &unknown; &amp;');
    expect(host.querySelector('p:nth-of-type(2) code')?.textContent).toBe('&amp;');
    expect(host.querySelector('pre code')?.textContent).toBe('&lt;');
  });

  it('renders reference definitions as text and leaves reference links unresolved', () => {
    const host = render('See [the docs][1].\n\n[1]: https://example.com/docs');
    expect(host.querySelectorAll('a')).toHaveLength(1);
    expect(host.querySelector('a')?.getAttribute('href')).toBe('https://example.com/docs');
    expect(host.textContent).toBe('See [the docs][1].[1]: https://example.com/docs');
  });

  it('renders tokens through a context with a given document', () => {
    const ctx = createRenderContext({ highlight: false }, document);
    const fragment = renderTokens(lexMarkdown('*a*'), ctx);
    expect(fragment.firstChild?.ownerDocument).toBe(document);
    expect(fragment.childNodes).toHaveLength(1);
  });

  it('never writes HTML strings into the DOM', () => {
    const innerHTML = vi.spyOn(Element.prototype, 'innerHTML', 'set');
    const adjacent = vi.spyOn(Element.prototype, 'insertAdjacentHTML');
    render('# a\n\n*b* [c](https://x.example) <i>d</i>\n\n```js\ne\n```\n\n| f |\n|---|\n| g |');
    expect(innerHTML).not.toHaveBeenCalled();
    expect(adjacent).not.toHaveBeenCalled();
  });
});

describe('links', () => {
  it('links http, https and mailto URLs, opening web links in a new tab', () => {
    const host = render(
      '[a](https://example.com/x?q=1) [b](http://example.com) [c](mailto:me@example.com "Mail")',
    );
    expect(Array.from(host.querySelectorAll('a'), (a) => a.outerHTML)).toEqual([
      '<a part="md-link" href="https://example.com/x?q=1" target="_blank" rel="noopener noreferrer">a</a>',
      '<a part="md-link" href="http://example.com/" target="_blank" rel="noopener noreferrer">b</a>',
      '<a part="md-link" href="mailto:me@example.com" rel="noopener noreferrer" title="Mail">c</a>',
    ]);
  });

  it('links autolinks and bare URLs with their literal text', () => {
    const host = render('<https://a.example/?x&amp;y> www.b.example me@c.example');
    expect(Array.from(host.querySelectorAll('a'), (a) => [a.getAttribute('href'), a.textContent])).toEqual([
      ['https://a.example/?x&amp;y', 'https://a.example/?x&amp;y'],
      ['http://www.b.example/', 'www.b.example'],
      ['mailto:me@c.example', 'me@c.example'],
    ]);
  });

  it('decodes references in a bracketed destination before checking it', () => {
    const host = render('[ok](https://a.example/?x=1&amp;y=2) [bad](&#106;avascript:alert(1))');
    expect(host.querySelector('a')?.getAttribute('href')).toBe('https://a.example/?x=1&y=2');
    expect(host.querySelectorAll('a')).toHaveLength(1);
  });

  it('renders a disallowed link as its formatted text without an anchor', () => {
    const host = render('[**click**](javascript:alert(1)) [call](tel:123)');
    expect(host.innerHTML).toBe('<p part="md-paragraph"><strong>click</strong> call</p>');
  });

  it('resolves relative links only against the base URL', () => {
    expect(render('[a](/docs)').querySelector('a')).toBeNull();
    const host = render('[a](/docs) [b](//evil.example)', { baseUrl: 'https://app.example/chat/' });
    expect(Array.from(host.querySelectorAll('a'), (a) => a.getAttribute('href'))).toEqual([
      'https://app.example/docs',
    ]);
  });
});

describe('images', () => {
  const allowed = { allowedImageOrigins: ['https://img.example', 'not a url', 'ftp://files.example'] };

  it('loads images only from allowed origins, without referrer, lazily', () => {
    const host = render('![a *cat*](https://img.example/cat.png "Cat")', allowed);
    expect(host.querySelector('img')?.outerHTML).toBe(
      '<img part="md-image" src="https://img.example/cat.png" alt="a cat" title="Cat" ' +
        'referrerpolicy="no-referrer" loading="lazy" decoding="async">',
    );
  });

  it('renders a blocked image as its alt text or a placeholder', () => {
    const host = render('![a cat](https://other.example/cat.png) ![](https://other.example/x.png)', allowed);
    expect(host.querySelector('img')).toBeNull();
    expect(Array.from(host.querySelectorAll('[part="md-image-blocked"]'), (el) => el.textContent)).toEqual([
      'a cat',
      'Image',
    ]);
  });

  it('blocks every image when no origin is allowed', () => {
    expect(render('![x](https://img.example/x.png)').querySelector('img')).toBeNull();
  });

  it('keeps an allowed image inside an allowed link', () => {
    const host = render('[![x](https://img.example/x.png)](https://example.com)', allowed);
    expect(host.querySelector('a > img')).not.toBeNull();
  });
});

describe('code blocks', () => {
  it('renders a code block with a language class, a label, a copy button and a keyboard-reachable region', () => {
    const host = render('```ts title="x.ts"\nconst a = 1 < 2;\n```');
    expect(host.innerHTML).toBe(
      '<div part="md-code-block"><span part="md-code-lang">ts</span>' +
        '<button type="button" part="code-copy" aria-label="Copy">Copy</button>' +
        '<pre part="md-code" tabindex="0" role="region" aria-label="Code: ts">' +
        '<code class="language-ts">const a = 1 &lt; 2;</code></pre></div>',
    );
  });

  it('drops a language name that is not a plain word', () => {
    for (const info of ['"><img>', 'a'.repeat(31), 'x"y', 'é']) {
      const code = render(`\`\`\`${info}\nx\n\`\`\``).querySelector('code');
      expect(code?.hasAttribute('class')).toBe(false);
    }
    expect(render('```c++\nx\n```').querySelector('code')?.className).toBe('language-c++');
    expect(render('```c#\nx\n```').querySelector('code')?.className).toBe('language-c#');
  });

  it('renders indented code without its final newline', () => {
    expect(render('    a\n    b\n').querySelector('code')?.textContent).toBe('a\nb');
  });

  it('uses the given strings for the copy button', () => {
    const host = render('```\nx\n```', { strings: { copy: 'Copier', copied: 'Copié' } });
    expect(host.querySelector('button')?.textContent).toBe('Copier');
  });

  it('copies the code with the clipboard API and says so briefly', async () => {
    vi.useFakeTimers();
    const writeText = vi.fn(async (_text: string) => {});
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({ writeText } as unknown as Clipboard);
    const host = render('```js\nlet a;\n```', { strings: { copy: 'Copy code', copied: 'Copied!' } });
    const button = host.querySelector('button')!;
    button.click();
    await vi.waitFor(() => expect(button.textContent).toBe('Copied!'));
    expect(button.getAttribute('aria-label')).toBe('Copied!');
    expect(writeText).toHaveBeenCalledWith('let a;');
    vi.advanceTimersByTime(2000);
    expect(button.textContent).toBe('Copy code');
  });

  it('falls back to copying the selected code when the clipboard API fails', async () => {
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue({
      writeText: async () => {
        throw new DOMException('denied', 'NotAllowedError');
      },
    } as unknown as Clipboard);
    let selected = '';
    const execCommand = vi.fn((command: string) => {
      selected = String(document.getSelection());
      return command === 'copy';
    });
    Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true });
    const host = render('```\nfallback\n```');
    document.body.append(host);
    host.querySelector('button')!.click();
    await vi.waitFor(() => expect(host.querySelector('button')?.textContent).toBe('Copied'));
    expect(execCommand).toHaveBeenCalledWith('copy');
    expect(selected).toBe('fallback');
    host.remove();
  });

  it('says copying failed when no way of copying works', async () => {
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue(undefined as unknown as Clipboard);
    Object.defineProperty(document, 'execCommand', { value: () => false, configurable: true });
    const host = render('```\nx\n```', { strings: { copy: 'Copy', copied: 'Copied', copyFailed: 'Failed' } });
    host.querySelector('button')!.click();
    await vi.waitFor(() => expect(host.querySelector('button')?.textContent).toBe('Failed'));
  });
});

describe('deep links', () => {
  it('renders a chatkit-link: link as a button carrying the link, never as a navigating anchor', () => {
    const host = render('[Open *order*](chatkit-link://orders/open?id=42 "title")');
    expect(host.innerHTML).toBe(
      '<p part="md-paragraph"><button type="button" part="md-deeplink" ' +
        'data-deeplink="chatkit-link://orders/open?id=42">Open <em>order</em></button></p>',
    );
    expect(host.querySelector('a')).toBe(null);
  });

  it('keeps markup in a deep link as text', () => {
    const host = render('[x](chatkit-link://a?q=%3Cimg%20src=x%20onerror=alert(1)%3E)');
    const button = host.querySelector('button')!;
    expect(button.getAttribute('data-deeplink')).toBe(
      'chatkit-link://a?q=%3Cimg%20src=x%20onerror=alert(1)%3E',
    );
    expect(host.querySelector('img')).toBe(null);
  });
});
