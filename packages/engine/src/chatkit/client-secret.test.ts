import { expect, it } from 'vitest';
import { isClientSecretLike, signClientSecret, verifyClientSecret } from './client-secret.js';

const secret = 'client-secret-signing-key-for-tests';
const now = Date.parse('2026-01-01T00:00:00.000Z');
const payload = { sessionId: 'sess_1', userId: 'usr_1', expiresAt: new Date(now + 3_600_000) };

it('signs an opaque cks_ token that verifies back to its payload', async () => {
  const token = await signClientSecret(payload, secret);
  expect(token).toMatch(/^cks_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  expect(isClientSecretLike(token)).toBe(true);
  expect(await verifyClientSecret(token, secret, now)).toEqual({ ok: true, payload });
});

it('accepts the secret as bytes as well as a string', async () => {
  const bytes = Buffer.from(secret);
  expect((await verifyClientSecret(await signClientSecret(payload, bytes), secret, now)).ok).toBe(true);
});

it('reports an expired token as expired, at and after its expiry', async () => {
  const token = await signClientSecret(payload, secret);
  expect(await verifyClientSecret(token, secret, payload.expiresAt.getTime())).toEqual({
    ok: false,
    reason: 'expired',
  });
  expect(await verifyClientSecret(token, secret, now + 7_200_000)).toEqual({ ok: false, reason: 'expired' });
});

it('reports a token signed with another secret as a bad signature', async () => {
  const token = await signClientSecret(payload, 'another-signing-key-entirely');
  expect(await verifyClientSecret(token, secret, now)).toEqual({ ok: false, reason: 'bad_signature' });
});

it('reports a token whose payload was changed as a bad signature', async () => {
  const token = await signClientSecret(payload, secret);
  const [body, signature] = token.slice(4).split('.') as [string, string];
  const forged = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  forged.sid = 'sess_2';
  const tampered = `cks_${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
  expect(await verifyClientSecret(tampered, secret, now)).toEqual({ ok: false, reason: 'bad_signature' });
});

it('rejects another spelling of the same signature bytes', async () => {
  const token = await signClientSecret(payload, secret);
  const last = token.at(-1) as string;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // The final character of 43 base64url characters carries 4 bits; its low 2 bits are padding.
  const index = alphabet.indexOf(last);
  const twin = alphabet[index ^ 1] as string;
  const variant = `${token.slice(0, -1)}${twin}`;
  expect(Buffer.from(variant.split('.')[1] as string, 'base64url')).toEqual(
    Buffer.from(token.split('.')[1] as string, 'base64url'),
  );
  expect(await verifyClientSecret(variant, secret, now)).toEqual({ ok: false, reason: 'bad_signature' });
});

it('reports garbage as malformed', async () => {
  for (const token of [
    '',
    'cks_',
    'cks_abc',
    'cks_abc.def',
    'sk_live_123',
    `cks_${'a'.repeat(3000)}.${'b'.repeat(43)}`,
  ]) {
    expect(await verifyClientSecret(token, secret, now)).toEqual({ ok: false, reason: 'malformed' });
  }
});

it('refuses to sign with an empty secret or an invalid date', async () => {
  await expect(signClientSecret(payload, '')).rejects.toThrow(TypeError);
  await expect(signClientSecret({ ...payload, expiresAt: new Date(Number.NaN) }, secret)).rejects.toThrow(
    TypeError,
  );
});
