/** @module PDFs with `unpdf` (pdf.js), which runs in Node and in browsers. */
import { ExtractionError } from '../files/extractor.js';
import { type FamilyReader, reason } from './limits.js';

/** The text of a PDF, all pages merged; refused past `maxPages`. */
export const readPdf: FamilyReader = async ({ bytes, limits }) => {
  const { extractText, getDocumentProxy } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // A copy: pdf.js takes the buffer over.
    pdf = await getDocumentProxy(bytes.slice(), { maxImageSize: 16_777_216, verbosity: 0 });
  } catch (error) {
    throw new ExtractionError(`The PDF could not be read: ${reason(error)}`, { cause: error });
  }
  if (pdf.numPages > limits.maxPages) {
    throw new ExtractionError(`The PDF has ${pdf.numPages} pages; the limit is ${limits.maxPages}.`);
  }
  const { text } = await extractText(pdf, { mergePages: true });
  return text;
};
