/**
 * @module The text of PDFs (`unpdf`), Office and OpenDocument files and HTML (`officeparser`) and
 * images (OCR with `tesseract.js`), each within limits, so a hostile file fails with its reason
 * instead of exhausting the host. Each parser is loaded when a file first needs it, and a host names
 * the readers it has, so a browser bundle holds only the parsers a browser runs (none of this module
 * imports a parser: the readers do).
 */
import { ExtractionError } from '../files/extractor.js';
import type { ExtractionLimits, FamilyReader, OcrData } from './limits.js';

/** The families of files a parser reads. */
export type ParsedFamily = 'pdf' | 'office' | 'html' | 'image';

/** The reader of each family. */
export type FamilyReaders = Partial<Record<ParsedFamily, FamilyReader>>;

/** What {@link extractText} is given. */
export interface ExtractTextInput {
  bytes: Uint8Array;
  contentType: string;
  limits: ExtractionLimits;
  /** The readers this host has (`allReaders` in Node); a family without one fails saying so. */
  readers: FamilyReaders;
  /** Where the OCR data is; images fail without it. */
  ocr?: OcrData;
  /** Told how far OCR is, from 0 to 1. */
  onProgress?: (fraction: number) => void;
  /** Said in the reason of a file whose family this host does not read. */
  unsupportedHint?: string;
}

const officeTypes = new Set([
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
]);

/** The family of a content type, or `undefined` when no parser reads it. */
export const familyOf = (contentType: string): ParsedFamily | undefined => {
  if (contentType === 'application/pdf') return 'pdf';
  if (officeTypes.has(contentType)) return 'office';
  if (contentType === 'text/html') return 'html';
  if (contentType.startsWith('image/')) return 'image';
  return undefined;
};

/**
 * The text of a PDF, Office or OpenDocument file, HTML page or image (PNG, JPEG, WebP).
 *
 * @throws {ExtractionError} when the file cannot be read, goes past a limit, or is of a family this
 *   host has no reader for; the message says which.
 */
export const extractText = async (input: ExtractTextInput): Promise<string> => {
  const { readers, unsupportedHint, ...rest } = input;
  const family = familyOf(input.contentType);
  if (!family) throw new ExtractionError(`No extractor reads ${input.contentType}.`);
  const read = readers[family];
  if (!read) {
    throw new ExtractionError(
      `Text is not extracted from ${input.contentType} here.${unsupportedHint ? ` ${unsupportedHint}` : ''}`,
    );
  }
  return read(rest);
};
