/**
 * @module Signing with HMAC-SHA256 over Web Crypto, so the server and the mocks (in Node or in a
 * browser) sign client secrets and attachment URLs the same way.
 */

const encoder = new TextEncoder();

/** Bytes as unpadded base64url. */
export const toBase64Url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** Unpadded base64url as bytes, or `undefined` when it is not base64url. */
export const fromBase64Url = (text: string): Uint8Array | undefined => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
};

/** Compares two strings in time that depends only on their lengths. */
export const constantTimeEqual = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
};

/** Signs and checks messages, with one key per purpose derived from one secret. */
export interface Signer {
  /** The base64url HMAC-SHA256 of `data` under the key of `purpose`. */
  sign(purpose: string, data: string): Promise<string>;
  /** Whether `signature` is that of `data` for `purpose`, compared in constant time. */
  verify(purpose: string, data: string, signature: string): Promise<boolean>;
}

const hmacKey = (raw: Uint8Array<ArrayBuffer>) =>
  crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);

const hmac = async (key: CryptoKey, data: string) =>
  new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data)));

/**
 * A {@link Signer} over `secret` (at least one byte). Each purpose (`client-secret`,
 * `attachment-url`, ...) signs with its own key, `HMAC(secret, "cartrita/<purpose>/v1")`, so a
 * signature made for one purpose is never valid for another.
 *
 * @example
 * const signer = createSigner(secretBytes);
 * const sig = await signer.sign('attachment-url', 'preview\natc_1\n1767225600');
 */
export const createSigner = (secret: Uint8Array | string): Signer => {
  // A copy: the key must not change with the caller's buffer, and Web Crypto wants its own ArrayBuffer.
  const raw = typeof secret === 'string' ? encoder.encode(secret) : new Uint8Array(secret);
  if (raw.length === 0) throw new TypeError('the signing secret must not be empty');
  const root = hmacKey(raw);
  const keys = new Map<string, Promise<CryptoKey>>();
  const keyFor = (purpose: string) => {
    let key = keys.get(purpose);
    if (!key) {
      key = root.then((rootKey) => hmac(rootKey, `cartrita/${purpose}/v1`)).then(hmacKey);
      keys.set(purpose, key);
    }
    return key;
  };
  const sign = async (purpose: string, data: string) => toBase64Url(await hmac(await keyFor(purpose), data));
  return {
    sign,
    // Compares the encoded strings, not decoded bytes: base64url ignores the low bits of the last
    // character, so comparing bytes would accept several spellings of one signature.
    verify: async (purpose, data, signature) => constantTimeEqual(signature, await sign(purpose, data)),
  };
};
