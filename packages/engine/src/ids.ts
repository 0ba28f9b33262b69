/** @module The one id policy: a type prefix and random hex, from Web Crypto in Node and browsers alike. */
import { type IdKind, idPrefixes } from '@cartrita/contracts';

/** `bytes` random bytes as lower-case hex. */
export const randomHex = (bytes: number): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');

/** A new id of the given kind: its prefix and `2 × bytes` random hex characters (`thr_1f0b741c`). */
export const newId = (kind: IdKind, bytes = 4): string => `${idPrefixes[kind]}_${randomHex(bytes)}`;

/** The current time as an ISO 8601 UTC string with milliseconds. */
export const now = (): string => new Date().toISOString();
