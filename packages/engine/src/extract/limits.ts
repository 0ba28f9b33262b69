/** @module What one file's extraction may use, and the errors' shared wording. */

/** What one file's extraction may use. */
export interface ExtractionLimits {
  /** The most pages a PDF may have. */
  maxPages: number;
  /** The most entries an Office or OpenDocument file's zip may hold. */
  maxArchiveEntries: number;
  /** The most bytes an Office or OpenDocument file's zip may inflate to. */
  maxDecompressedBytes: number;
  /** The most pixels an image may declare (width × height). */
  maxImagePixels: number;
  /** The longest side an image may declare, in pixels. */
  maxImageSide: number;
}

/** The limits of the reference server's extraction, and of the mocks'. */
export const defaultExtractionLimits: ExtractionLimits = {
  maxPages: 500,
  maxArchiveEntries: 2_000,
  maxDecompressedBytes: 200 * 1024 * 1024,
  maxImagePixels: 40_000_000,
  maxImageSide: 10_000,
};

/** Where `tesseract.js` finds its English data (`@tesseract.js-data/eng` gives both in Node). */
export interface OcrData {
  langPath: string;
  gzip: boolean;
}

/** What a reader of one family is given. */
export interface ReaderInput {
  bytes: Uint8Array;
  contentType: string;
  limits: ExtractionLimits;
  /** Where the OCR data is; images fail without it. */
  ocr?: OcrData;
  /** Told how far the reading is, from 0 to 1, when the reader knows. */
  onProgress?: (fraction: number) => void;
}

/** Reads the text of one family of files; rejects with an `ExtractionError` saying why it cannot. */
export type FamilyReader = (input: ReaderInput) => Promise<string>;

/** A thrown value's message. */
export const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));
