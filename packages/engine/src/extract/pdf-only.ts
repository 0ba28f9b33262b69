/**
 * @module @cartrita/engine/extract/pdf: what a browser runs of the extraction, PDFs with `unpdf`, and
 * nothing that loads `officeparser` or `tesseract.js`, so a bundler never reaches them.
 */
export { createInThreadExtractor, type InThreadExtractorOptions } from './in-thread.js';
export { defaultExtractionLimits, type ExtractionLimits, type FamilyReader } from './limits.js';
export { type FamilyReaders, familyOf, type ParsedFamily } from './parsers.js';
export { readPdf } from './pdf.js';
