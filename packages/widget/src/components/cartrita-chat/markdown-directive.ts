import { noChange } from 'lit';
import { Directive, directive, type ElementPart, type PartInfo, PartType } from 'lit/directive.js';
import { type MarkdownOptions, MarkdownStream } from '../../markdown/index.js';

/**
 * Renders markdown into the element it is placed on, through a {@link MarkdownStream}: when the new
 * text extends the old one only the delta is appended (the stream re-renders the tail block only);
 * any other change sets the whole text. `done` finishes the stream.
 */
class MarkdownDirective extends Directive {
  #stream: MarkdownStream | undefined;

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new TypeError('markdown() must be placed on an element.');
  }

  render(_text: string, _done: boolean, _options: MarkdownOptions): unknown {
    return noChange;
  }

  override update(part: ElementPart, [text, done, options]: [string, boolean, MarkdownOptions]): unknown {
    // A directive stays on one element: the part it was created for.
    this.#stream ??= new MarkdownStream(part.element as HTMLElement, options);
    // `set` appends only the difference when the text extends the old one, and does nothing when it is
    // the same; `finish` does nothing when the stream is finished already.
    this.#stream.set(text);
    if (done) this.#stream.finish();
    return noChange;
  }
}

/** `<div ${markdown(text, done, options)}></div>`: streamed, safe markdown rendering. */
export const markdown = directive(MarkdownDirective);
