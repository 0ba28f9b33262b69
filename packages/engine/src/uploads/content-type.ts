/**
 * @module Whether an upload's bytes are what its declared type says: binary formats by their magic
 * numbers (`file-type`), text formats by being text.
 */
import { fileTypeFromBuffer } from 'file-type';

/** How many leading bytes the check needs: enough for `file-type` to see every format it knows. */
export const sniffBytes = 4100;

/** The answer of {@link checkContent}. */
export type ContentCheck = { ok: true } | { ok: false; detected: string | undefined; reason: string };

/** Other names clients use for a type, and the name `file-type` reports. */
const aliases: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
  'application/x-pdf': 'application/pdf',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'text/rtf': 'application/rtf',
};

/** Declared types whose bytes live in a container that `file-type` may name instead. */
const containers: Readonly<Record<string, string>> = {
  'application/msword': 'application/x-cfb',
  'application/vnd.ms-excel': 'application/x-cfb',
  'application/vnd.ms-powerpoint': 'application/x-cfb',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'application/zip',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'application/zip',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'application/zip',
  'application/vnd.oasis.opendocument.text': 'application/zip',
  'application/vnd.oasis.opendocument.spreadsheet': 'application/zip',
  'application/vnd.oasis.opendocument.presentation': 'application/zip',
};

/** A MIME type as it is stored and served: without parameters, in lower case. */
export const mediaType = (mimeType: string): string => (mimeType.split(';')[0] ?? '').trim().toLowerCase();

/** A MIME type without parameters, in lower case, under its usual name. */
export const essence = (mimeType: string): string => {
  const type = (mimeType.split(';')[0] ?? '').trim().toLowerCase();
  return aliases[type] ?? type;
};

/** Whether a type is text, checked by being text rather than by a magic number. */
export const isTextType = (type: string): boolean =>
  type.startsWith('text/') ||
  /^application\/(json|xml|x-ndjson|ld\+json|x-yaml|yaml|javascript)$/.test(type) ||
  type.endsWith('+json') ||
  type.endsWith('+xml');

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Whether bytes are UTF-8 text without NUL bytes. When `complete` is false the bytes are a file's
 * head, which may end inside a character: up to three trailing bytes of an unfinished sequence
 * are left out.
 */
export const isText = (bytes: Uint8Array, complete: boolean): boolean => {
  if (bytes.includes(0)) return false;
  let end = bytes.length;
  if (!complete) {
    // Step back over continuation bytes to the last lead byte; drop it if its sequence is cut.
    let lead = end - 1;
    while (lead >= 0 && lead > end - 4 && ((bytes[lead] as number) & 0xc0) === 0x80) lead--;
    if (lead >= 0) {
      const byte = bytes[lead] as number;
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      if (lead + length > end) end = lead;
    }
  }
  try {
    utf8.decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
};

/**
 * Checks a file's leading bytes (at least {@link sniffBytes} of them, or the whole file) against its
 * declared type. A text type must be UTF-8 text that no binary format claims; a binary type must
 * be what `file-type` finds (or the container it comes in: a zip for docx and odt, a compound file
 * for doc); `application/octet-stream` promises nothing and takes any bytes.
 *
 * @example
 * await checkContent(new TextEncoder().encode('<html>'), 'image/png', true); // { ok: false, detected: undefined, ... }
 */
export const checkContent = async (
  head: Uint8Array,
  declaredType: string,
  complete: boolean,
): Promise<ContentCheck> => {
  const declared = essence(declaredType);
  if (declared === 'application/octet-stream') return { ok: true };
  const found = await fileTypeFromBuffer(head);
  const detected = found === undefined ? undefined : essence(found.mime);
  if (isTextType(declared)) {
    if (detected === undefined && isText(head, complete)) return { ok: true };
    return {
      ok: false,
      detected,
      reason: `The file is declared as ${declared} but its bytes are ${detected ?? 'not UTF-8 text'}.`,
    };
  }
  if (detected !== undefined && (detected === declared || containers[declared] === detected)) {
    return { ok: true };
  }
  return {
    ok: false,
    detected,
    reason: `The file is declared as ${declared} but its bytes are ${detected ?? 'not of that type'}.`,
  };
};
