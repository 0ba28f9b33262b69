/**
 * @module Persona images (seed 003): uploaded bytes that must be a PNG, JPEG, WebP or GIF by content,
 * stripped of their metadata, stored under a new UUID name in the blob store and served from there.
 */
import { fileTypeFromBuffer } from 'file-type';
import type { BlobStore } from '../blobs.js';
import { HttpError } from '../errors.js';
import { MalformedImageError, type PersonaImageType, stripImageMetadata } from './image-metadata.js';

/** The extension each image type is stored and served under. */
export const imageExtensions: Readonly<Record<PersonaImageType, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/** The URL path images are served under. */
export const imagePathPrefix = '/api/personas/images/';

/** The default largest image, in bytes: 5 MiB. */
export const defaultMaxImageBytes = 5 * 1024 * 1024;

const blobPrefix = 'persona-images/';
const imageName = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(png|jpg|webp|gif)$/;

/** An animated PNG is a PNG with more chunks: it is stored and served as one. */
const typeOf = (detected: string | undefined): PersonaImageType | undefined => {
  const type = detected === 'image/apng' ? 'image/png' : detected;
  return type !== undefined && type in imageExtensions ? (type as PersonaImageType) : undefined;
};

/** A stored image, to serve. */
export interface PersonaImageBytes {
  contentType: PersonaImageType;
  size: number;
  bytes: AsyncIterable<Uint8Array>;
}

/** Persona images over a blob store. */
export class PersonaImages {
  readonly #blobs: BlobStore;
  readonly #maxBytes: number;

  constructor(blobs: BlobStore, maxBytes = defaultMaxImageBytes) {
    this.#blobs = blobs;
    this.#maxBytes = maxBytes;
  }

  /**
   * Takes an uploaded image: 413 as soon as it grows past the limit, 415 unless its bytes are a PNG,
   * JPEG, WebP or GIF (whatever type it was declared as). Stores it without its metadata.
   */
  async upload(source: AsyncIterable<Uint8Array>): Promise<{ image_path: string }> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of source) {
      size += chunk.length;
      if (size > this.#maxBytes) {
        throw new HttpError('PAYLOAD_TOO_LARGE', `The image is over the limit of ${this.#maxBytes} bytes.`, {
          details: { max_bytes: this.#maxBytes },
        });
      }
      chunks.push(chunk);
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    const detected = await fileTypeFromBuffer(bytes);
    const type = typeOf(detected?.mime);
    if (type === undefined) {
      throw new HttpError(
        'UNSUPPORTED_MEDIA_TYPE',
        `A persona image must be a PNG, JPEG, WebP or GIF; these bytes are ${detected?.mime ?? 'not an image'}.`,
        {
          details: {
            ...(detected === undefined ? {} : { detected: detected.mime }),
            allowed: Object.keys(imageExtensions),
          },
        },
      );
    }
    let clean: Uint8Array;
    try {
      clean = stripImageMetadata(bytes, type);
    } catch (error) {
      if (error instanceof MalformedImageError) {
        throw new HttpError('UNSUPPORTED_MEDIA_TYPE', `${error.message}.`, { details: { detected: type } });
      }
      throw error;
    }
    const name = `${crypto.randomUUID()}.${imageExtensions[type]}`;
    await this.#blobs.put(`${blobPrefix}${name}`, clean);
    return { image_path: `${imagePathPrefix}${name}` };
  }

  /** Whether `image_path` is where an uploaded image is served. */
  async exists(imagePath: string): Promise<boolean> {
    if (!imagePath.startsWith(imagePathPrefix)) return false;
    const name = imagePath.slice(imagePathPrefix.length);
    return imageName.test(name) && (await this.#blobs.stat(`${blobPrefix}${name}`)) !== undefined;
  }

  /** A stored image by its name (`<uuid>.png`); 404 when there is none. */
  async get(name: string): Promise<PersonaImageBytes> {
    const missing = () => new HttpError('NOT_FOUND', `No image ${name}.`);
    if (!imageName.test(name)) throw missing();
    const key = `${blobPrefix}${name}`;
    const [stat, bytes] = await Promise.all([this.#blobs.stat(key), this.#blobs.get(key)]);
    if (stat === undefined || bytes === undefined) throw missing();
    const extension = name.slice(name.lastIndexOf('.') + 1);
    const contentType = (Object.keys(imageExtensions) as PersonaImageType[]).find(
      (type) => imageExtensions[type] === extension,
    ) as PersonaImageType;
    return { contentType, size: stat.size, bytes };
  }
}
