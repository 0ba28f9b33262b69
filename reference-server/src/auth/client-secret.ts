/**
 * @module Client secrets: short-lived signed tokens, scoped to one session and its user, that a browser
 * may hold instead of an API key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a client secret asserts. */
export interface ClientSecretPayload {
  /** The session the secret is scoped to. */
  sessionId: string;
  /** The user the session belongs to. */
  userId: string;
  /** When the secret stops being accepted. */
  expiresAt: Date;
}

/** Why a token was rejected. */
export type ClientSecretFailure = 'malformed' | 'bad_signature' | 'expired';

/** The result of {@link verifyClientSecret}. */
export type ClientSecretVerification =
  | { ok: true; payload: ClientSecretPayload }
  | { ok: false; reason: ClientSecretFailure };

/** The key material a client secret is signed with: the configured or persisted signing secret. */
export type SigningKey = string | Uint8Array;

/** Every client secret starts with this prefix, which tells it apart from an API key. */
export const clientSecretPrefix = 'cks_';

/** Longer tokens are rejected as malformed before any work is done. */
const maxTokenLength = 2048;
const tokenPattern = /^cks_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

/** Whether a credential has the shape of a client secret (not whether it is valid). */
export const isClientSecretLike = (token: string): boolean => token.startsWith(clientSecretPrefix);

/**
 * Signs a client secret: `cks_<base64url JSON payload>.<base64url HMAC-SHA256>`. The MAC covers the
 * prefix and the payload and is keyed with a key derived from `secret` for this one purpose, so the
 * same signing secret can safely sign other kinds of token later.
 *
 * @example
 * const token = signClientSecret({ sessionId: 'sess_1', userId: 'usr_1', expiresAt: new Date(Date.now() + 3600_000) }, secret);
 */
export const signClientSecret = (payload: ClientSecretPayload, secret: SigningKey): string => {
  const expires = payload.expiresAt.getTime();
  if (!Number.isFinite(expires)) throw new TypeError('expiresAt must be a valid date');
  const body = Buffer.from(
    JSON.stringify({ v: 1, sid: payload.sessionId, uid: payload.userId, exp: expires }),
    'utf8',
  ).toString('base64url');
  const signed = `${clientSecretPrefix}${body}`;
  return `${signed}.${mac(signed, secret).toString('base64url')}`;
};

/**
 * Checks a client secret's shape, signature (compared in constant time) and expiry, in that order.
 * Expired means correctly signed but past `expiresAt` at `now` (milliseconds since the epoch).
 */
export const verifyClientSecret = (
  token: string,
  secret: SigningKey,
  now: number = Date.now(),
): ClientSecretVerification => {
  if (token.length > maxTokenLength) return { ok: false, reason: 'malformed' };
  const match = tokenPattern.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, body, signature] = match as unknown as [string, string, string];
  // Compare the encoded strings, not decoded bytes: base64url ignores the low bits of the last
  // character, so comparing bytes would accept several spellings of one signature.
  const expected = Buffer.from(mac(`${clientSecretPrefix}${body}`, secret).toString('base64url'), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  const payload = decodePayload(body);
  if (!payload) return { ok: false, reason: 'malformed' };
  if (payload.expiresAt.getTime() <= now) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
};

const decodePayload = (body: string): ClientSecretPayload | undefined => {
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { v, sid, uid, exp } = data as Record<string, unknown>;
  if (v !== 1 || typeof sid !== 'string' || typeof uid !== 'string' || typeof exp !== 'number') {
    return undefined;
  }
  if (!Number.isFinite(exp)) return undefined;
  return { sessionId: sid, userId: uid, expiresAt: new Date(exp) };
};

const mac = (data: string, secret: SigningKey): Buffer => {
  if (secret.length === 0) throw new TypeError('the signing secret must not be empty');
  const key = createHmac('sha256', secret).update('cartrita/client-secret/v1').digest();
  return createHmac('sha256', key).update(data).digest();
};
