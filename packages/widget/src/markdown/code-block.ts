import type { Tokens } from 'marked';
import { element, type RenderContext } from './context.js';
import { requestHighlight } from './highlight-loader.js';

const languagePattern = /^[\w+#.-]{1,30}$/;
const feedbackMs = 2000;

interface CodeBlockState {
  text: string;
  readonly language: string | undefined;
  readonly code: HTMLElement;
}

const blocks = new WeakMap<Element, CodeBlockState>();

/**
 * The language of a fenced code block: the first word of its info string, kept only when it matches
 * `^[\w+#.-]{1,30}$` (it becomes a class name and a label, so nothing else gets through).
 */
export function codeLanguage(info: string | undefined): string | undefined {
  const word = info?.trim().split(/\s/, 1)[0] ?? '';
  return languagePattern.test(word) ? word : undefined;
}

function codeText(token: Tokens.Code): string {
  // Indented code keeps its final newline in the token; fenced code does not. Show both alike.
  return token.text.endsWith('\n') ? token.text.slice(0, -1) : token.text;
}

function legacyCopy(code: HTMLElement): boolean {
  const doc = code.ownerDocument;
  const selection = doc.getSelection();
  if (selection === null) return false;
  const saved = Array.from({ length: selection.rangeCount }, (_, index) => selection.getRangeAt(index));
  const range = doc.createRange();
  range.selectNodeContents(code);
  selection.removeAllRanges();
  selection.addRange(range);
  let copied = false;
  try {
    copied = doc.execCommand('copy');
  } catch {
    copied = false;
  }
  selection.removeAllRanges();
  for (const previous of saved) selection.addRange(previous);
  return copied;
}

/** Copies text with the async clipboard API, falling back to selecting the code and `execCommand`. */
async function copyCode(state: CodeBlockState): Promise<boolean> {
  const clipboard = globalThis.navigator?.clipboard;
  if (typeof clipboard?.writeText === 'function') {
    try {
      await clipboard.writeText(state.text);
      return true;
    } catch {
      // Denied or not focused: try the old way below.
    }
  }
  return legacyCopy(state.code);
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

  const block = element(ctx, 'div', 'md-code-block');
  if (language !== undefined) {
    const label = element(ctx, 'span', 'md-code-lang');
    label.textContent = language;
    block.appendChild(label);
  }

  const button = element(ctx, 'button');
  button.type = 'button';
  button.setAttribute('part', 'code-copy');
  setLabel(button, ctx.strings.copy);
  block.appendChild(button);

  const pre = element(ctx, 'pre', 'md-code');
  // A wide block scrolls on its own: keyboard users must be able to reach and scroll it.
  pre.tabIndex = 0;
  pre.setAttribute('role', 'region');
  pre.setAttribute(
    'aria-label',
    language === undefined ? ctx.strings.code : `${ctx.strings.code}: ${language}`,
  );
  const code = element(ctx, 'code');
  if (language !== undefined) code.className = `language-${language}`;
  code.textContent = text;
  pre.appendChild(code);
  block.appendChild(pre);

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

  if (ctx.highlight && language !== undefined) requestHighlight(code, text, language);
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
    if (state.language !== undefined) requestHighlight(state.code, state.text, state.language);
    return;
  }
  for (let child = (root as Element).firstElementChild; child; child = child.nextElementSibling) {
    highlightCodeBlocks(child);
  }
}
