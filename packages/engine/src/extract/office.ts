/** @module Office and OpenDocument files and HTML pages with `officeparser` (Node). */
import { ExtractionError } from '../files/extractor.js';
import { type FamilyReader, type ReaderInput, reason } from './limits.js';

const readWith = async ({ bytes, limits }: ReaderInput, fileType?: 'html'): Promise<string> => {
  const { parseOffice } = await import('officeparser');
  try {
    const ast = await parseOffice(bytes, {
      ...(fileType ? { fileType } : {}),
      ocr: false,
      extractAttachments: false,
      ignoreNotes: false,
      decompressionLimits: {
        maxZipEntries: limits.maxArchiveEntries,
        maxUncompressedBytes: limits.maxDecompressedBytes,
      },
    });
    const { value } = await ast.to('text');
    return String(value);
  } catch (error) {
    throw new ExtractionError(`The document could not be read: ${reason(error)}`, { cause: error });
  }
};

/** The text of a docx, xlsx, pptx, odt, ods or odp file, within the archive limits. */
export const readOffice: FamilyReader = (input) => readWith(input);

/** The text of an HTML page. */
export const readHtml: FamilyReader = (input) => readWith(input, 'html');
