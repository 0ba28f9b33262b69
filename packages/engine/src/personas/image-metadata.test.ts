import { readFileSync } from 'node:fs';
import { fileTypeFromBuffer } from 'file-type';
import { describe, expect, it } from 'vitest';
import {
  exifOrientation,
  MalformedImageError,
  type PersonaImageType,
  stripImageMetadata,
} from './image-metadata.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../../tests/fixtures/images/${name}`, import.meta.url)));

const formats: [string, PersonaImageType][] = [
  ['png', 'image/png'],
  ['jpg', 'image/jpeg'],
  ['webp', 'image/webp'],
  ['gif', 'image/gif'],
];

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** Every trace of the metadata the fixtures carry. */
const traces = ['secret-comment', 'Somebody-Secret', 'Secretville', 'Exif\0\0', 'xpacket', 'XMP Data', 'GPS'];

/** The chunks of a WebP file: type and payload. */
const webpChunks = (bytes: Uint8Array) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: { type: string; data: Uint8Array }[] = [];
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = view.getUint32(at + 4, true);
    chunks.push({ type: latin1(bytes.subarray(at, at + 4)), data: bytes.subarray(at + 8, at + 8 + size) });
    at += 8 + size + (size % 2);
  }
  return chunks;
};

describe('stripping image metadata', () => {
  for (const [extension, type] of formats) {
    it(`returns a ${extension} without metadata byte for byte`, () => {
      const clean = fixture(`clean.${extension}`);
      expect(stripImageMetadata(clean, type)).toBe(clean);
    });

    it(`removes location, XMP, text and comments from a ${extension}`, async () => {
      const tagged = fixture(`with-metadata.${extension}`);
      for (const trace of ['Somebody-Secret']) expect(latin1(tagged)).toContain(trace);
      const stripped = stripImageMetadata(tagged, type);
      for (const trace of traces) expect(latin1(stripped), trace).not.toContain(trace);
      expect((await fileTypeFromBuffer(stripped))?.mime).toBe(type);
      expect(stripped.length).toBeLessThan(tagged.length);
    });
  }

  it('gives back the very image the metadata was added to, for PNG, JPEG and GIF', () => {
    for (const [extension, type] of formats.filter(([extension]) => extension !== 'webp')) {
      expect(Buffer.from(stripImageMetadata(fixture(`with-metadata.${extension}`), type))).toEqual(
        Buffer.from(fixture(`clean.${extension}`)),
      );
    }
  });

  it('keeps a WebP’s image chunk as it was and clears its VP8X metadata flags and RIFF size', () => {
    const clean = fixture('clean.webp');
    const tagged = fixture('with-metadata.webp');
    const before = webpChunks(tagged);
    expect(before.map((chunk) => chunk.type)).toEqual(['VP8X', 'VP8 ', 'EXIF', 'XMP ']);
    expect((before[0]?.data[0] ?? 0) & 0x0c).toBe(0x0c);
    const stripped = stripImageMetadata(tagged, 'image/webp');
    const after = webpChunks(stripped);
    expect(after.map((chunk) => chunk.type)).toEqual(['VP8X', 'VP8 ']);
    expect(after[0]?.data[0]).toBe((before[0]?.data[0] ?? 0) & ~0x0c);
    expect(Buffer.from(after[1]?.data ?? [])).toEqual(Buffer.from(webpChunks(clean)[0]?.data ?? []));
    expect(new DataView(stripped.buffer, stripped.byteOffset).getUint32(4, true)).toBe(stripped.length - 8);
  });

  it('keeps a turned JPEG’s EXIF orientation, and nothing else of its EXIF', () => {
    const tagged = fixture('rotated-with-metadata.jpg');
    expect(latin1(tagged)).toContain('secret-comment');
    const stripped = stripImageMetadata(tagged, 'image/jpeg');
    for (const trace of ['secret-comment', 'xpacket']) expect(latin1(stripped)).not.toContain(trace);
    const clean = fixture('clean.jpg');
    // SOI and JFIF's APP0 (20 bytes), then an APP1 of the orientation alone, then the clean image's rest.
    const segment = stripped.subarray(20, 56);
    expect([...segment.subarray(0, 4)]).toEqual([0xff, 0xe1, 0x00, 0x22]);
    expect(exifOrientation(segment.subarray(4))).toBe(6);
    expect(exifOrientation(tagged.subarray(24, 24 + 0xb0 - 2))).toBe(6);
    expect(Buffer.from([...stripped.subarray(0, 20), ...stripped.subarray(56)])).toEqual(Buffer.from(clean));
  });

  it('drops bytes after the end of a PNG and a JPEG', () => {
    for (const [extension, type] of [
      ['png', 'image/png'],
      ['jpg', 'image/jpeg'],
    ] as const) {
      const clean = fixture(`clean.${extension}`);
      const trailing = new Uint8Array([
        ...clean,
        ...new TextEncoder().encode('GPS 48.85N hidden after the end'),
      ]);
      expect(Buffer.from(stripImageMetadata(trailing, type))).toEqual(Buffer.from(clean));
    }
  });

  it('refuses an image cut short', () => {
    for (const [extension, type] of formats) {
      const clean = fixture(`clean.${extension}`);
      expect(() => stripImageMetadata(clean.subarray(0, clean.length - 6), type), extension).toThrow(
        MalformedImageError,
      );
    }
  });
});
