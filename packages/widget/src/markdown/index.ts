/**
 * @module Markdown from marked tokens rendered as DOM nodes (never HTML strings), one-shot or streamed.
 */

// Rendering
export { createRenderContext, type RenderContext } from './context.js';
// Policies
export { decodeEntities } from './entities.js';
// Code highlighting
export { preloadHighlighter, requestHighlight } from './highlight-loader.js';
export { lexMarkdown } from './lexer.js';

// Options and theming
export { defaultMarkdownStrings, type MarkdownOptions, type MarkdownStrings } from './options.js';
export { type MarkdownPart, markdownParts } from './parts.js';
export { renderBlock, renderMarkdown, renderTokens } from './render.js';
export { MarkdownStream, type MarkdownStreamOptions } from './stream.js';
export { normalizeOrigins, safeImageUrl, safeLinkUrl } from './url-policy.js';
