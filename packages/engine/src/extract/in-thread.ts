/**
 * @module An extractor that runs the parsers in the calling thread: what the mocks use. The reference
 * server runs the same parsers in a worker thread per file instead, so a runaway parser cannot stall
 * its requests.
 */
import { ExtractionError, type TextExtractor } from '../files/extractor.js';
import { defaultExtractionLimits, type ExtractionLimits, type OcrData } from './limits.js';
import { extractText, type FamilyReaders } from './parsers.js';

/** Options of {@link createInThreadExtractor}. */
export interface InThreadExtractorOptions {
  limits?: Partial<ExtractionLimits>;
  /** The readers of the families read here: `allReaders` in Node, `{ pdf: readPdf }` in a browser. */
  readers: FamilyReaders;
  /** Where the OCR language data is (found when first needed); images fail without it. */
  ocr?: OcrData | (() => Promise<OcrData>);
  /** Said in the reason of a file whose family is not read here. */
  unsupportedHint?: string;
}

/**
 * The parsers as an extractor, in this thread. A file deleted while it is read ends `failed` once
 * its parser returns, as parsers cannot be stopped midway here.
 *
 * @example
 * createStore({ fileExtractor: createInThreadExtractor({ readers: { pdf: readPdf } }) });
 */
export const createInThreadExtractor = (options: InThreadExtractorOptions): TextExtractor => {
  const limits = { ...defaultExtractionLimits, ...options.limits };
  let ocr: Promise<OcrData> | undefined;
  const ocrData = () => {
    const given = options.ocr;
    if (given === undefined) return undefined;
    ocr ??= typeof given === 'function' ? given() : Promise.resolve(given);
    return ocr;
  };
  return {
    async extract({ bytes, content_type, signal, onProgress }) {
      const stopped = () => new ExtractionError('The extraction was stopped.');
      if (signal.aborted) throw stopped();
      const data = content_type.startsWith('image/') ? await ocrData() : undefined;
      const text = await extractText({
        bytes,
        contentType: content_type,
        limits,
        readers: options.readers,
        ...(data ? { ocr: data } : {}),
        ...(onProgress ? { onProgress } : {}),
        ...(options.unsupportedHint ? { unsupportedHint: options.unsupportedHint } : {}),
      });
      if (signal.aborted) throw stopped();
      return text;
    },
  };
};
