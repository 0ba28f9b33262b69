import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpError } from '../http-error.js';
import type { IdempotencyStore } from '../storage/idempotency-store.js';

const keyPattern = /^[\w.:-]{1,255}$/;

/** Who the key belongs to: two callers may use the same key without meeting. */
const scopeOf = (req: Request): string => {
  const auth = req.auth;
  if (auth?.kind === 'api_key') return `key:${auth.keyId}:${auth.userId ?? ''}`;
  if (auth?.kind === 'client_secret') return `session:${auth.sessionId}`;
  return `ip:${req.ip ?? 'unknown'}`;
};

/** Options of {@link idempotency}. */
export interface IdempotencyOptions {
  /**
   * Requests whose key is ignored: those answered with a stream. A stream cannot be replayed, and a
   * client that lost one resumes it or reloads the thread rather than sending it again.
   */
  skip?: (req: Request) => boolean;
}

/**
 * Honours `Idempotency-Key` on POST: the first request with a key runs and its JSON answer is kept
 * for 24 hours; a repeat gets the same answer (`Idempotent-Replayed: true`) without running again;
 * a repeat while the first is still running gets 409; the same key on a different request gets 422.
 * Server errors (5xx) release the key so a retry can run. Streamed answers are left out (see
 * {@link IdempotencyOptions.skip}).
 */
export const idempotency = (store: IdempotencyStore, options: IdempotencyOptions = {}) =>
  async function idempotency(req: Request, res: Response, next: NextFunction): Promise<void> {
    const key = req.get('Idempotency-Key');
    if (req.method !== 'POST' || key === undefined || options.skip?.(req)) return next();
    if (!keyPattern.test(key)) {
      throw new HttpError('VALIDATION_ERROR', 'Idempotency-Key must be 1-255 letters, digits or . _ : -', {
        details: { fields: [{ path: 'headers.idempotency-key', message: 'Invalid format' }] },
      });
    }
    const scope = scopeOf(req);
    const bodyHash = createHash('sha256')
      .update(Buffer.isBuffer(req.body) ? req.body : JSON.stringify(req.body ?? null))
      .digest('hex');
    const outcome = await store.begin(scope, key, { method: req.method, path: req.originalUrl, bodyHash });
    if (outcome === 'in_progress') {
      throw new HttpError('IDEMPOTENCY_CONFLICT', 'A request with this Idempotency-Key is still running.', {
        headers: { 'Retry-After': '1' },
      });
    }
    if (outcome === 'mismatch') {
      throw new HttpError(
        'VALIDATION_ERROR',
        'This Idempotency-Key was already used for a different request.',
        {
          status: 422,
          details: {
            fields: [{ path: 'headers.idempotency-key', message: 'Reused with a different request' }],
          },
        },
      );
    }
    if (outcome !== 'new') {
      const { statusCode, headers, body } = outcome.replay;
      res
        .status(statusCode)
        .set({ ...headers, 'Idempotent-Replayed': 'true' })
        .end(Buffer.from(body));
      return;
    }

    let captured: Buffer | undefined;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      captured = Buffer.from(JSON.stringify(body));
      return json(body);
    };
    res.on('finish', () => {
      const settle =
        res.statusCode >= 500 || captured === undefined
          ? store.release(scope, key)
          : store.complete(scope, key, {
              statusCode: res.statusCode,
              headers: { 'Content-Type': 'application/json; charset=utf-8' },
              body: captured,
            });
      settle.catch(() => {});
    });
    res.on('close', () => {
      if (!res.writableFinished) store.release(scope, key).catch(() => {});
    });
    next();
  } as RequestHandler;
