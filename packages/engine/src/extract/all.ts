/** @module Every family's reader: what Node runs (the server's worker threads, the Node mocks). */
import { readImage } from './image.js';
import { readHtml, readOffice } from './office.js';
import type { FamilyReaders } from './parsers.js';
import { readPdf } from './pdf.js';

/** PDFs, Office and OpenDocument files, HTML pages and images. */
export const allReaders: FamilyReaders = {
  pdf: readPdf,
  office: readOffice,
  html: readHtml,
  image: readImage,
};
