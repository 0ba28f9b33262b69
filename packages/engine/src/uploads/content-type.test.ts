import { describe, expect, it } from 'vitest';
import { checkContent, essence, isText, isTextType } from './content-type.js';

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const zip = Buffer.from('504b0304140000000000000000000000000000000000000000000000000000', 'hex');
const cfb = Buffer.from('d0cf11e0a1b11ae1000000000000000000000000000000003e000300feff0900', 'hex');
const html = Buffer.from('<!doctype html><script>alert(1)</script>');

describe('checkContent', () => {
  it('accepts binary files whose bytes are their declared type, whatever its case or parameters', async () => {
    expect(await checkContent(png, 'image/png', true)).toEqual({ ok: true });
    expect(await checkContent(png, 'IMAGE/PNG; name=x', true)).toEqual({ ok: true });
    expect(await checkContent(pdf, 'application/pdf', true)).toEqual({ ok: true });
  });

  it('refuses bytes that are another type, or no known type, with what they are', async () => {
    expect(await checkContent(html, 'image/png', true)).toEqual({
      ok: false,
      detected: undefined,
      reason: 'The file is declared as image/png but its bytes are not of that type.',
    });
    expect(await checkContent(png, 'application/pdf', true)).toMatchObject({
      ok: false,
      detected: 'image/png',
    });
  });

  it('accepts Office and OpenDocument files in the container file-type finds', async () => {
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    expect(await checkContent(zip, docx, true)).toEqual({ ok: true });
    expect(await checkContent(cfb, 'application/msword', true)).toEqual({ ok: true });
    expect(await checkContent(zip, 'application/msword', true)).toMatchObject({ ok: false });
  });

  it('takes text types by being UTF-8 text that no binary format claims', async () => {
    expect(await checkContent(Buffer.from('a,b\n1,2\n'), 'text/csv', true)).toEqual({ ok: true });
    expect(await checkContent(Buffer.from('{"a":"ü"}'), 'application/json; charset=utf-8', true)).toEqual({
      ok: true,
    });
    expect(await checkContent(png, 'text/plain', true)).toMatchObject({ ok: false, detected: 'image/png' });
    expect(await checkContent(Buffer.from([0x61, 0x00, 0x62]), 'text/plain', true)).toMatchObject({
      ok: false,
      reason: 'The file is declared as text/plain but its bytes are not UTF-8 text.',
    });
    expect(await checkContent(Buffer.from([0x61, 0xff, 0x62]), 'text/markdown', true)).toMatchObject({
      ok: false,
    });
  });

  it('lets application/octet-stream promise nothing', async () => {
    expect(await checkContent(html, 'application/octet-stream', true)).toEqual({ ok: true });
  });
});

describe('isText', () => {
  it('allows a file head that ends inside a character, but not a whole file that does', () => {
    const cut = Buffer.from('añ').subarray(0, 2);
    expect(isText(cut, false)).toBe(true);
    expect(isText(cut, true)).toBe(false);
    expect(isText(Buffer.from('日本語').subarray(0, 7), false)).toBe(true);
  });
});

describe('essence and isTextType', () => {
  it('names types without parameters, in lower case, under their usual name', () => {
    expect(essence('Image/JPG; q=1')).toBe('image/jpeg');
    expect(essence('text/plain; charset=utf-8')).toBe('text/plain');
    expect(isTextType('application/ld+json')).toBe(true);
    expect(isTextType('image/svg+xml')).toBe(true);
    expect(isTextType('image/png')).toBe(false);
  });
});
