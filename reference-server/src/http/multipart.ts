import busboy from 'busboy';
import type { Request } from 'express';
import { HttpError } from '../http-error.js';
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
  /** Checks the file's declared type before any byte is stored; throws to refuse it. */
  accept?(file: { name: string; mimeType: string }): void;
}

/**
 * Streams one file from a `multipart/form-data` request into the blob store, refusing it as soon
 * as it exceeds `maxBytes` (413) and leaving no partial blob behind.
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

    parser.on('file', (field, stream, info) => {
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
      options.blobs.put(options.blobKey, stream).then(
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
              : new HttpError('BAD_REQUEST', 'The upload was interrupted.', { cause: error }),
          );
        },
      );
    });
    parser.on('error', (error) =>
      fail(new HttpError('BAD_REQUEST', 'The multipart form could not be read.', { cause: error })),
    );
    parser.on('close', () => {
      if (!found)
        fail(
          new HttpError('VALIDATION_ERROR', `The form has no file in the field "${options.field}".`, {
            details: { fields: [{ path: options.field, message: 'Required' }] },
          }),
        );
    });
    req.pipe(parser);
  });
