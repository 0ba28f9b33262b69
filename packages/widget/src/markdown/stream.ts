import type { Token, Tokens } from 'marked';
import { highlightCodeBlocks, updateCodeBlock } from './code-block.js';
import { createRenderContext, type RenderContext } from './context.js';
import { lexMarkdown } from './lexer.js';
import type { MarkdownOptions } from './options.js';
import { renderBlock } from './render.js';

/** Options of {@link MarkdownStream}. */
export interface MarkdownStreamOptions extends MarkdownOptions {
  /**
   * Schedules a render after text arrived; all deltas that arrive before it runs are rendered together.
   * Default: the next animation frame (a zero-delay timer where there are no frames). Pass
   * `(render) => render()` to render on every delta.
   */
  schedule?: (render: () => void) => void;
}

function defaultSchedule(view: (Window & typeof globalThis) | null): (render: () => void) => void {
  if (typeof view?.requestAnimationFrame === 'function') {
    return (render) => view.requestAnimationFrame(render);
  }
  return (render) => setTimeout(render);
}

/** Whether the text just before `offset` ends with a blank line (spaces and tabs count as blank). */
function blankLineBefore(text: string, offset: number): boolean {
  let index = offset - 1;
  if (text[index] !== '\n') return false;
  index--;
  while (text[index] === ' ' || text[index] === '\t') index--;
  return text[index] === '\n';
}

/**
 * Renders a streamed markdown reply into a container, re-rendering only its tail.
 *
 * The source is split at an offset: everything before it is settled, rendered once and never lexed or
 * rendered again (its nodes keep their identity); only the text after it is lexed on each render.
 *
 * Where to split: not simply before the last block, because the last block can still change the
 * blocks before it. `foo` + newline + ```` ```js ```` is a paragraph and a fence until a backtick in the
 * info string makes it one paragraph (likewise `***` becoming `***bold***`, `#` becoming `#tag`); and
 * marked re-partitions a whole run of lines on a trailing `-` line (a possible setext underline). Such
 * changes never cross a blank line, except one: a list continues after blank lines (`1. a`, blank line,
 * `2` becomes its second item once the `.` arrives). So the settled part ends at the last token
 * boundary that comes before the last visible block, follows a blank line and does not follow a list.
 * In practice the tail is the last paragraph-like run of lines, plus a list before it. Constructs that
 * span blocks therefore stay in the tail for as long as they can still grow:
 * - a code fence without its closing fence runs to the end of the text (its elements are updated in
 *   place while it grows, and it is highlighted once settled or when the reply finishes);
 * - a list, including its blank lines, until a block that is not part of it begins and a blank line
 *   follows, since a later item, a blank line (which makes the whole list loose) or an indented line may
 *   still change it;
 * - a table until a blank line, since the next row may arrive;
 * - reference definitions are not supported (see `lexer.ts`): a definition arriving after its use would
 *   need an already settled paragraph re-rendered.
 * A tail block whose render did not change keeps its node, so a block keeps its identity from the frame
 * it first appears in. Deltas are coalesced: a render runs at most once per scheduled frame and costs
 * the size of the tail, not of the reply. The stream owns the container's children.
 *
 * @example
 * const stream = new MarkdownStream(bubble, { strings });
 * for await (const delta of reply) stream.append(delta);
 * stream.finish();
 */
export class MarkdownStream {
  readonly #container: HTMLElement;
  readonly #context: RenderContext;
  readonly #highlight: boolean;
  readonly #schedule: (render: () => void) => void;
  #raw = '';
  #source = '';
  #offset = 0;
  #tail: ChildNode[] = [];
  #dirty = false;
  #scheduled = false;
  #final = false;

  /** Renders into `container`, which should be empty and left to the stream. */
  constructor(container: HTMLElement, options: MarkdownStreamOptions = {}) {
    this.#container = container;
    // Blocks render plain and are highlighted once settled: the tail changes on every frame, and
    // highlighting it would redo that work each time.
    this.#context = { ...createRenderContext(options, container.ownerDocument), highlight: false };
    this.#highlight = options.highlight !== false;
    this.#schedule = options.schedule ?? defaultSchedule(container.ownerDocument.defaultView);
  }

  /** The whole text received so far, as given (line endings included). */
  get text(): string {
    return this.#raw;
  }

  /** Adds a piece of the reply. Rendering happens on the next scheduled render, or on {@link flush}. */
  append(delta: string): void {
    if (delta === '') return;
    // A CRLF may be split across deltas; marked reads CR, LF and CRLF all as one line ending.
    const body = delta.startsWith('\n') && this.#raw.endsWith('\r') ? delta.slice(1) : delta;
    this.#raw += delta;
    this.#source += body.replace(/\r\n?/g, '\n');
    this.#dirty = true;
    this.#final = false;
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#schedule(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  /**
   * Replaces the whole text. When the new text extends the current one this is an {@link append} of the
   * difference; otherwise everything is cleared and rendered again at once.
   */
  set(text: string): void {
    if (text.startsWith(this.#raw)) {
      this.append(text.slice(this.#raw.length));
      return;
    }
    this.#container.replaceChildren();
    this.#raw = '';
    this.#source = '';
    this.#offset = 0;
    this.#tail = [];
    this.append(text);
    this.flush();
  }

  /** Renders pending text now instead of at the next scheduled render. */
  flush(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    this.#render(false);
  }

  /**
   * Renders pending text and gives the tail its final form (highlighted code). Call it when the reply
   * ends. Appending afterwards is allowed and carries on as before.
   */
  finish(): void {
    if (this.#final && !this.#dirty) return;
    this.#dirty = false;
    this.#final = true;
    this.#render(true);
  }

  #render(final: boolean): void {
    const tail = this.#source.slice(this.#offset);

    // The visible (not blank) blocks and where each starts; the tokens' raw texts must tile the tail.
    // If marked ever reported a raw that does not, settle nothing rather than lose or repeat text.
    const blocks: { token: Token; start: number }[] = [];
    let position = 0;
    let tiled = true;
    for (const token of lexMarkdown(tail)) {
      if (token.type !== 'space') blocks.push({ token, start: position });
      if (!tail.startsWith(token.raw, position)) tiled = false;
      position += token.raw.length;
    }

    // Settle the blocks before the last one that follows a blank line and does not follow a list (see
    // the class comment); the first block never counts, so `settled` is 0 or at least 1.
    const settled = Math.max(
      0,
      blocks.findLastIndex(
        ({ start }, index) =>
          tiled && index > 0 && blankLineBefore(tail, start) && blocks[index - 1]!.token.type !== 'list',
      ),
    );

    // The old tail was lexed from the same offset, so its nodes line up with the blocks by position. A
    // node whose block renders the same is kept, so a block keeps its identity from the moment it first
    // appears, through the tail and into the settled part.
    const old = this.#tail;
    const nodes = blocks.map(({ token }, index): ChildNode => {
      const previous = old[index];
      let node: ChildNode;
      if (
        previous !== undefined &&
        token.type === 'code' &&
        updateCodeBlock(previous, token as Tokens.Code)
      ) {
        node = previous;
      } else {
        // Only blank lines render to nothing, and they are not blocks.
        const fresh = renderBlock(token, this.#context) as ChildNode;
        node = previous?.isEqualNode(fresh) ? previous : fresh;
      }
      if (this.#highlight && (index < settled || final)) highlightCodeBlocks(node);
      if (previous === undefined) this.#container.append(node);
      else if (node !== previous) previous.replaceWith(node);
      return node;
    });
    for (const stale of old.slice(nodes.length)) stale.remove();
    if (settled > 0) this.#offset += blocks[settled]!.start;
    this.#tail = nodes.slice(settled);
  }
}
