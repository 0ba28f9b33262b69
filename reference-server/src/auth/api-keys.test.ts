import { beforeEach, expect, it, vi } from 'vitest';

const compare = vi.hoisted(() => ({ calls: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compare.calls++;
      return actual.timingSafeEqual(a, b);
    },
  };
});

const { createApiKey, generateApiKey, hashApiKey, matchApiKey, parseApiKeys } = await import('./api-keys.js');

beforeEach(() => {
  compare.calls = 0;
});

it('parses name, scopes and secret, keeping only the SHA-256 hash', () => {
  const [key] = parseApiKeys('ops:admin+chat:secret-0123456789abc');
  expect(key?.id).toBe('ops');
  expect(key?.scopes).toEqual(['admin', 'chat']);
  expect(key?.hash.toString('hex')).toBe(hashApiKey('secret-0123456789abc').toString('hex'));
  expect(JSON.stringify(key)).not.toContain('secret-0123456789abc');
});

it('takes everything after the second colon as the secret', () => {
  const [key] = parseApiKeys('a::part:two:three-0123456789');
  expect(key?.scopes).toEqual([]);
  expect(key?.hash.equals(hashApiKey('part:two:three-0123456789'))).toBe(true);
});

it('accepts a key given by its sha256 hash', () => {
  const hex = hashApiKey('the-real-secret-123').toString('hex');
  const keys = parseApiKeys(`hashed:chat:sha256:${hex}`);
  expect(matchApiKey('the-real-secret-123', keys)?.id).toBe('hashed');
});

it('rejects malformed entries without repeating the secret', () => {
  for (const [spec, message] of [
    ['just-a-secret-value-here', /entry 1 must look like name:scope1\+scope2:secret/],
    ['ok:admin:0123456789abcdef,:admin:secret-0123456789', /entry 2 must look like/],
    ['bad name:admin:0123456789abcdef', /key name must be/],
    ['ops:Admin:0123456789abcdef', /invalid scope "Admin"/],
    ['ops:admin:short', /shorter than 16 characters/],
    ['ops:admin:sha256:abc', /shorter than 16 characters/],
  ] as const) {
    try {
      parseApiKeys(spec);
      expect.unreachable(spec);
    } catch (error) {
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('0123456789abcdef');
      expect((error as Error).message).not.toContain('just-a-secret');
    }
  }
  expect(() => createApiKey({ name: 'x', sha256: 'zz' })).toThrow(/64 hexadecimal/);
  expect(() => createApiKey({ name: 'x' })).toThrow(/needs a secret or a sha256/);
});

it('finds the key a token belongs to and nothing for an unknown token', () => {
  const keys = parseApiKeys('a:chat:secret-a-0123456789,b:admin:secret-b-0123456789');
  expect(matchApiKey('secret-b-0123456789', keys)?.id).toBe('b');
  expect(matchApiKey('secret-c-0123456789', keys)).toBeUndefined();
  expect(matchApiKey('', keys)).toBeUndefined();
});

it('compares a token with every configured key even after a match', () => {
  const keys = parseApiKeys('a:x:secret-a-0123456789,b:x:secret-b-0123456789,c:x:secret-c-0123456789');
  compare.calls = 0;
  matchApiKey('secret-a-0123456789', keys);
  expect(compare.calls).toBe(3);
});

it('generates long random keys that parse', () => {
  const secret = generateApiKey();
  expect(secret).toMatch(/^ck_[A-Za-z0-9_-]{43}$/);
  expect(generateApiKey()).not.toBe(secret);
  expect(matchApiKey(secret, parseApiKeys(`gen:chat:${secret}`))?.id).toBe('gen');
});
