import { describe, expect, it } from 'vitest';
import { isHttpError } from '../errors.js';
import { checkedBytes, checkUpload, mimeAllowed } from './policy.js';

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

async function* chunks(...parts: Uint8Array[]) {
  yield* parts;
}

const drain = async (source: AsyncIterable<Uint8Array>) => {
  let size = 0;
  for await (const chunk of source) size += chunk.length;
  return size;
};

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (isHttpError(error)) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('mimeAllowed', () => {
  it('compares types by essence, whatever the case or parameters', () => {
    const allowed = ['text/plain', 'image/*'];
    expect(mimeAllowed('text/plain; charset=utf-8', allowed)).toBe(true);
    expect(mimeAllowed('IMAGE/PNG', allowed)).toBe(true);
    expect(mimeAllowed('Text/Plain;charset="UTF-8"', allowed)).toBe(true);
    expect(mimeAllowed('application/pdf', allowed)).toBe(false);
    expect(mimeAllowed('application/pdf', ['*/*'])).toBe(true);
  });
});

describe('checkUpload', () => {
  const limits = { maxBytes: 10, allowedTypes: ['text/plain'] };
  it('refuses a type not accepted with 415 and a declared size over the limit with 413', () => {
    expect(() => checkUpload(limits, 'TEXT/PLAIN; charset=utf-8', 10)).not.toThrow();
    expect(() => checkUpload(limits, 'image/png', 1)).toThrow(/Files of type image\/png are not accepted/);
    expect(() => checkUpload(limits, 'text/plain', 11)).toThrow(
      'The file is 11 bytes; the limit is 10 bytes.',
    );
  });
});

describe('checkedBytes', () => {
  it('passes every byte of a file of its declared type, in order', async () => {
    const text = new TextEncoder().encode('x'.repeat(5000));
    expect(await drain(checkedBytes(chunks(text.slice(0, 100), text.slice(100)), 'text/plain', 10_000))).toBe(
      5000,
    );
    expect(await drain(checkedBytes(chunks(png), 'image/png', 10_000))).toBe(png.length);
  });

  it('refuses bytes that are not the declared type before passing any on', async () => {
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
    const passed: Uint8Array[] = [];
    const refused = await failure(
      (async () => {
        for await (const chunk of checkedBytes(chunks(html), 'image/png', 10_000)) passed.push(chunk);
      })(),
    );
    expect(refused).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(passed).toEqual([]);
  });

  it('stops a file that grows past the limit with 413', async () => {
    const refused = await failure(
      drain(checkedBytes(chunks(new Uint8Array(8), new Uint8Array(8)), 'application/octet-stream', 12)),
    );
    expect(refused).toEqual({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The file is larger than the limit of 12 bytes.',
    });
  });
});
