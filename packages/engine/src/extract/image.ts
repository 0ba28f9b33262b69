/**
 * @module Images by OCR with `tesseract.js`, after their declared size is checked against the limits
 * so a huge canvas is refused before any decoder allocates it.
 */
import { ExtractionError } from '../files/extractor.js';
import { imageSize } from './image-size.js';
import { type ExtractionLimits, type FamilyReader, reason } from './limits.js';

/** Refuses an image whose header cannot be read or declares more pixels than the limits allow. */
const checkImageSize = (bytes: Uint8Array, contentType: string, limits: ExtractionLimits): void => {
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
};

/** The words of a PNG, JPEG or WebP image, read in English. */
export const readImage: FamilyReader = async ({ bytes, contentType, limits, ocr, onProgress }) => {
  checkImageSize(bytes, contentType, limits);
  if (!ocr) throw new ExtractionError('No OCR language data is configured here, so images are not read.');
  const { createWorker, OEM } = await import('tesseract.js');
  const worker = await createWorker('eng', OEM.LSTM_ONLY, {
    langPath: ocr.langPath,
    gzip: ocr.gzip,
    cacheMethod: 'none',
    logger: (message) => {
      if (message.status === 'recognizing text') onProgress?.(message.progress);
    },
  });
  try {
    // tesseract.js reads an image's bytes whatever their wrapper; its types name Node's Buffer.
    const { data } = await worker.recognize(bytes as unknown as Parameters<typeof worker.recognize>[0]);
    return data.text;
  } catch (error) {
    throw new ExtractionError(`The image could not be read: ${reason(error)}`, { cause: error });
  } finally {
    await worker.terminate().catch(() => {});
  }
};
