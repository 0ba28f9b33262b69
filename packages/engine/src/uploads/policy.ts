/**
 * @module The one upload policy: which types are accepted (by their essence, whatever the case or
 * parameters), how large a file may be, and that its bytes are what its type says.
 */
import { HttpError } from '../errors.js';
import { checkContent, essence, sniffBytes } from './content-type.js';

/** What uploads may be. */
export interface UploadLimits {
  /** The largest file, in bytes. */
  maxBytes: number;
  /** Accepted MIME types; `image/*` style wildcards and `*\/*` allowed. */
  allowedTypes: readonly string[];
}

/**
 * Whether `mimeType` is one of `allowed`, compared by essence: `text/plain; charset=utf-8` and
 * `IMAGE/PNG` are `text/plain` and `image/png`.
 */
export const mimeAllowed = (mimeType: string, allowed: readonly string[]): boolean => {
  const type = essence(mimeType);
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase();
    return p === '*/*' || p === type || (p.endsWith('/*') && type.startsWith(p.slice(0, -1)));
  });
};

/** Throws 415 when the type is not accepted, 413 when a declared size is over the limit. */
export const checkUpload = (limits: UploadLimits, mimeType: string, size?: number): void => {
  if (!mimeAllowed(mimeType, limits.allowedTypes)) {
    throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `Files of type ${mimeType} are not accepted.`, {
      details: { mime_type: mimeType, allowed: [...limits.allowedTypes] },
    });
  }
  if (size !== undefined && size > limits.maxBytes) {
    throw new HttpError(
      'PAYLOAD_TOO_LARGE',
      `The file is ${size} bytes; the limit is ${limits.maxBytes} bytes.`,
      {
        details: { size, max_bytes: limits.maxBytes },
      },
    );
  }
};

const concat = (chunks: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
};

/**
 * A file's bytes, passed on once their head shows they are of `declaredType` (415 otherwise, before a
 * byte is passed on) and stopped with a 413 as soon as they grow past `maxBytes`. Feed it to a blob
 * store: a refused file is never stored whole.
 */
export async function* checkedBytes(
  source: AsyncIterable<Uint8Array>,
  declaredType: string,
  maxBytes: number,
): AsyncGenerator<Uint8Array> {
  const head: Uint8Array[] = [];
  let size = 0;
  let checked = false;
  const check = async (bytes: Uint8Array, complete: boolean) => {
    const result = await checkContent(bytes, declaredType, complete);
    if (!result.ok) {
      throw new HttpError('UNSUPPORTED_MEDIA_TYPE', result.reason, {
        details: { declared: declaredType, detected: result.detected ?? null },
      });
    }
    checked = true;
  };
  for await (const chunk of source) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new HttpError('PAYLOAD_TOO_LARGE', `The file is larger than the limit of ${maxBytes} bytes.`, {
        details: { max_bytes: maxBytes },
      });
    }
    if (checked) {
      yield chunk;
      continue;
    }
    head.push(chunk);
    if (size >= sniffBytes) {
      const bytes = concat(head);
      await check(bytes, false);
      yield bytes;
    }
  }
  if (!checked) {
    const bytes = concat(head);
    await check(bytes, true);
    yield bytes;
  }
}
