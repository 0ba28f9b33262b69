/**
 * @module The text of PDFs (`unpdf`), Office and OpenDocument files and HTML (`officeparser`) and
 * images (OCR with `tesseract.js` and the English data of `@tesseract.js-data/eng`, offline), each
 * within limits, so a hostile file fails with its reason instead of exhausting the host.
 */
import { createRequire } from 'node:module';
import { ExtractionError } from '@cartrita/engine';
import { imageSize } from './image-size.js';

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

/** The limits of the reference server's extraction. */
export const defaultExtractionLimits: ExtractionLimits = {
  maxPages: 500,
  maxArchiveEntries: 2_000,
  maxDecompressedBytes: 200 * 1024 * 1024,
  maxImagePixels: 40_000_000,
  maxImageSide: 10_000,
};

/** What {@link extractText} is given. */
export interface ExtractTextInput {
  bytes: Uint8Array;
  contentType: string;
  limits: ExtractionLimits;
  /** Told how far OCR is, from 0 to 1. */
  onProgress?: (fraction: number) => void;
}

const officeTypes = new Set([
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
]);

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const pdfText = async (bytes: Uint8Array, limits: ExtractionLimits): Promise<string> => {
  const { extractText: pdfExtract, getDocumentProxy } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // A copy: pdf.js takes the buffer over.
    pdf = await getDocumentProxy(bytes.slice(), { maxImageSize: 16_777_216 });
  } catch (error) {
    throw new ExtractionError(`The PDF could not be read: ${reason(error)}`, { cause: error });
  }
  if (pdf.numPages > limits.maxPages) {
    throw new ExtractionError(`The PDF has ${pdf.numPages} pages; the limit is ${limits.maxPages}.`);
  }
  const { text } = await pdfExtract(pdf, { mergePages: true });
  return text;
};

const officeText = async (bytes: Uint8Array, limits: ExtractionLimits, fileType?: 'html') => {
  const { parseOffice } = await import('officeparser');
  try {
    const ast = await parseOffice(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
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

const require = createRequire(import.meta.url);

const imageText = async (
  bytes: Uint8Array,
  contentType: string,
  limits: ExtractionLimits,
  onProgress?: (fraction: number) => void,
): Promise<string> => {
  const size = imageSize(bytes, contentType);
  if (!size) throw new ExtractionError('The image’s header could not be read.');
  if (
    size.width > limits.maxImageSide ||
    size.height > limits.maxImageSide ||
    size.width * size.height > limits.maxImagePixels
  ) {
    throw new ExtractionError(
      `The image is ${size.width}×${size.height} pixels; the limit is ${limits.maxImageSide} pixels a ` +
        `side and ${limits.maxImagePixels} pixels in all.`,
    );
  }
  const { createWorker, OEM } = await import('tesseract.js');
  const eng = require('@tesseract.js-data/eng') as { langPath: string; gzip: boolean };
  const worker = await createWorker('eng', OEM.LSTM_ONLY, {
    langPath: eng.langPath,
    gzip: eng.gzip,
    cacheMethod: 'none',
    logger: (message) => {
      if (message.status === 'recognizing text') onProgress?.(message.progress);
    },
  });
  try {
    const { data } = await worker.recognize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return data.text;
  } catch (error) {
    throw new ExtractionError(`The image could not be read: ${reason(error)}`, { cause: error });
  } finally {
    await worker.terminate().catch(() => {});
  }
};

/**
 * The text of a PDF, Office or OpenDocument file, HTML page or image (PNG, JPEG, WebP).
 *
 * @throws {ExtractionError} when the file cannot be read or goes past a limit; the message says which.
 */
export const extractText = async ({ bytes, contentType, limits, onProgress }: ExtractTextInput) => {
  if (contentType === 'application/pdf') return pdfText(bytes, limits);
  if (officeTypes.has(contentType)) return officeText(bytes, limits);
  if (contentType === 'text/html') return officeText(bytes, limits, 'html');
  if (contentType.startsWith('image/')) return imageText(bytes, contentType, limits, onProgress);
  throw new ExtractionError(`No extractor reads ${contentType}.`);
};
