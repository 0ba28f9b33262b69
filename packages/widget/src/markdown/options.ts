/** Strings the renderer puts in the page; translate them through the widget's locale files. */
export interface MarkdownStrings {
  /** Label of a code block's copy button. */
  copy: string;
  /** Label shown briefly after the code was copied. */
  copied: string;
  /** Label shown briefly when copying failed (defaults to `copy`). */
  copyFailed?: string;
  /** Stand-in text for a blocked image that has no alt text (defaults to `Image`). */
  image?: string;
  /** Accessible name of a code block, which can scroll on its own (defaults to `Code`). */
  code?: string;
  /** Accessible name of a task-list checkbox whose item has no text (defaults to `Task`). */
  task?: string;
}

/** Options of {@link renderMarkdown} and `MarkdownStream`. */
export interface MarkdownOptions {
  /**
   * Origins images may load from, compared exactly after normalisation (`https://cdn.example.com`).
   * Only `http:` and `https:` origins count. Default: none, so every image renders as its alt text.
   */
  allowedImageOrigins?: readonly string[];
  /** Labels of the code copy button. Default: English. */
  strings?: MarkdownStrings;
  /** Highlight fenced code blocks that name a language, loading the highlighter lazily. Default: `true`. */
  highlight?: boolean;
  /**
   * Base URL that relative links and image sources resolve against (`http:` or `https:` only).
   * Without it, relative URLs are not linked.
   */
  baseUrl?: string;
}

/** Default English strings. */
export const defaultMarkdownStrings: Readonly<Required<MarkdownStrings>> = Object.freeze({
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Copy failed',
  image: 'Image',
  code: 'Code',
  task: 'Task',
});
