/**
 * @module Client secrets: short-lived signed tokens, scoped to one session and its user, that a browser
 * may hold instead of an API key.
 */
import { createSigner, fromBase64Url, type Signer, toBase64Url } from '../signer.js';

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

/** What a client secret is signed with: a {@link Signer}, or the secret to make one from. */
export type SigningKey = Signer | string | Uint8Array;

const signerOf = (key: SigningKey): Signer =>
  typeof key === 'string' || key instanceof Uint8Array ? createSigner(key) : key;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Every client secret starts with this prefix, which tells it apart from an API key. */
export const clientSecretPrefix = 'cks_';

/** Longer tokens are rejected as malformed before any work is done. */
const maxTokenLength = 2048;
const tokenPattern = /^cks_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

/** Whether a credential has the shape of a client secret (not whether it is valid). */
export const isClientSecretLike = (token: string): boolean => token.startsWith(clientSecretPrefix);

/**
 * Signs a client secret: `cks_<base64url JSON payload>.<base64url HMAC-SHA256>`. The MAC covers the
 * prefix and the payload and is made with the signer's `client-secret` key, derived for this one
 * purpose, so the same signing secret safely signs other things too.
 *
 * @example
 * const token = signClientSecret({ sessionId: 'sess_1', userId: 'usr_1', expiresAt: new Date(Date.now() + 3600_000) }, secret);
 */
export const signClientSecret = async (payload: ClientSecretPayload, key: SigningKey): Promise<string> => {
  const expires = payload.expiresAt.getTime();
  if (!Number.isFinite(expires)) throw new TypeError('expiresAt must be a valid date');
  const body = toBase64Url(
    encoder.encode(JSON.stringify({ v: 1, sid: payload.sessionId, uid: payload.userId, exp: expires })),
  );
  const signed = `${clientSecretPrefix}${body}`;
  return `${signed}.${await signerOf(key).sign('client-secret', signed)}`;
};

/**
 * Checks a client secret's shape, signature (compared in constant time) and expiry, in that order.
 * Expired means correctly signed but past `expiresAt` at `now` (milliseconds since the epoch).
 */
export const verifyClientSecret = async (
  token: string,
  key: SigningKey,
  now: number = Date.now(),
): Promise<ClientSecretVerification> => {
  if (token.length > maxTokenLength) return { ok: false, reason: 'malformed' };
  const match = tokenPattern.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, body, signature] = match as unknown as [string, string, string];
  if (!(await signerOf(key).verify('client-secret', `${clientSecretPrefix}${body}`, signature))) {
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
    const bytes = fromBase64Url(body);
    if (!bytes) return undefined;
    data = JSON.parse(decoder.decode(bytes));
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

/**
 * Remembers the client secrets that verified, so a secret sent with every request of a busy
 * session costs one HMAC, not one per request. Only valid secrets are kept (at most `size`, the
 * oldest forgotten first), and each is still checked for expiry on every use; a secret is stateless,
 * so a remembered one can be trusted exactly as long as it has not expired.
 */
export const rememberingVerifier = (
  verify: (token: string) => Promise<ClientSecretVerification>,
  now: () => number,
  size = 10_000,
): ((token: string) => Promise<ClientSecretVerification>) => {
  const verified = new Map<string, ClientSecretPayload>();
  return async (token) => {
    const payload = verified.get(token);
    if (payload) {
      if (payload.expiresAt.getTime() > now()) return { ok: true, payload };
      verified.delete(token);
      return { ok: false, reason: 'expired' };
    }
    const result = await verify(token);
    if (result.ok) {
      if (verified.size >= size) verified.delete(verified.keys().next().value as string);
      verified.set(token, result.payload);
    }
    return result;
  };
};
