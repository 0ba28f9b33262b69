/** @module Receiving one file from a multipart form: streamed to the blob store, its bytes checked on the way. */
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request } from 'express';
import { checkContent, sniffBytes } from '../engine/uploads/content-type.js';
import { HttpError, isHttpError } from '../http-error.js';
import type { BlobStore } from '../storage/blob-store.js';

/** A file received from a multipart form and already stored. */
export interface ReceivedFile {
  name: string;
  mimeType: string;
  size: number;
  blobKey: string;
}

/** Options of {@link receiveFile}. */
export interface ReceiveFileOptions {
  /** The form field that carries the file. */
  field: string;
  maxBytes: number;
  blobs: BlobStore;
  /** The key to store the bytes under. */
  blobKey: string;
  /**
   * The type the bytes must be; default the type the form declares for the file. A two-phase
   * upload passes the type its attachment was created with.
   */
  declaredType?: string;
  /** Checks the file's declared type before any byte is stored; throws to refuse it. */
  accept?(file: { name: string; mimeType: string }): void;
}

/**
 * The file's bytes, held back until its head shows they are of the declared type: a 415
 * `UNSUPPORTED_MEDIA_TYPE` is thrown before anything is stored when they are not.
 */
async function* checkedBytes(stream: Readable, declaredType: string): AsyncGenerator<Uint8Array> {
  const head: Buffer[] = [];
  let size = 0;
  let checked = false;
  const check = async (bytes: Buffer, complete: boolean) => {
    const result = await checkContent(bytes, declaredType, complete);
    if (!result.ok) {
      throw new HttpError('UNSUPPORTED_MEDIA_TYPE', result.reason, {
        details: { declared: declaredType, detected: result.detected ?? null },
      });
    }
    checked = true;
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (checked) {
      yield chunk;
      continue;
    }
    head.push(chunk);
    size += chunk.length;
    if (size >= sniffBytes) {
      const bytes = Buffer.concat(head);
      await check(bytes, false);
      yield bytes;
    }
  }
  if (!checked) {
    const bytes = Buffer.concat(head);
    await check(bytes, true);
    yield bytes;
  }
}

/**
 * Streams one file from a `multipart/form-data` request into the blob store, refusing it as soon
 * as it exceeds `maxBytes` (413) or its bytes turn out not to be of the declared type (415), and
 * leaving no partial blob behind. Every error of the request's streams (a client that goes away, a
 * form cut off before its closing boundary) rejects with a 400; none reaches the process.
 */
export const receiveFile = (req: Request, options: ReceiveFileOptions): Promise<ReceivedFile> =>
  new Promise((resolve, reject) => {
    const type = req.headers['content-type'] ?? '';
    if (!type.toLowerCase().startsWith('multipart/form-data')) {
      reject(new HttpError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data.'));
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: options.maxBytes + 1, fields: 20 },
      });
    } catch (error) {
      reject(new HttpError('BAD_REQUEST', 'The multipart form could not be read.', { cause: error }));
      return;
    }
    let settled = false;
    let found = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.resume();
      reject(error);
    };
    const unreadable = (error: unknown) =>
      new HttpError('BAD_REQUEST', 'The multipart form could not be read.', { cause: error });

    parser.on('file', (field, stream, info) => {
      // Busboy fails the file stream too when the form breaks off; that error is the parser's to
      // report, and must never be an unhandled 'error' event.
      stream.on('error', () => {});
      if (field !== options.field || found) {
        stream.resume();
        return;
      }
      found = true;
      const file = { name: info.filename || 'upload', mimeType: info.mimeType || 'application/octet-stream' };
      try {
        options.accept?.(file);
      } catch (error) {
        stream.resume();
        fail(error);
        return;
      }
      let truncated = false;
      const tooLarge = () =>
        new HttpError(
          'PAYLOAD_TOO_LARGE',
          `The file is larger than the limit of ${options.maxBytes} bytes.`,
          {
            details: { max_bytes: options.maxBytes },
          },
        );
      stream.on('limit', () => {
        truncated = true;
        stream.destroy();
      });
      options.blobs.put(options.blobKey, checkedBytes(stream, options.declaredType ?? file.mimeType)).then(
        async ({ size }) => {
          if (truncated) {
            await options.blobs.delete(options.blobKey).catch(() => false);
            fail(tooLarge());
            return;
          }
          if (settled) return;
          settled = true;
          resolve({ ...file, size, blobKey: options.blobKey });
        },
        (error: unknown) => {
          fail(
            truncated
              ? tooLarge()
              : isHttpError(error)
                ? error
                : new HttpError('BAD_REQUEST', 'The upload was interrupted.', { cause: error }),
          );
        },
      );
    });
    parser.on('error', (error) => fail(unreadable(error)));
    parser.on('close', () => {
      if (!found)
        fail(
          new HttpError('VALIDATION_ERROR', `The form has no file in the field "${options.field}".`, {
            details: { fields: [{ path: options.field, message: 'Required' }] },
          }),
        );
    });
    req.on('error', (error) =>
      fail(new HttpError('BAD_REQUEST', 'The upload was interrupted.', { cause: error })),
    );
    req.pipe(parser);
  });
