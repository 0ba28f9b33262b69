import { readFile } from 'node:fs/promises';
import { detectFileType } from '@cartrita/engine';
import { describe, expect, it } from 'vitest';
import { defaultExtractionLimits, extractText } from './extract-text.js';

const fixture = (name: string) =>
  readFile(new URL(`../../../../tests/fixtures/files/${name}`, import.meta.url));

/** Each fixture, the type its bytes are, and words its text holds. */
const cases = [
  ['sample.pdf', 'application/pdf', 'otter named Florentine'],
  [
    'sample.docx',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'quokka named Wilbur',
  ],
  [
    'sample.xlsx',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'pelican named Marguerite',
  ],
  [
    'sample.pptx',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'tortoise named Ignatius',
  ],
  ['sample.odt', 'application/vnd.oasis.opendocument.text', 'quokka named Wilbur'],
  ['sample.ods', 'application/vnd.oasis.opendocument.spreadsheet', 'heron named Bartholomew'],
  ['sample.odp', 'application/vnd.oasis.opendocument.presentation', 'lemur named Cornelius'],
  ['sample.html', 'text/html', 'violin maker named Teodora'],
] as const;

describe('extracting text from the fixtures', () => {
  it.each(cases)('%s is %s and its text says "%s"', async (name, type, words) => {
    const bytes = new Uint8Array(await fixture(name));
    expect(await detectFileType(bytes, name)).toBe(type);
    const text = await extractText({ bytes, contentType: type, limits: defaultExtractionLimits });
    expect(text.replace(/\s+/g, ' ')).toContain(words);
  });

  it.each([
    ['sample.png', 'image/png'],
    ['sample.jpg', 'image/jpeg'],
    ['sample.webp', 'image/webp'],
  ] as const)('reads the words of %s (%s) by OCR, offline', async (name, type) => {
    const bytes = new Uint8Array(await fixture(name));
    expect(await detectFileType(bytes, name)).toBe(type);
    const fractions: number[] = [];
    const text = await extractText({
      bytes,
      contentType: type,
      limits: defaultExtractionLimits,
      onProgress: (fraction) => fractions.push(fraction),
    });
    expect(text.trim()).toBe('Scanned penguin Bertrand');
    expect(fractions.at(-1)).toBe(1);
  });

  it.each([
    ['sample.txt', 'text/plain'],
    ['sample.md', 'text/markdown'],
    ['sample.csv', 'text/csv'],
    ['sample.json', 'application/json'],
  ] as const)('takes %s as %s by its own rule', async (name, type) => {
    expect(await detectFileType(new Uint8Array(await fixture(name)), name)).toBe(type);
  });
});
