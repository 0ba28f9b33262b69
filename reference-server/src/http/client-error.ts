/** @module Requests Node's HTTP parser refuses, answered in the envelope like every other error. */
import type { Duplex } from 'node:stream';
import { HttpError } from '../http-error.js';
import type { Logger } from '../logger.js';
import { generateRequestId } from '../middleware/request-id/index.js';
import { writeRawError } from './raw-response.js';

/** Parser errors that have a status of their own; every other one is a 400. */
const statusByCode: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  ERR_HTTP_HEADERS_TIMEOUT: 408,
};

const messageByStatus: Readonly<Record<number, string>> = {
  400: 'The request is not valid HTTP and was refused.',
  408: 'The request did not arrive in time.',
  431: 'The request line or headers are too large (a URL, query or header over 16 KB).',
};

/**
 * The server's `clientError` hook: what Node's parser refuses (a query over the header limit, a raw
 * 0xFF byte, a duplicate `Content-Length`, `Content-Length` with `Transfer-Encoding`, a request that
 * arrives too slowly) gets the error envelope with an `X-Request-Id`, then the connection closes.
 * A connection reset by its peer, or one already answering a request, is just closed.
 *
 * @example
 * server.on('clientError', answerClientError(logger));
 */
export const answerClientError = (logger: Pick<Logger, 'debug'>) =>
  function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
    const answering = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (error.code === 'ECONNRESET' || !socket.writable || answering) {
      socket.destroy();
      return;
    }
    const requestId = generateRequestId();
    const status = statusByCode[error.code ?? ''] ?? 400;
    logger.debug({ requestId, code: error.code, status }, 'Refused a request the HTTP parser could not read');
    writeRawError(
      socket,
      new HttpError('BAD_REQUEST', messageByStatus[status] as string, {
        status,
        details: error.code === undefined ? {} : { reason: error.code },
      }),
      requestId,
    );
  };
