/**
 * @module Which files the files area takes: the type is read from the bytes (`file-type` for binary
 * formats), text formats by their own rule. Never from the declared type.
 */
import { fileTypeFromBuffer } from 'file-type';
import { isText } from '../uploads/content-type.js';

/** Every type the files area accepts, and how its text is extracted. */
export const acceptedFileTypes = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'office',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'office',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'office',
  'application/vnd.oasis.opendocument.text': 'office',
  'application/vnd.oasis.opendocument.spreadsheet': 'office',
  'application/vnd.oasis.opendocument.presentation': 'office',
  'text/html': 'html',
  'text/plain': 'text',
  'text/markdown': 'text',
  'text/csv': 'text',
  'application/json': 'text',
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/webp': 'image',
} as const;

/** A type the files area accepts. */
export type AcceptedFileType = keyof typeof acceptedFileTypes;

/** How a type's text is got: read as it is, or by an extractor (PDF, Office, HTML, OCR). */
export type ExtractionKind = (typeof acceptedFileTypes)[AcceptedFileType];

const isAccepted = (type: string): type is AcceptedFileType => Object.hasOwn(acceptedFileTypes, type);

const extension = (filename: string): string => /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';

const looksLikeHtml = (text: string): boolean =>
  /^\s*(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(text);

const isJson = (text: string): boolean => {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
};

/**
 * The type of a text file. The bytes decide between HTML (it opens as an HTML document), JSON (it
 * parses) and the rest; plain text, Markdown and CSV have no mark of their own in the bytes, so the
 * name's extension (`.md`, `.markdown`, `.csv`) tells them apart, and anything else is plain text.
 */
const textType = (text: string, filename: string): AcceptedFileType => {
  if (looksLikeHtml(text)) return 'text/html';
  if (isJson(text)) return 'application/json';
  const ext = extension(filename);
  if (ext === 'md' || ext === 'markdown') return 'text/markdown';
  if (ext === 'csv') return 'text/csv';
  return 'text/plain';
};

/**
 * The accepted type of a whole file's bytes, or `undefined` when the files area does not take it.
 * Binary formats are what `file-type` finds; bytes it does not know are text when they are UTF-8
 * without NUL bytes.
 *
 * @example
 * await detectFileType(new TextEncoder().encode('# Notes'), 'notes.md'); // 'text/markdown'
 */
export const detectFileType = async (
  bytes: Uint8Array,
  filename: string,
): Promise<AcceptedFileType | undefined> => {
  const found = await fileTypeFromBuffer(bytes);
  if (found) return isAccepted(found.mime) ? found.mime : undefined;
  if (bytes.length === 0 || !isText(bytes, true)) return undefined;
  return textType(new TextDecoder().decode(bytes), filename);
};
