/** @module Checks and refusals of WebSocket upgrade requests, before any WebSocket exists. */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { writeRawError } from '../http/raw-response.js';
import type { HttpError } from '../http-error.js';

/**
 * Answers an upgrade request with a plain HTTP error in the API's envelope and closes the socket,
 * so the client sees a real status (401, 403, 429, ...) instead of a WebSocket that opens and closes.
 */
export const rejectUpgrade = (socket: Duplex, error: HttpError, requestId: string): void =>
  writeRawError(socket, error, requestId);

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
