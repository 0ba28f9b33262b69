/**
 * @module The Redis of the test run (`tests/global-setup.ts`), for tests that share it: they keep
 * apart by key prefix. A test that must stop or cut its Redis starts its own with
 * `startRedisServer()` from `tests/redis.ts`.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { missingRedisMessage } from './redis.js';

/** The URL of the test run's Redis; throws, saying why, when there is none. */
export function testRedisUrl(): string {
  const url = inject('cartritaRedisUrl');
  if (!url) throw new Error(inject('cartritaRedisError') || missingRedisMessage);
  return url;
}

/** A key prefix no other test uses: `test:<random>:`. */
export function uniquePrefix(): string {
  return `test:${randomBytes(6).toString('hex')}:`;
}
