import type { MarkedToken, Token, Tokens } from 'marked';
import { renderCodeBlock } from './code-block.js';
import { createRenderContext, element, type RenderContext } from './context.js';
import { decodeEntities } from './entities.js';
import { lexMarkdown } from './lexer.js';
import type { MarkdownOptions } from './options.js';
import { safeImageUrl, safeLinkUrl } from './url-policy.js';

// Every node below is made with createElement, or is a text node that `append` makes from a string, and
// every attribute value is either a constant, a number, or a URL that passed url-policy.ts. No string is
// ever parsed as HTML.

/** Text of a `text` token: marked leaves character references for a browser to decode, so decode them. */
function textOf(token: Tokens.Text): string {
  // `escaped` text sits inside raw HTML like `<pre>`; we show that HTML as source, so show it as typed.
  return token.escaped ? token.text : decodeEntities(token.text);
}

/** Plain text of inline tokens, as used for `alt` and labels. */
function plainText(tokens: readonly Token[]): string {
  let out = '';
  for (const token of tokens) {
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
  const input = element(ctx, 'input', {
    part: 'md-task-checkbox',
    type: 'checkbox',
    disabled: '',
    checked: checked ? '' : null,
  });
  const fragment = ctx.document.createDocumentFragment();
  fragment.append(input, ' ');
  return fragment;
}

function renderLink(token: Tokens.Link, ctx: RenderContext): Node | string {
  // Autolinks carry a literal destination and text; bracketed destinations may hold references (`&#106;`).
  const raw = token.autolink ? token.href : decodeEntities(token.href);
  const href = safeLinkUrl(raw, ctx.baseUrl);
  const content = token.autolink
    ? token.text
    : appendInline(ctx.document.createDocumentFragment(), token.tokens, ctx);
  // A deep link into the page: a button the element answers with a `cartrita-deeplink` event; it
  // never navigates, so its text is only ever data.
  if (/^chatkit-link:/i.test(raw))
    return element(ctx, 'button', { type: 'button', part: 'md-deeplink', 'data-deeplink': raw }, content);
  if (href === null) return content;
  const attributes = {
    part: 'md-link',
    href,
    target: href.startsWith('mailto:') ? null : '_blank',
    rel: 'noopener noreferrer',
    title: token.title ? decodeEntities(token.title) : null,
  };
  return element(ctx, 'a', attributes, content);
}

function renderImage(token: Tokens.Image, ctx: RenderContext): Node {
  const src = safeImageUrl(decodeEntities(token.href), ctx.imageOrigins, ctx.baseUrl);
  const alt = token.tokens ? plainText(token.tokens) : decodeEntities(token.text);
  if (src === null) {
    return element(ctx, 'span', { part: 'md-image-blocked' }, alt.trim() === '' ? ctx.strings.image : alt);
  }
  return element(ctx, 'img', {
    part: 'md-image',
    src,
    alt,
    title: token.title ? decodeEntities(token.title) : null,
    referrerpolicy: 'no-referrer',
    loading: 'lazy',
    decoding: 'async',
  });
}

/** An inline token as a node, or as a string that `append` turns into a text node. */
function renderInline(token: Token, ctx: RenderContext): Node | string {
  const t = token as MarkedToken;
  switch (t.type) {
    case 'text':
      return t.tokens ? appendInline(ctx.document.createDocumentFragment(), t.tokens, ctx) : textOf(t);
    case 'escape':
    case 'html':
      // Raw HTML is shown as the text the model wrote, never interpreted.
      return t.text;
    case 'strong':
    case 'em':
    case 'del':
      return appendInline(element(ctx, t.type), t.tokens, ctx);
    case 'codespan':
      return element(ctx, 'code', { part: 'md-code-inline' }, t.text);
    case 'br':
      return element(ctx, 'br');
    case 'link':
      return renderLink(t, ctx);
    case 'image':
      return renderImage(t, ctx);
    case 'checkbox':
      return checkbox(ctx, t.checked);
    default:
      // Block tokens never appear inline; anything unknown is shown as its source text.
      return token.raw;
  }
}

/** Appends the rendered inline tokens to `parent` and returns it. */
function appendInline<T extends ParentNode>(parent: T, tokens: readonly Token[], ctx: RenderContext): T {
  for (const token of tokens) parent.append(renderInline(token, ctx));
  return parent;
}

/**
 * Appends the rendered block tokens to `parent` and returns it. In a tight list item (`tight`), `text`
 * tokens are block-level but their content goes straight into the `<li>`, without a paragraph.
 */
function appendBlocks<T extends ParentNode>(
  parent: T,
  tokens: readonly Token[],
  ctx: RenderContext,
  tight = false,
): T {
  for (const token of tokens) {
    const node = tight && token.type === 'text' ? renderInline(token, ctx) : renderBlock(token, ctx);
    if (node !== null) parent.append(node);
  }
  return parent;
}

function renderListItem(item: Tokens.ListItem, ctx: RenderContext): HTMLLIElement {
  const li = element(ctx, 'li', { part: item.task ? 'md-list-item md-task-item' : 'md-list-item' });
  appendBlocks(li, item.tokens, ctx, !item.loose);
  if (item.task) {
    // The item's checkbox leads the item (tight) or its first paragraph (loose); name it after the item.
    const box = item.loose ? li.firstChild?.firstChild : li.firstChild;
    const label = plainText(item.tokens.filter((child) => child.type !== 'list')).trim() || ctx.strings.task;
    if (box?.nodeName === 'INPUT') (box as Element).setAttribute('aria-label', label);
  }
  return li;
}

function renderTable(token: Tokens.Table, ctx: RenderContext): HTMLTableElement {
  const row = (cells: readonly Tokens.TableCell[], tag: 'th' | 'td'): HTMLTableRowElement => {
    const tr = element(ctx, 'tr');
    for (const data of cells) {
      const attributes = { part: `md-${tag}`, scope: tag === 'th' ? 'col' : null, align: data.align };
      tr.append(appendInline(element(ctx, tag, attributes), data.tokens, ctx));
    }
    return tr;
  };
  const head = element(ctx, 'thead', {}, row(token.header, 'th'));
  const table = element(ctx, 'table', { part: 'md-table' }, head);
  if (token.rows.length > 0) {
    const body = element(ctx, 'tbody');
    for (const cells of token.rows) body.append(row(cells, 'td'));
    table.append(body);
  }
  return table;
}

function renderHtmlBlock(token: Tokens.HTML | Tokens.Tag, ctx: RenderContext): HTMLParagraphElement {
  const p = element(ctx, 'p', { part: 'md-html' });
  const lines = token.text.replace(/\n+$/, '').split('\n');
  lines.forEach((line, index) => {
    if (index > 0) p.append(element(ctx, 'br'));
    p.append(line);
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
      return null;
    case 'heading':
      // The lexer's depth is 1 to 6: the number of `#`, or 1 and 2 for setext underlines.
      return appendInline(
        element(ctx, `h${t.depth as 1 | 2 | 3 | 4 | 5 | 6}`, { part: `md-heading md-h${t.depth}` }),
        t.tokens,
        ctx,
      );
    case 'code':
      return renderCodeBlock(t, ctx);
    case 'blockquote':
      return appendBlocks(element(ctx, 'blockquote', { part: 'md-blockquote' }), t.tokens, ctx);
    case 'list': {
      // An ordered list's start is the number of its first item; an unordered one has none.
      const start = t.ordered && t.start !== 1 ? String(t.start) : null;
      const list = element(ctx, t.ordered ? 'ol' : 'ul', { part: 'md-list', start });
      for (const item of t.items) list.append(renderListItem(item, ctx));
      return list;
    }
    case 'table':
      return renderTable(t, ctx);
    case 'hr':
      return element(ctx, 'hr', { part: 'md-hr' });
    case 'html':
      return renderHtmlBlock(t, ctx);
    case 'checkbox':
      // Only inside list items, where a fragment is fine.
      return checkbox(ctx, t.checked);
    default:
      // A paragraph; or a `text` block, inline tokens at block level or a token type we do not know,
      // rendered as inline content of a paragraph (unknown types show their source text).
      return appendInline(
        element(ctx, 'p', { part: 'md-paragraph' }),
        t.type === 'paragraph' ? t.tokens : [t],
        ctx,
      );
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
  return appendBlocks(ctx.document.createDocumentFragment(), tokens, ctx);
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
