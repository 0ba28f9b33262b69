/**
 * @module The server's extraction in Node: the shared parsers of `@cartrita/engine/extract`, with the
 * OCR data of `@tesseract.js-data/eng` found on disk, offline.
 */
import { createRequire } from 'node:module';
import {
  allReaders,
  defaultExtractionLimits,
  type ExtractionLimits,
  extractText as extractWithParsers,
  type OcrData,
} from '@cartrita/engine/extract';

export { defaultExtractionLimits, type ExtractionLimits };

const require = createRequire(import.meta.url);

/** Where the English OCR data installed with the server is. */
export const nodeOcrData = (): OcrData => require('@tesseract.js-data/eng') as OcrData;

/** What {@link extractText} is given. */
export interface ExtractTextInput {
  bytes: Uint8Array;
  contentType: string;
  limits: ExtractionLimits;
  /** Told how far OCR is, from 0 to 1. */
  onProgress?: (fraction: number) => void;
}

/**
 * The text of a PDF, Office or OpenDocument file, HTML page or image (PNG, JPEG, WebP).
 *
 * @throws {ExtractionError} when the file cannot be read or goes past a limit; the message says which.
 */
export const extractText = (input: ExtractTextInput): Promise<string> =>
  extractWithParsers({
    ...input,
    readers: allReaders,
    ...(input.contentType.startsWith('image/') ? { ocr: nodeOcrData() } : {}),
  });
