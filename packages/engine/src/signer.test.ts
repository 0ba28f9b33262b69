import { createHmac } from 'node:crypto';
import { expect, it } from 'vitest';
import { constantTimeEqual, createSigner, fromBase64Url, toBase64Url } from './signer.js';

it('signs with HMAC-SHA256 under a key derived per purpose', async () => {
  const signer = createSigner('a-signing-secret');
  const key = createHmac('sha256', 'a-signing-secret').update('cartrita/client-secret/v1').digest();
  const expected = createHmac('sha256', key).update('payload').digest('base64url');
  expect(await signer.sign('client-secret', 'payload')).toBe(expected);
  expect(await signer.sign('attachment-url', 'payload')).not.toBe(expected);
});

it('verifies its own signatures and nothing else', async () => {
  const signer = createSigner(new Uint8Array([1, 2, 3]));
  const signature = await signer.sign('p', 'data');
  expect(await signer.verify('p', 'data', signature)).toBe(true);
  expect(await signer.verify('p', 'data!', signature)).toBe(false);
  expect(await signer.verify('q', 'data', signature)).toBe(false);
  expect(await createSigner(new Uint8Array([9])).verify('p', 'data', signature)).toBe(false);
  // Another spelling of the same last bits is not the signature.
  const last = signature.at(-1) as string;
  const twin = `${signature.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
  expect(await signer.verify('p', 'data', twin)).toBe(false);
});

it('refuses an empty secret', () => {
  expect(() => createSigner('')).toThrow(TypeError);
});

it('encodes base64url without padding and decodes it back', () => {
  const bytes = new Uint8Array([251, 255, 0, 62, 63]);
  expect(toBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
  expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
  expect(fromBase64Url('not base64!')).toBeUndefined();
  expect(constantTimeEqual('abc', 'abc')).toBe(true);
  expect(constantTimeEqual('abc', 'abd')).toBe(false);
});
