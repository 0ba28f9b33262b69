/** @module Reading a multipart form with one file and a few text fields, the file whole. */
import { HttpError } from '@cartrita/engine';
import busboy from 'busboy';
import type { Request } from 'express';

/** A form as {@link receiveForm} reads it. */
export interface ReceivedForm {
  file: { name: string; mimeType: string; bytes: Uint8Array };
  /** The text fields, the first value of each. */
  fields: Record<string, string>;
}

/** The longest text field kept, in characters. */
const maxFieldLength = 1000;

/**
 * Reads a `multipart/form-data` request: the file in `field`, whole, refused with a 413 as soon as it
 * grows past `maxBytes`, and every text field whichever side of the file it comes. Errors of the
 * request's streams are a 400, a form without the file a 422; none reaches the process.
 */
export const receiveForm = (req: Request, field: string, maxBytes: number): Promise<ReceivedForm> =>
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
        limits: { files: 1, fields: 20, fieldSize: maxFieldLength, fileSize: maxBytes },
      });
    } catch (error) {
      reject(new HttpError('BAD_REQUEST', 'The multipart form could not be read.', { cause: error }));
      return;
    }
    let settled = false;
    let file: ReceivedForm['file'] | undefined;
    let reading: Promise<void> | undefined;
    const fields: Record<string, string> = {};
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.resume();
      reject(error);
    };
    parser.on('field', (name, value) => {
      if (!(name in fields)) fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      stream.on('error', () => {});
      if (name !== field || reading) {
        stream.resume();
        return;
      }
      const parts: Buffer[] = [];
      reading = new Promise<void>((done) => {
        stream.on('data', (part: Buffer) => parts.push(part));
        stream.on('limit', () =>
          fail(
            new HttpError('PAYLOAD_TOO_LARGE', `The file is larger than the limit of ${maxBytes} bytes.`, {
              details: { max_bytes: maxBytes },
            }),
          ),
        );
        stream.on('end', () => {
          const bytes = Buffer.concat(parts);
          file = {
            name: info.filename || 'upload',
            mimeType: info.mimeType || 'application/octet-stream',
            bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
          };
          done();
        });
      });
    });
    parser.on('error', (error) =>
      fail(new HttpError('BAD_REQUEST', 'The multipart form could not be read.', { cause: error })),
    );
    parser.on('close', () => {
      void (reading ?? Promise.resolve()).then(() => {
        if (settled) return;
        if (!file) {
          fail(
            new HttpError('VALIDATION_ERROR', `The form has no file in the field "${field}".`, {
              details: { fields: [{ path: field, message: 'Required' }] },
            }),
          );
          return;
        }
        settled = true;
        resolve({ file, fields });
      });
    });
    req.on('error', (error) =>
      fail(new HttpError('BAD_REQUEST', 'The upload was interrupted.', { cause: error })),
    );
    req.pipe(parser);
  });
