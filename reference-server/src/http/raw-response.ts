/** @module Answering on a bare socket, where no Express response exists: refused upgrades and unparsable requests. */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorEnvelope, type HttpError } from '../http-error.js';

/**
 * Writes an error as a complete HTTP/1.1 response in the API's envelope, with `X-Request-Id`, then
 * closes the socket. For the places Node or `ws` hand over a socket instead of a response.
 */
export const writeRawError = (socket: Duplex, error: HttpError, requestId: string): void => {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(errorEnvelope(error, requestId));
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'X-Request-Id': requestId,
    ...error.headers,
    Connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value.replace(/[\r\n]+/g, ' ')}`)
    .join('\r\n');
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n${head}\r\n\r\n${body}`);
};
