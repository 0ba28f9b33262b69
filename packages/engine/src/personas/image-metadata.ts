/**
 * @module Removing location and other metadata from PNG, JPEG, WebP and GIF images without
 * re-encoding them: the chunks, segments and extensions that carry it are left out and every other
 * byte is kept, so an image that carries none comes back byte for byte. (See decision 0021.)
 */

/** The image types a persona's image may be. */
export type PersonaImageType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';

/** Thrown when an image's structure cannot be walked (cut short, lengths past its end). */
export class MalformedImageError extends Error {
  override readonly name = 'MalformedImageError';
}

const malformed = (type: string, why: string): never => {
  throw new MalformedImageError(`The ${type} image is malformed: ${why}`);
};

/** A byte range `[start, end)` of the input to keep, or new bytes to put in its place. */
type Part = [number, number] | Uint8Array;

/** The parts joined; the input itself when they are one range covering it whole. */
const keep = (bytes: Uint8Array, parts: readonly Part[]): Uint8Array => {
  const merged: Part[] = [];
  for (const part of parts) {
    if (part instanceof Uint8Array) {
      merged.push(part);
      continue;
    }
    const [start, end] = part;
    if (end <= start) continue;
    const previous = merged.at(-1);
    if (previous && !(previous instanceof Uint8Array) && previous[1] === start) previous[1] = end;
    else merged.push([start, end]);
  }
  const only = merged[0];
  if (
    merged.length === 1 &&
    only &&
    !(only instanceof Uint8Array) &&
    only[0] === 0 &&
    only[1] === bytes.length
  ) {
    return bytes;
  }
  const length = (part: Part) => (part instanceof Uint8Array ? part.length : part[1] - part[0]);
  const out = new Uint8Array(merged.reduce((sum, part) => sum + length(part), 0));
  let offset = 0;
  for (const part of merged) {
    out.set(part instanceof Uint8Array ? part : bytes.subarray(part[0], part[1]), offset);
    offset += length(part);
  }
  return out;
};

const ascii = (bytes: Uint8Array, start: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(start, start + length));

const u32be = (bytes: Uint8Array, at: number): number =>
  (((bytes[at] as number) << 24) >>> 0) +
  ((bytes[at + 1] as number) << 16) +
  ((bytes[at + 2] as number) << 8) +
  (bytes[at + 3] as number);

const u32le = (bytes: Uint8Array, at: number): number =>
  (bytes[at] as number) +
  ((bytes[at + 1] as number) << 8) +
  ((bytes[at + 2] as number) << 16) +
  (((bytes[at + 3] as number) << 24) >>> 0);

/** PNG chunks that carry text or EXIF. */
const pngMetadata = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf']);

const stripPng = (bytes: Uint8Array): Uint8Array => {
  const ranges: [number, number][] = [[0, 8]];
  let at = 8;
  for (;;) {
    if (at + 12 > bytes.length) malformed('PNG', 'it ends before its IEND chunk');
    const length = u32be(bytes, at);
    const type = ascii(bytes, at + 4, 4);
    const end = at + 12 + length;
    if (end > bytes.length) malformed('PNG', `its ${type} chunk runs past the end`);
    if (!pngMetadata.has(type)) ranges.push([at, end]);
    at = end;
    // Bytes after IEND are no part of the image; they go too.
    if (type === 'IEND') break;
  }
  return keep(bytes, ranges);
};

/** JPEG segments that carry metadata: APP1 (EXIF, XMP), APP13 (Photoshop, IPTC) and COM. */
const jpegMetadata = new Set([0xe1, 0xed, 0xfe]);

/**
 * The EXIF orientation (2 to 8) of an APP1 segment's payload, when it has one that turns the image;
 * `undefined` for anything else (no EXIF, upright, or a structure that cannot be read).
 */
export const exifOrientation = (payload: Uint8Array): number | undefined => {
  if (payload.length < 14 || ascii(payload, 0, 6) !== 'Exif\0\0') return undefined;
  const tiff = payload.subarray(6);
  const order = ascii(tiff, 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const little = order === 'II';
  const u16 = (at: number) =>
    little
      ? (tiff[at] as number) + ((tiff[at + 1] as number) << 8)
      : ((tiff[at] as number) << 8) + (tiff[at + 1] as number);
  const u32 = (at: number) => (little ? u32le(tiff, at) : u32be(tiff, at));
  const ifd = u32(4);
  if (ifd + 2 > tiff.length) return undefined;
  const count = u16(ifd);
  for (let entry = ifd + 2, i = 0; i < count && entry + 12 <= tiff.length; i++, entry += 12) {
    if (u16(entry) !== 0x0112) continue;
    const value = u16(entry + 8);
    return u16(entry + 2) === 3 && value >= 2 && value <= 8 ? value : undefined;
  }
  return undefined;
};

/** An APP1 segment holding only an EXIF orientation: what a turned photo keeps so it still shows upright. */
const orientationSegment = (orientation: number): Uint8Array =>
  new Uint8Array([
    0xff,
    0xe1,
    0x00,
    0x22,
    0x45,
    0x78,
    0x69,
    0x66,
    0x00,
    0x00,
    0x4d,
    0x4d,
    0x00,
    0x2a,
    0x00,
    0x00,
    0x00,
    0x08,
    0x00,
    0x01,
    0x01,
    0x12,
    0x00,
    0x03,
    0x00,
    0x00,
    0x00,
    0x01,
    0x00,
    orientation,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
  ]);

const stripJpeg = (bytes: Uint8Array): Uint8Array => {
  const ranges: Part[] = [[0, 2]];
  let oriented = false;
  let at = 2;
  for (;;) {
    if (at >= bytes.length) malformed('JPEG', 'it ends before its EOI marker');
    if (bytes[at] !== 0xff) malformed('JPEG', `a marker was expected at byte ${at}`);
    let markerAt = at;
    // Fill bytes (0xFF) may come before a marker.
    while (bytes[markerAt + 1] === 0xff) markerAt++;
    const marker = bytes[markerAt + 1];
    if (marker === undefined) malformed('JPEG', 'it ends inside a marker');
    if (marker === 0xd9) {
      ranges.push([at, markerAt + 2]);
      break;
    }
    if (marker === 0x01 || (marker !== undefined && marker >= 0xd0 && marker <= 0xd7)) {
      ranges.push([at, markerAt + 2]);
      at = markerAt + 2;
      continue;
    }
    if (markerAt + 4 > bytes.length) malformed('JPEG', 'it ends inside a segment header');
    const length = ((bytes[markerAt + 2] as number) << 8) + (bytes[markerAt + 3] as number);
    if (length < 2) malformed('JPEG', `a segment at byte ${markerAt} has length ${length}`);
    let end = markerAt + 2 + length;
    if (end > bytes.length) malformed('JPEG', `a segment at byte ${markerAt} runs past the end`);
    if (marker === 0xda) {
      // The entropy-coded data of a scan runs to the next marker that is not a stuffed 0xFF00 or a restart.
      while (end < bytes.length) {
        if (bytes[end] === 0xff) {
          const next = bytes[end + 1];
          if (next !== undefined && next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) break;
        }
        end++;
      }
      if (end >= bytes.length) malformed('JPEG', 'it ends inside a scan');
    }
    if (!jpegMetadata.has(marker as number)) ranges.push([at, end]);
    else if (marker === 0xe1 && !oriented) {
      // The orientation is how the image is shown, not who or where it is: a turned photo keeps it.
      const orientation = exifOrientation(bytes.subarray(markerAt + 4, end));
      if (orientation !== undefined) {
        ranges.push(orientationSegment(orientation));
        oriented = true;
      }
    }
    at = end;
  }
  return keep(bytes, ranges);
};

/** The VP8X flags of EXIF and XMP metadata. */
const vp8xExif = 0x08;
const vp8xXmp = 0x04;

const stripWebp = (bytes: Uint8Array): Uint8Array => {
  if (bytes.length < 12) malformed('WebP', 'it is shorter than its header');
  const riffEnd = Math.min(bytes.length, 8 + u32le(bytes, 4));
  const ranges: [number, number][] = [[0, 12]];
  let removed = false;
  let vp8xAt = -1;
  let at = 12;
  while (at + 8 <= riffEnd) {
    const type = ascii(bytes, at, 4);
    const size = u32le(bytes, at + 4);
    const end = at + 8 + size + (size % 2);
    if (at + 8 + size > riffEnd) malformed('WebP', `its ${type} chunk runs past the end`);
    if (type === 'EXIF' || type === 'XMP ') removed = true;
    else ranges.push([at, Math.min(end, riffEnd)]);
    if (type === 'VP8X') vp8xAt = at;
    at = end;
  }
  const flags = vp8xAt >= 0 ? (bytes[vp8xAt + 8] as number) : 0;
  const flagsChange = flags & (vp8xExif | vp8xXmp);
  if (!removed && flagsChange === 0 && riffEnd === bytes.length) return bytes;
  const out = keep(bytes, ranges);
  const copy = out === bytes ? bytes.slice() : out;
  const view = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
  view.setUint32(4, copy.length - 8, true);
  if (vp8xAt >= 0) {
    // The VP8X chunk kept its place among the kept chunks: find it again in the output.
    let scan = 12;
    while (scan + 8 <= copy.length) {
      const size = view.getUint32(scan + 4, true);
      if (ascii(copy, scan, 4) === 'VP8X') {
        copy[scan + 8] = (copy[scan + 8] as number) & ~(vp8xExif | vp8xXmp);
        break;
      }
      scan += 8 + size + (size % 2);
    }
  }
  return copy;
};

/** GIF application extensions that carry metadata: XMP, and IPTC or Photoshop data. */
const gifMetadataApps = new Set(['XMP DataXMP', 'MGK8BIM0000', 'MGKIPTC0000']);

const stripGif = (bytes: Uint8Array): Uint8Array => {
  if (bytes.length < 13) malformed('GIF', 'it is shorter than its header');
  const colorTable = (packed: number) => ((packed & 0x80) !== 0 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);
  let at = 13 + colorTable(bytes[10] as number);
  const ranges: [number, number][] = [[0, at]];
  /** The end of the sub-blocks starting at `from`, past their terminator. */
  const subBlocks = (from: number): number => {
    let pos = from;
    for (;;) {
      const size = bytes[pos];
      if (size === undefined) malformed('GIF', 'it ends inside a block');
      pos += 1 + (size as number);
      if (size === 0) return pos;
    }
  };
  for (;;) {
    const introducer = bytes[at];
    if (introducer === undefined) malformed('GIF', 'it ends before its trailer');
    if (introducer === 0x3b) {
      ranges.push([at, at + 1]);
      break;
    }
    if (introducer === 0x21) {
      const label = bytes[at + 1];
      const end = subBlocks(at + 2);
      const isMetadata =
        label === 0xfe ||
        (label === 0xff && bytes[at + 2] === 11 && gifMetadataApps.has(ascii(bytes, at + 3, 11)));
      if (!isMetadata) ranges.push([at, end]);
      at = end;
    } else if (introducer === 0x2c) {
      if (at + 10 > bytes.length) malformed('GIF', 'it ends inside an image descriptor');
      const dataAt = at + 10 + colorTable(bytes[at + 9] as number) + 1;
      const end = subBlocks(dataAt);
      ranges.push([at, end]);
      at = end;
    } else {
      malformed('GIF', `byte ${at} starts no block`);
    }
  }
  return keep(bytes, ranges);
};

/**
 * The image without its metadata: PNG `tEXt`, `zTXt`, `iTXt` and `eXIf` chunks; JPEG APP1, APP13 and
 * COM segments (a JPEG turned by its EXIF orientation keeps an APP1 holding that orientation alone); WebP `EXIF` and `XMP ` chunks (and their VP8X flags); GIF comment extensions and XMP
 * or IPTC application extensions. Nothing is decoded or re-encoded; an image without any of them is
 * returned as it is (the same array).
 *
 * @throws {MalformedImageError} when the image's structure cannot be walked.
 */
export const stripImageMetadata = (bytes: Uint8Array, type: PersonaImageType): Uint8Array => {
  switch (type) {
    case 'image/png':
      return stripPng(bytes);
    case 'image/jpeg':
      return stripJpeg(bytes);
    case 'image/webp':
      return stripWebp(bytes);
    case 'image/gif':
      return stripGif(bytes);
  }
};
