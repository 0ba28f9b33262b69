import type { Tokens } from 'marked';
import { element, type RenderContext } from './context.js';
import { requestHighlight } from './highlight-loader.js';

const languagePattern = /^[\w+#.-]{1,30}$/;
const feedbackMs = 2000;

interface CodeBlockState {
  text: string;
  /** The block's language, or the empty string when it names none. */
  readonly language: string;
  readonly code: HTMLElement;
}

const blocks = new WeakMap<Element, CodeBlockState>();

/**
 * The language of a fenced code block: the first word of its info string, kept only when it matches
 * `^[\w+#.-]{1,30}$` (it becomes a class name and a label, so nothing else gets through); the empty
 * string when there is none.
 */
export function codeLanguage(info: string | undefined): string {
  const word = info?.trim().split(/\s/, 1)[0] ?? '';
  return languagePattern.test(word) ? word : '';
}

function codeText(token: Tokens.Code): string {
  // Indented code keeps its final newline in the token; fenced code does not. Show both alike.
  return token.text.replace(/\n$/, '');
}

function legacyCopy(code: HTMLElement): boolean {
  const doc = code.ownerDocument;
  const selection = doc.getSelection();
  if (selection === null) return false;
  const saved = Array.from({ length: selection.rangeCount }, (_, index) => selection.getRangeAt(index));
  selection.selectAllChildren(code);
  try {
    return doc.execCommand('copy');
  } catch {
    // Not supported: not copied.
    return false;
  } finally {
    selection.removeAllRanges();
    for (const previous of saved) selection.addRange(previous);
  }
}

/** Copies text with the async clipboard API, falling back to selecting the code and `execCommand`. */
async function copyCode(state: CodeBlockState): Promise<boolean> {
  try {
    await globalThis.navigator.clipboard.writeText(state.text);
    return true;
  } catch {
    // No clipboard API (outside a secure context), denied or not focused: try the old way.
    return legacyCopy(state.code);
  }
}

function setLabel(button: HTMLButtonElement, label: string): void {
  button.textContent = label;
  button.setAttribute('aria-label', label);
}

/**
 * Renders a code block: `<div part="md-code-block">` holding an optional language label, a copy button
 * and `<pre part="md-code"><code class="language-x">`. The code is plain text; when the context asks for
 * highlighting and the block names a language, highlighting is requested (loading the highlighter on
 * first use) and applied in place when ready.
 */
export function renderCodeBlock(token: Tokens.Code, ctx: RenderContext): HTMLElement {
  const language = codeLanguage(token.lang);
  const text = codeText(token);

  const block = element(ctx, 'div', { part: 'md-code-block' });
  if (language) block.append(element(ctx, 'span', { part: 'md-code-lang' }, language));

  const button = element(ctx, 'button', { type: 'button', part: 'code-copy' });
  setLabel(button, ctx.strings.copy);

  // A wide block scrolls on its own: keyboard users must be able to reach and scroll it.
  const pre = element(ctx, 'pre', {
    part: 'md-code',
    tabindex: '0',
    role: 'region',
    'aria-label': language ? `${ctx.strings.code}: ${language}` : ctx.strings.code,
  });
  // Not a child given to `element`: code may be empty, and then it has no text node.
  const code = element(ctx, 'code', { class: language ? `language-${language}` : null });
  code.textContent = text;
  pre.append(code);
  block.append(button, pre);

  const state: CodeBlockState = { text, language, code };
  blocks.set(block, state);

  let timer: ReturnType<typeof setTimeout> | undefined;
  button.addEventListener('click', () => {
    void copyCode(state).then((copied) => {
      setLabel(button, copied ? ctx.strings.copied : ctx.strings.copyFailed);
      clearTimeout(timer);
      timer = setTimeout(() => setLabel(button, ctx.strings.copy), feedbackMs);
    });
  });

  if (ctx.highlight && language) requestHighlight(code, text, language);
  return block;
}

/**
 * Updates a block made by {@link renderCodeBlock} to show a longer version of the same code (a streamed
 * fence that is still open), keeping its elements so a selection or a focused copy button survive.
 * Returns `false`, changing nothing, when the block is not a code block or the language differs.
 */
export function updateCodeBlock(block: Node, token: Tokens.Code): boolean {
  const state = blocks.get(block as Element);
  if (state === undefined || state.language !== codeLanguage(token.lang)) return false;
  const text = codeText(token);
  if (text !== state.text) {
    state.text = text;
    state.code.textContent = text;
  }
  return true;
}

/**
 * Requests highlighting for every code block made by {@link renderCodeBlock} in `root` (itself included)
 * that names a language. Used by the stream, which renders without highlighting and highlights a block
 * only once it is settled.
 */
export function highlightCodeBlocks(root: Node): void {
  // A plain walk: querySelectorAll would do, but happy-dom (our unit-test DOM) retains every query.
  const state = blocks.get(root as Element);
  if (state !== undefined) {
    if (state.language) requestHighlight(state.code, state.text, state.language);
    return;
  }
  for (let child = (root as Element).firstElementChild; child; child = child.nextElementSibling) {
    highlightCodeBlocks(child);
  }
}
