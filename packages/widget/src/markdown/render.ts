import type { MarkedToken, Token, Tokens } from 'marked';
import { renderCodeBlock } from './code-block.js';
import { createRenderContext, element, type RenderContext } from './context.js';
import { decodeEntities } from './entities.js';
import { lexMarkdown } from './lexer.js';
import type { MarkdownOptions } from './options.js';
import { safeImageUrl, safeLinkUrl } from './url-policy.js';

// Every node below is made with createElement/createTextNode and every attribute value is either a
// constant, a number, or a URL that passed url-policy.ts. No string is ever parsed as HTML.

/** Text of a `text` token: marked leaves character references for a browser to decode, so decode them. */
function textOf(token: Tokens.Text | Tokens.Tag): string {
  // `escaped` text sits inside raw HTML like `<pre>`; we show that HTML as source, so show it as typed.
  return 'escaped' in token && token.escaped === true ? token.text : decodeEntities(token.text);
}

/** Plain text of inline tokens, as used for `alt` and labels. */
function plainText(tokens: readonly Token[] | undefined): string {
  let out = '';
  for (const token of tokens ?? []) {
    const t = token as MarkedToken;
    switch (t.type) {
      case 'text':
        out += t.tokens ? plainText(t.tokens) : textOf(t);
        break;
      case 'escape':
      case 'codespan':
        out += t.text;
        break;
      case 'br':
        out += ' ';
        break;
      case 'link':
        out += t.autolink ? t.text : plainText(t.tokens);
        break;
      case 'image':
      case 'strong':
      case 'em':
      case 'del':
      case 'paragraph':
        out += plainText(t.tokens);
        break;
      default:
        break;
    }
  }
  return out;
}

/** A task item's checkbox and the space after it (marked's token swallows the source's space). */
function checkbox(ctx: RenderContext, checked: boolean): DocumentFragment {
  const input = element(ctx, 'input', 'md-task-checkbox');
  input.type = 'checkbox';
  input.setAttribute('disabled', '');
  if (checked) input.setAttribute('checked', '');
  const fragment = ctx.document.createDocumentFragment();
  fragment.append(input, ctx.document.createTextNode(' '));
  return fragment;
}

function renderLink(token: Tokens.Link, ctx: RenderContext): Node {
  // Autolinks carry a literal destination; bracketed destinations may hold references (`&#106;`).
  const href = safeLinkUrl(token.autolink ? token.href : decodeEntities(token.href), ctx.baseUrl);
  const content = ctx.document.createDocumentFragment();
  if (token.autolink) content.appendChild(ctx.document.createTextNode(token.text));
  else appendInline(content, token.tokens, ctx);
  if (href === null) return content;
  const a = element(ctx, 'a', 'md-link');
  a.setAttribute('href', href);
  if (!href.startsWith('mailto:')) a.setAttribute('target', '_blank');
  a.setAttribute('rel', 'noopener noreferrer');
  if (token.title) a.setAttribute('title', decodeEntities(token.title));
  a.appendChild(content);
  return a;
}

function renderImage(token: Tokens.Image, ctx: RenderContext): Node {
  const src = safeImageUrl(decodeEntities(token.href), ctx.imageOrigins, ctx.baseUrl);
  const alt = token.tokens ? plainText(token.tokens) : decodeEntities(token.text);
  if (src === null) {
    const span = element(ctx, 'span', 'md-image-blocked');
    span.textContent = alt.trim() === '' ? ctx.strings.image : alt;
    return span;
  }
  const img = element(ctx, 'img', 'md-image');
  img.setAttribute('src', src);
  img.setAttribute('alt', alt);
  if (token.title) img.setAttribute('title', decodeEntities(token.title));
  img.setAttribute('referrerpolicy', 'no-referrer');
  img.setAttribute('loading', 'lazy');
  img.setAttribute('decoding', 'async');
  return img;
}

function withChildren(
  node: HTMLElement,
  tokens: readonly Token[] | undefined,
  ctx: RenderContext,
): HTMLElement {
  appendInline(node, tokens, ctx);
  return node;
}

function renderInline(token: Token, ctx: RenderContext): Node {
  const doc = ctx.document;
  const t = token as MarkedToken;
  switch (t.type) {
    case 'text':
      if (t.tokens) {
        const fragment = doc.createDocumentFragment();
        appendInline(fragment, t.tokens, ctx);
        return fragment;
      }
      return doc.createTextNode(textOf(t));
    case 'escape':
      return doc.createTextNode(t.text);
    case 'strong':
      return withChildren(element(ctx, 'strong'), t.tokens, ctx);
    case 'em':
      return withChildren(element(ctx, 'em'), t.tokens, ctx);
    case 'del':
      return withChildren(element(ctx, 'del'), t.tokens, ctx);
    case 'codespan': {
      const code = element(ctx, 'code', 'md-code-inline');
      code.textContent = t.text;
      return code;
    }
    case 'br':
      return element(ctx, 'br');
    case 'link':
      return renderLink(t, ctx);
    case 'image':
      return renderImage(t, ctx);
    case 'checkbox':
      return checkbox(ctx, t.checked);
    case 'html':
      // Raw HTML is shown as the text the model wrote, never interpreted.
      return doc.createTextNode(t.text);
    default:
      // Block tokens never appear inline; anything unknown is shown as its source text.
      return doc.createTextNode(token.raw);
  }
}

function appendInline(parent: Node, tokens: readonly Token[] | undefined, ctx: RenderContext): void {
  for (const token of tokens ?? []) parent.appendChild(renderInline(token, ctx));
}

function renderListItem(item: Tokens.ListItem, ctx: RenderContext): HTMLLIElement {
  const li = element(ctx, 'li', item.task ? 'md-list-item md-task-item' : 'md-list-item');
  for (const child of item.tokens) {
    // Tight items hold block-level `text` tokens whose content goes straight into the `<li>`.
    const node = !item.loose && child.type === 'text' ? renderInline(child, ctx) : renderBlock(child, ctx);
    if (node !== null) li.appendChild(node);
  }
  if (item.task) {
    // The item's checkbox leads the item (tight) or its first paragraph (loose); name it after the item.
    const first = li.firstChild;
    const box = first?.nodeName === 'INPUT' ? first : first?.firstChild;
    const label = plainText(item.tokens.filter((child) => child.type !== 'list')).trim() || ctx.strings.task;
    if (box?.nodeName === 'INPUT') (box as Element).setAttribute('aria-label', label);
  }
  return li;
}

function renderTable(token: Tokens.Table, ctx: RenderContext): HTMLTableElement {
  const table = element(ctx, 'table', 'md-table');
  const cell = (data: Tokens.TableCell, tag: 'th' | 'td'): HTMLTableCellElement => {
    const node = withChildren(element(ctx, tag, tag === 'th' ? 'md-th' : 'md-td'), data.tokens, ctx);
    if (tag === 'th') node.setAttribute('scope', 'col');
    if (data.align !== null) node.setAttribute('align', data.align);
    return node as HTMLTableCellElement;
  };
  const head = element(ctx, 'thead');
  const headRow = element(ctx, 'tr');
  for (const data of token.header) headRow.appendChild(cell(data, 'th'));
  head.appendChild(headRow);
  table.appendChild(head);
  if (token.rows.length > 0) {
    const body = element(ctx, 'tbody');
    for (const row of token.rows) {
      const tr = element(ctx, 'tr');
      for (const data of row) tr.appendChild(cell(data, 'td'));
      body.appendChild(tr);
    }
    table.appendChild(body);
  }
  return table;
}

function renderHtmlBlock(token: Tokens.HTML | Tokens.Tag, ctx: RenderContext): HTMLParagraphElement {
  const p = element(ctx, 'p', 'md-html');
  const lines = token.text.replace(/\n+$/, '').split('\n');
  lines.forEach((line, index) => {
    if (index > 0) p.appendChild(element(ctx, 'br'));
    p.appendChild(ctx.document.createTextNode(line));
  });
  return p;
}

/**
 * Renders one block-level token as at most one DOM node (`null` for tokens that show nothing, such as
 * blank lines). One node per block is what lets a stream append and replace blocks one by one.
 */
export function renderBlock(token: Token, ctx: RenderContext): Node | null {
  const t = token as MarkedToken;
  switch (t.type) {
    case 'space':
    case 'def':
      return null;
    case 'paragraph':
    case 'text':
      return withChildren(element(ctx, 'p', 'md-paragraph'), t.tokens ?? [t], ctx);
    case 'heading': {
      const depth = Math.min(6, Math.max(1, Math.trunc(t.depth))) as 1 | 2 | 3 | 4 | 5 | 6;
      return withChildren(element(ctx, `h${depth}`, `md-heading md-h${depth}`), t.tokens, ctx);
    }
    case 'code':
      return renderCodeBlock(t, ctx);
    case 'blockquote': {
      const quote = element(ctx, 'blockquote', 'md-blockquote');
      quote.appendChild(renderTokens(t.tokens, ctx));
      return quote;
    }
    case 'list': {
      const list = element(ctx, t.ordered ? 'ol' : 'ul', 'md-list');
      if (t.ordered && typeof t.start === 'number' && t.start !== 1)
        list.setAttribute('start', String(t.start));
      for (const item of t.items) list.appendChild(renderListItem(item, ctx));
      return list;
    }
    case 'table':
      return renderTable(t, ctx);
    case 'hr':
      return element(ctx, 'hr', 'md-hr');
    case 'html':
      return renderHtmlBlock(t, ctx);
    case 'checkbox':
      // Only inside list items, where a fragment is fine.
      return checkbox(ctx, t.checked);
    default: {
      // Inline tokens at block level, or token types we do not know: shown as text in a paragraph.
      const p = element(ctx, 'p', 'md-paragraph');
      p.appendChild(renderInline(token, ctx));
      return p;
    }
  }
}

/**
 * Renders marked block tokens as DOM nodes, without ever building an HTML string.
 *
 * @example
 * const ctx = createRenderContext({ allowedImageOrigins: ['https://cdn.example.com'] });
 * bubble.append(renderTokens(lexMarkdown(reply), ctx));
 */
export function renderTokens(tokens: readonly Token[], ctx: RenderContext): DocumentFragment {
  const fragment = ctx.document.createDocumentFragment();
  for (const token of tokens) {
    const node = renderBlock(token, ctx);
    if (node !== null) fragment.appendChild(node);
  }
  return fragment;
}

/**
 * Renders markdown text as DOM nodes: only http/https/mailto links, images only from
 * `options.allowedImageOrigins`, raw HTML shown as text, code blocks with a copy button and lazily
 * loaded highlighting. `document` defaults to the global document.
 *
 * @example
 * bubble.replaceChildren(renderMarkdown('**Hi** [docs](https://example.com)', { strings }));
 */
export function renderMarkdown(
  text: string,
  options: MarkdownOptions = {},
  document?: Document,
): DocumentFragment {
  return renderTokens(lexMarkdown(text), createRenderContext(options, document));
}
