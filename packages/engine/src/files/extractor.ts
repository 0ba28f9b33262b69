/**
 * @module The extractor port: how a file's text is got. The engine reads text formats itself; PDF,
 * Office, HTML and images go through the port, which the server fills with real parsers off the
 * request path and the mocks with what a browser can do.
 */
import type { AcceptedFileType } from './file-types.js';

/** What an extractor is given. */
export interface ExtractionInput {
  bytes: Uint8Array;
  content_type: AcceptedFileType;
  filename: string;
  /** Aborted when the file is deleted while it is processed. */
  signal: AbortSignal;
  /** Told how far extraction is, from 0 to 1, when the extractor knows. */
  onProgress?: (fraction: number) => void;
}

/**
 * Gets the text of a file. Rejects with an {@link ExtractionError} (its message says why, for the
 * file's `error`) when the file cannot be read or goes past a limit.
 */
export interface TextExtractor {
  extract(input: ExtractionInput): Promise<string>;
}

/** A file whose text could not be got: the message is the reason the file's status shows. */
export class ExtractionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExtractionError';
  }
}

/** Types the engine reads itself: their text is their bytes. */
const plainTypes = new Set<string>(['text/plain', 'text/markdown', 'text/csv', 'application/json']);

/** Whether the engine reads a type's text itself, without an extractor. */
export const isPlainText = (type: string): boolean => plainTypes.has(type);

/**
 * Reads plain text, Markdown, CSV and JSON as UTF-8, and hands every other type to `other`.
 *
 * @example
 * const extractor = withPlainText(serverExtractor);
 */
export const withPlainText = (other: TextExtractor): TextExtractor => ({
  async extract(input) {
    if (isPlainText(input.content_type)) return new TextDecoder().decode(input.bytes);
    return other.extract(input);
  },
});

/**
 * The extractor of an engine given none: it reads the text formats and fails the others, saying that
 * this deployment extracts no text from them.
 */
export const plainTextOnly: TextExtractor = withPlainText({
  async extract(input) {
    throw new ExtractionError(`No text extractor for ${input.content_type} is configured here.`);
  },
});
