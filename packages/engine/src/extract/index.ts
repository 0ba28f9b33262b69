/**
 * @module @cartrita/engine/extract: the real parsers behind file extraction (`unpdf`, `officeparser`,
 * `tesseract.js`), shared by the reference server's worker threads and the mocks. The parsers are
 * optional peer dependencies, loaded when the first file of their family is read; a bundle that uses
 * only `readPdf` holds only `unpdf`.
 */

export { allReaders } from './all.js';
export { readImage } from './image.js';
export { type ImageSize, imageSize } from './image-size.js';
export { createInThreadExtractor, type InThreadExtractorOptions } from './in-thread.js';
export {
  defaultExtractionLimits,
  type ExtractionLimits,
  type FamilyReader,
  type OcrData,
  type ReaderInput,
} from './limits.js';
export { readHtml, readOffice } from './office.js';
export {
  type ExtractTextInput,
  extractText,
  type FamilyReaders,
  familyOf,
  type ParsedFamily,
} from './parsers.js';
export { readPdf } from './pdf.js';
