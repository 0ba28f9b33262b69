import { type IdKind, idPrefixes } from '@cartrita/contracts';

/** `count` random bytes as lowercase hex. Uses Web Crypto, so it runs in Node and in browsers. */
export const randomHex = (bytes: number): string => {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return Array.from(buffer, (byte) => byte.toString(16).padStart(2, '0')).join('');
};

/** A new id in the reference server's style: the kind's prefix and 8 hex characters (`thr_3f9a1c2b`). */
export const newId = (kind: IdKind): string => `${idPrefixes[kind]}_${randomHex(4)}`;

/** A request id as the server sends it in `X-Request-Id` (`req_3f9a1c2b7d4e`). */
export const newRequestId = (): string => `${idPrefixes.request}_${randomHex(6)}`;

/** The current time as ISO 8601 UTC with a `Z`. */
export const now = (): string => new Date().toISOString();
