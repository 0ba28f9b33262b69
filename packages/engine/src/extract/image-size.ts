/**
 * @module The pixel size of a PNG, JPEG or WebP from its header, read before any decoder sees the
 * image, so an image that declares a huge canvas is refused without allocating it.
 */

/** An image's declared width and height, in pixels. */
export interface ImageSize {
  width: number;
  height: number;
}

const pngSize = (bytes: Uint8Array, view: DataView): ImageSize | undefined =>
  bytes.length >= 24 ? { width: view.getUint32(16), height: view.getUint32(20) } : undefined;

const jpegSize = (bytes: Uint8Array, view: DataView): ImageSize | undefined => {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] as number;
    // Fill bytes before a marker.
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const length = view.getUint16(offset + 2);
    // Start of frame markers (SOF0–SOF15, less DHT, JPG and DAC) carry the size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    if (length < 2) return undefined;
    offset += 2 + length;
  }
  return undefined;
};

const webpSize = (bytes: Uint8Array, view: DataView): ImageSize | undefined => {
  if (bytes.length < 30) return undefined;
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk === 'VP8X') {
    const width = 1 + (view.getUint16(24, true) | ((bytes[26] as number) << 16));
    const height = 1 + (view.getUint16(27, true) | ((bytes[29] as number) << 16));
    return { width, height };
  }
  if (chunk === 'VP8 ') {
    return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return undefined;
};

/**
 * The declared size of a PNG, JPEG or WebP, or `undefined` when its header cannot be read.
 *
 * @example
 * imageSize(pngBytes, 'image/png'); // { width: 320, height: 80 }
 */
export const imageSize = (bytes: Uint8Array, type: string): ImageSize | undefined => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (type === 'image/png') return pngSize(bytes, view);
  if (type === 'image/jpeg') return jpegSize(bytes, view);
  if (type === 'image/webp') return webpSize(bytes, view);
  return undefined;
};
