/** @module Receiving one file from a multipart form and handing its bytes over as they stream in. */

import type { IncomingFile } from '@cartrita/engine';
import busboy from 'busboy';
import type { Request } from 'express';
import { HttpError, isHttpError } from '../http-error.js';

/**
 * Reads a `multipart/form-data` request and hands the file in `field` to `take` while its bytes
 * stream in (the engine checks, counts and stores them). Resolves what `take` resolves. Every error
 * of the request's streams (a client that goes away, a form cut off before its closing boundary)
 * rejects with a 400; `take`'s own refusal (413, 415) rejects as it is; none reaches the process.
 * A form without the file is a 422.
 */
export const receiveFile = <T>(
  req: Request,
  field: string,
  take: (file: IncomingFile) => Promise<T>,
): Promise<T> =>
  new Promise((resolve, reject) => {
    const type = req.headers['content-type'] ?? '';
    if (!type.toLowerCase().startsWith('multipart/form-data')) {
      reject(new HttpError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data.'));
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20 } });
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
    parser.on('file', (name, stream, info) => {
      // Busboy fails the file stream too when the form breaks off; that error is the parser's to
      // report, and must never be an unhandled 'error' event.
      stream.on('error', () => {});
      if (name !== field || found) {
        stream.resume();
        return;
      }
      found = true;
      const file: IncomingFile = {
        name: info.filename || 'upload',
        mimeType: info.mimeType || 'application/octet-stream',
        bytes: stream,
      };
      take(file).then(
        (result) => {
          if (settled) return;
          settled = true;
          resolve(result);
        },
        (error: unknown) => {
          stream.resume();
          fail(
            isHttpError(error)
              ? error
              : new HttpError('BAD_REQUEST', 'The upload was interrupted.', { cause: error }),
          );
        },
      );
    });
    parser.on('error', (error) =>
      fail(new HttpError('BAD_REQUEST', 'The multipart form could not be read.', { cause: error })),
    );
    parser.on('close', () => {
      if (!found) {
        fail(
          new HttpError('VALIDATION_ERROR', `The form has no file in the field "${field}".`, {
            details: { fields: [{ path: field, message: 'Required' }] },
          }),
        );
      }
    });
    req.on('error', (error) =>
      fail(new HttpError('BAD_REQUEST', 'The upload was interrupted.', { cause: error })),
    );
    req.pipe(parser);
  });
