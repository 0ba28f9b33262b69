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
  #element: Element | undefined;
  #text = '';
  #done = false;

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new TypeError('markdown() must be placed on an element.');
  }

  render(_text: string, _done: boolean, _options: MarkdownOptions): unknown {
    return noChange;
  }

  override update(part: ElementPart, [text, done, options]: [string, boolean, MarkdownOptions]): unknown {
    if (this.#element !== part.element || !this.#stream) {
      this.#element = part.element;
      this.#stream = new MarkdownStream(part.element as HTMLElement, options);
      this.#text = '';
      this.#done = false;
    }
    if (text !== this.#text) {
      if (!this.#done && text.startsWith(this.#text)) this.#stream.append(text.slice(this.#text.length));
      else this.#stream.set(text);
      this.#text = text;
      this.#done = false;
    }
    if (done && !this.#done) {
      this.#stream.finish();
      this.#done = true;
    }
    return noChange;
  }
}

/** `<div ${markdown(text, done, options)}></div>`: streamed, safe markdown rendering. */
export const markdown = directive(MarkdownDirective);
