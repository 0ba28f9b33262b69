/**
 * The `part` names the markdown renderer puts on its elements. A component that renders markdown in its
 * shadow root can copy this block into its class JSDoc (and forward the names with `exportparts` from
 * nested components):
 *
 * @csspart md-paragraph - A paragraph (`<p>`).
 * @csspart md-heading - Any heading (`<h1>`–`<h6>`, level kept from the markdown); also `md-h1`…`md-h6`.
 * @csspart md-h1 - A level-1 heading; `md-h2` to `md-h6` likewise.
 * @csspart md-link - A link (`<a>`, http/https/mailto only, opens in a new tab).
 * @csspart md-deeplink - A `chatkit-link://` deep link (`<button data-deeplink>`, never navigates).
 * @csspart md-image - An image from an allowed origin (`<img>`).
 * @csspart md-image-blocked - The alt text shown instead of an image from another origin (`<span>`).
 * @csspart md-code-inline - Inline code (`<code>`).
 * @csspart md-code-block - The box around a code block (`<div>`).
 * @csspart md-code-lang - The language label of a code block (`<span>`).
 * @csspart code-copy - The copy button of a code block (`<button>`).
 * @csspart md-code - The `<pre>` of a code block; highlighted tokens inside are `span.hljs-*`.
 * @csspart md-blockquote - A block quote (`<blockquote>`).
 * @csspart md-list - A list (`<ul>` or `<ol>`).
 * @csspart md-list-item - A list item (`<li>`).
 * @csspart md-task-item - A task list item (`<li>`, also `md-list-item`).
 * @csspart md-task-checkbox - The disabled checkbox of a task item (`<input type="checkbox">`).
 * @csspart md-table - A table (`<table>`); its cells carry the HTML `align` attribute.
 * @csspart md-th - A header cell (`<th scope="col">`).
 * @csspart md-td - A body cell (`<td>`).
 * @csspart md-hr - A thematic break (`<hr>`).
 * @csspart md-html - Raw HTML from the model, shown as text (`<p>`).
 */
export const markdownParts = Object.freeze([
  'md-paragraph',
  'md-heading',
  'md-h1',
  'md-h2',
  'md-h3',
  'md-h4',
  'md-h5',
  'md-h6',
  'md-link',
  'md-deeplink',
  'md-image',
  'md-image-blocked',
  'md-code-inline',
  'md-code-block',
  'md-code-lang',
  'code-copy',
  'md-code',
  'md-blockquote',
  'md-list',
  'md-list-item',
  'md-task-item',
  'md-task-checkbox',
  'md-table',
  'md-th',
  'md-td',
  'md-hr',
  'md-html',
] as const);

/** One of the {@link markdownParts}. */
export type MarkdownPart = (typeof markdownParts)[number];
