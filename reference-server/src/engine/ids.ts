import { randomBytes } from 'node:crypto';
import { type IdKind, idPrefixes } from '@cartrita/contracts';

/** A new id of the given kind: its prefix and 8 random hex characters (`thr_1f0b741c`). */
export const newId = (kind: IdKind, bytes = 4): string =>
  `${idPrefixes[kind]}_${randomBytes(bytes).toString('hex')}`;

/** The current time as an ISO 8601 UTC string with milliseconds. */
export const now = (): string => new Date().toISOString();
