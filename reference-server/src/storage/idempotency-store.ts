import type { Kysely } from 'kysely';
import { fromJson, toJson } from './codec.js';
import type { Database } from './schema.js';

/** What identifies a request, so a reused key with a different request can be refused. */
export interface IdempotencyFingerprint {
  method: string;
  path: string;
  /** A hash of the request body (e.g. SHA-256, hex). */
  bodyHash: string;
}

/** A remembered response, replayed for a repeated request. */
export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * The outcome of {@link IdempotencyStore.begin}:
 * - `'new'`: first time; run the request, then `complete` (or `release` if it failed).
 * - `'in_progress'`: the same request is running now; answer 409 and let the client retry later.
 * - `'mismatch'`: the key was used for a different method, path or body; answer 422.
 * - `{replay}`: it already ran; send the stored response again.
 */
export type IdempotencyBeginResult = 'new' | 'in_progress' | 'mismatch' | { replay: StoredResponse };

/** Keys are remembered this long (24 hours); older ones count as unused. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Remembered responses for `Idempotency-Key`, per scope (who called: a user id or an API key id). */
export interface IdempotencyStore {
  /** Claims the key for this request, or says why not. Atomic: of two racing calls one gets `'new'`. */
  begin(
    scope: string,
    key: string,
    fingerprint: IdempotencyFingerprint,
    now?: Date,
  ): Promise<IdempotencyBeginResult>;
  /** Stores the response of a request begun with `'new'`. */
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  /** Forgets a key whose request failed before it had a response to remember, so a retry can run. */
  release(scope: string, key: string): Promise<void>;
  /** Deletes keys created before `before` (default: 24 hours ago); returns how many. */
  purgeOlderThan(before?: Date): Promise<number>;
}

/** Builds the {@link IdempotencyStore} over a database. */
export function createIdempotencyStore(db: Kysely<Database>): IdempotencyStore {
  return {
    async begin(scope, key, fingerprint, now = new Date()) {
      const expired = new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString();
      // A row can vanish between the insert and the read (released or purged); then claim again.
      for (let attempt = 0; attempt < 3; attempt++) {
        await db
          .deleteFrom('idempotency_keys')
          .where('scope', '=', scope)
          .where('key', '=', key)
          .where('created_at', '<', expired)
          .execute();
        const inserted = await db
          .insertInto('idempotency_keys')
          .values({
            scope,
            key,
            method: fingerprint.method,
            path: fingerprint.path,
            body_hash: fingerprint.bodyHash,
            state: 'in_progress',
            status_code: null,
            response_headers: null,
            response_body: null,
            created_at: now.toISOString(),
          })
          .onConflict((conflict) => conflict.columns(['scope', 'key']).doNothing())
          .executeTakeFirst();
        if ((inserted.numInsertedOrUpdatedRows ?? 0n) > 0n) return 'new';
        const row = await db
          .selectFrom('idempotency_keys')
          .selectAll()
          .where('scope', '=', scope)
          .where('key', '=', key)
          .executeTakeFirst();
        if (!row) continue;
        if (
          row.method !== fingerprint.method ||
          row.path !== fingerprint.path ||
          row.body_hash !== fingerprint.bodyHash
        ) {
          return 'mismatch';
        }
        if (row.state === 'in_progress') return 'in_progress';
        return {
          replay: {
            statusCode: row.status_code ?? 200,
            headers:
              row.response_headers === null ? {} : fromJson<Record<string, string>>(row.response_headers),
            body: row.response_body ?? new Uint8Array(),
          },
        };
      }
      return 'in_progress';
    },

    async complete(scope, key, response) {
      await db
        .updateTable('idempotency_keys')
        .set({
          state: 'completed',
          status_code: response.statusCode,
          response_headers: toJson(response.headers),
          response_body: response.body,
        })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .execute();
    },

    async release(scope, key) {
      await db
        .deleteFrom('idempotency_keys')
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('state', '=', 'in_progress')
        .execute();
    },

    async purgeOlderThan(before = new Date(Date.now() - IDEMPOTENCY_TTL_MS)) {
      const result = await db
        .deleteFrom('idempotency_keys')
        .where('created_at', '<', before.toISOString())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
