import { defaultMarkdownStrings, type MarkdownOptions, type MarkdownStrings } from './options.js';
import { normalizeOrigins } from './url-policy.js';

/** Resolved rendering settings, built once per render or stream by {@link createRenderContext}. */
export interface RenderContext {
  /** Document that creates the nodes. */
  readonly document: Document;
  /** Strings with every optional entry filled in. */
  readonly strings: Readonly<Required<MarkdownStrings>>;
  /** Normalised origins images may load from. */
  readonly imageOrigins: ReadonlySet<string>;
  /** Base for relative URLs, if any. */
  readonly baseUrl: string | undefined;
  /** Whether code blocks in this render ask for highlighting. */
  readonly highlight: boolean;
}

/**
 * Resolves {@link MarkdownOptions} for {@link renderTokens}. `document` defaults to the global one, read
 * at call time, so importing this module during server rendering does not touch the DOM.
 */
export function createRenderContext(options: MarkdownOptions = {}, document?: Document): RenderContext {
  const given = options.strings;
  const strings = given
    ? {
        copy: given.copy,
        copied: given.copied,
        copyFailed: given.copyFailed ?? given.copy,
        image: given.image ?? defaultMarkdownStrings.image,
        code: given.code ?? defaultMarkdownStrings.code,
        task: given.task ?? defaultMarkdownStrings.task,
      }
    : defaultMarkdownStrings;
  return {
    document: document ?? globalThis.document,
    strings,
    imageOrigins: normalizeOrigins(options.allowedImageOrigins),
    baseUrl: options.baseUrl,
    highlight: options.highlight !== false,
  };
}

/**
 * A new element of the context's document with the given attributes, in order (those whose value is
 * `null` or `undefined` are left out), and children (strings become text nodes).
 */
export function element<K extends keyof HTMLElementTagNameMap>(
  ctx: RenderContext,
  tag: K,
  attributes: Readonly<Record<string, string | null | undefined>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = ctx.document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value != null) node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}
