/** @module Checks and refusals of WebSocket upgrade requests, before any WebSocket exists. */
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorEnvelope, type HttpError } from '../http-error.js';

/**
 * Answers an upgrade request with a plain HTTP error in the API's envelope and closes the socket,
 * so the client sees a real status (401, 403, 429, ...) instead of a WebSocket that opens and closes.
 */
export const rejectUpgrade = (socket: Duplex, error: HttpError, requestId: string): void => {
  if (socket.destroyed) return;
  const body = JSON.stringify(errorEnvelope(error, requestId));
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
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

/** The canonical form of an http(s) origin, or `undefined` for anything else (including `null`). */
const canonicalOrigin = (origin: string): string | undefined => {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Whether a WebSocket upgrade may come from its `Origin`. Browsers always send `Origin` on a
 * WebSocket handshake and the same-origin policy does not apply to WebSockets, so this check is
 * what stops another site's page from opening a socket with its visitor's credentials. Allowed:
 * no `Origin` at all (a server-side client), an origin of the CORS allowlist (`*` allows any), or
 * the server's own origin (`Host`, over http or https).
 */
export const originAllowed = (req: IncomingMessage, allowlist: readonly string[]): boolean => {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowlist.includes('*')) return true;
  const canonical = canonicalOrigin(origin);
  if (canonical === undefined) return false;
  if (allowlist.some((allowed) => canonicalOrigin(allowed) === canonical)) return true;
  const host = req.headers.host;
  return (
    host !== undefined &&
    (canonical === canonicalOrigin(`http://${host}`) || canonical === canonicalOrigin(`https://${host}`))
  );
};
