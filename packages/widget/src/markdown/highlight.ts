/**
 * The syntax highlighter: lowlight with highlight.js's common languages. Only `highlight-loader.ts`
 * imports this module, dynamically, so bundlers split it (and highlight.js) into a chunk of its own that
 * loads on the first code block.
 *
 * @module
 */
import { common, createLowlight } from 'lowlight';

const lowlight = createLowlight(common);

/** The part of a hast node we read; anything else on the node is ignored. */
export interface HastLikeNode {
  readonly type: string;
  readonly value?: unknown;
  readonly tagName?: unknown;
  readonly properties?: { readonly className?: unknown; readonly [name: string]: unknown } | null;
  readonly children?: readonly HastLikeNode[];
}

const safeClass = /^hljs-[\w-]+$/;

function appendNodes(doc: Document, parent: Node, nodes: readonly HastLikeNode[]): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      if (typeof node.value === 'string') parent.appendChild(doc.createTextNode(node.value));
    } else if (node.type === 'element') {
      // Only spans become elements, and only with `hljs-*` classes; any other element contributes its
      // text but not itself, so a grammar bug (or a hostile tree) cannot create markup.
      const classes = Array.isArray(node.properties?.className)
        ? node.properties.className.filter(
            (name): name is string => typeof name === 'string' && safeClass.test(name),
          )
        : [];
      if (node.tagName === 'span' && classes.length > 0) {
        const span = doc.createElement('span');
        span.className = classes.join(' ');
        appendNodes(doc, span, node.children ?? []);
        parent.appendChild(span);
      } else {
        appendNodes(doc, parent, node.children ?? []);
      }
    }
  }
}

/**
 * Converts hast nodes (as lowlight returns them) to DOM nodes with `createElement` and `createTextNode`:
 * text nodes, and `span` elements carrying only class names that match `^hljs-[\w-]+$`.
 */
export function hastToFragment(doc: Document, nodes: readonly HastLikeNode[]): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  appendNodes(doc, fragment, nodes);
  return fragment;
}

/**
 * The token colors: keywords, strings, numbers and titles in a light and a dark variant that
 * `light-dark()` picks by the `color-scheme` `<cartrita-chat>` sets; comments in its muted color
 * (`--_m`). They come with this chunk, not with the component's styles, so the script-tag file does
 * not carry them.
 */
export const highlightTheme =
  '.hljs-keyword,.hljs-built_in,.hljs-type{color:light-dark(#a626a4,#d7a1f7)}' +
  '.hljs-string,.hljs-attr{color:light-dark(#2f6f08,#9bd46f)}' +
  '.hljs-number,.hljs-literal,.hljs-title{color:light-dark(#8a5200,#f0b35a)}.hljs-comment{color:var(--_m)}';

const themeSheets = new WeakMap<Document, CSSStyleSheet>();

/**
 * Adds {@link highlightTheme} to the shadow root `node` is in (or will be in by the next microtask), as
 * a constructed stylesheet the root adopts, one per document, shared by its roots. Code in a document
 * rather than a shadow root gets nothing: the page styles it. A failure only leaves the tokens
 * uncolored.
 */
export function adoptHighlightTheme(node: Node): void {
  // Blocks are often highlighted just before the renderer inserts them: look again once it is done.
  if (!node.isConnected) {
    queueMicrotask(() => {
      if (node.isConnected) adoptHighlightTheme(node);
    });
    return;
  }
  const root = node.getRootNode();
  if (!('host' in root) || !('adoptedStyleSheets' in root)) return;
  const shadow = root as ShadowRoot;
  try {
    const doc = shadow.ownerDocument;
    let sheet = themeSheets.get(doc);
    if (!sheet) {
      // A sheet may only be adopted in the document whose `CSSStyleSheet` made it.
      sheet = new (doc.defaultView as typeof globalThis).CSSStyleSheet();
      sheet.replaceSync(highlightTheme);
      themeSheets.set(doc, sheet);
    }
    if (!shadow.adoptedStyleSheets.includes(sheet)) {
      shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
    }
  } catch {
    // No constructable stylesheets: the highlighting stays, without colors.
  }
}

/** Whether the highlighter knows a language name or alias. */
export function isHighlightLanguage(language: string): boolean {
  return lowlight.registered(language);
}

/**
 * Highlights code as DOM nodes, or returns `null` when the language is unknown, highlighting fails, or
 * the result would not read exactly as the input.
 */
export function highlightCode(doc: Document, code: string, language: string): DocumentFragment | null {
  if (!lowlight.registered(language)) return null;
  let fragment: DocumentFragment;
  try {
    fragment = hastToFragment(doc, lowlight.highlight(language, code).children);
  } catch {
    return null;
  }
  return fragment.textContent === code ? fragment : null;
}
