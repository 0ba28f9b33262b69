/**
 * @module The files area's rules: uploads are taken by the type in their bytes and within the size
 * limit (nothing is kept of a refused one), then processed in the queue; each user reaches only their
 * own files.
 */
import type {
  FileDeleted,
  FileInfo,
  FileList,
  FileProcessingStatus,
  FileUploadResponse,
} from '@cartrita/contracts';
import type { BlobStore } from '../blobs.js';
import type { IncomingFile } from '../chatkit/attachments.js';
import type { Clock } from '../clock.js';
import { HttpError } from '../errors.js';
import { newId } from '../ids.js';
import { acceptedFileTypes, detectFileType } from './file-types.js';
import type { FileProcessingQueue } from './processing-queue.js';
import type { ChunkHit, FileAreaRepositories, StoredFile } from './repositories.js';

/** The files area's limits. */
export interface FileLimits {
  /** The largest file, in bytes. */
  maxBytes: number;
}

/** The largest file the files area takes unless told otherwise: 20 MiB. */
export const defaultFileMaxBytes = 20 * 1024 * 1024;

/** What the files service works over. */
export interface FileServiceDeps {
  repositories: FileAreaRepositories;
  blobs: BlobStore;
  queue: FileProcessingQueue;
  clock: Clock;
  limits: FileLimits;
}

/** A search hit with its file's name. */
export interface FileSearchHit extends ChunkHit {
  filename: string;
}

/** Options of {@link FileService.upload}. */
export interface FileUploadOptions {
  /** The conversation the file was sent in, kept with it. */
  conversationId?: string;
}

/** A name fit to show and store: the last path segment, without control characters, at most 255 characters. */
const cleanName = (name: string): string => {
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean.slice(0, 255) || 'upload';
};

/** Reads a whole upload, refusing it with a 413 as soon as it grows past `maxBytes`. */
const readUpTo = async (source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Uint8Array> => {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of source) {
    size += part.length;
    if (size > maxBytes) {
      throw new HttpError('PAYLOAD_TOO_LARGE', `The file is larger than the limit of ${maxBytes} bytes.`, {
        details: { max_bytes: maxBytes },
      });
    }
    parts.push(part);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

/** A stored file as the API shows it. */
export const toFileInfo = (file: StoredFile): FileInfo => ({
  file_id: file.id,
  filename: file.filename,
  content_type: file.content_type,
  size: file.size,
  status: file.status,
  progress: file.progress,
  chunks_created: file.chunks_created,
  error: file.error,
  conversation_id: file.conversation_id,
  created_at: file.created_at,
  updated_at: file.updated_at,
});

/** A stored file's processing status as the API shows it. */
export const toProcessingStatus = (file: StoredFile): FileProcessingStatus => ({
  file_id: file.id,
  filename: file.filename,
  status: file.status,
  progress: file.progress,
  chunks_created: file.chunks_created,
  error: file.error,
});

/** Uploads, their status, the list of a user's files, deletion and search over their text. */
export class FileService {
  readonly #deps: FileServiceDeps;

  constructor(deps: FileServiceDeps) {
    this.#deps = deps;
  }

  /**
   * Takes an upload: 413 past the size limit, 415 when its bytes are of no accepted type (nothing is
   * stored either way); otherwise stores it `pending` and queues its processing.
   */
  async upload(
    file: IncomingFile,
    userId: string,
    options: FileUploadOptions = {},
  ): Promise<FileUploadResponse> {
    const { repositories, blobs, queue, clock, limits } = this.#deps;
    const filename = cleanName(file.name);
    const bytes = await readUpTo(file.bytes, limits.maxBytes);
    const contentType = await detectFileType(bytes, filename);
    if (contentType === undefined) {
      throw new HttpError(
        'UNSUPPORTED_MEDIA_TYPE',
        'The file is of no accepted type: PDF, docx, xlsx, pptx, odt, ods, odp, HTML, plain text, Markdown, CSV, JSON, PNG, JPEG or WebP.',
        { details: { accepted: Object.keys(acceptedFileTypes) } },
      );
    }
    const id = newId('file', 8);
    const blobKey = `files/${id}`;
    await blobs.put(blobKey, bytes);
    const at = clock.now().toISOString();
    const stored = await repositories.files
      .create({
        id,
        user_id: userId,
        filename,
        content_type: contentType,
        size: bytes.length,
        blob_key: blobKey,
        status: 'pending',
        progress: 0,
        chunks_created: 0,
        error: null,
        conversation_id: options.conversationId ?? null,
        created_at: at,
        updated_at: at,
      })
      .catch(async (error: unknown) => {
        await blobs.delete(blobKey);
        throw error;
      });
    queue.enqueue(stored.id);
    return {
      file_id: stored.id,
      filename: stored.filename,
      content_type: stored.content_type,
      size: stored.size,
      status: stored.status,
      message: 'The file was uploaded; its processing is queued.',
    };
  }

  /** A file of the caller's; another user's is reported as absent. */
  async get(fileId: string, userId: string): Promise<StoredFile> {
    const file = await this.#deps.repositories.files.get(fileId);
    if (!file || file.user_id !== userId) throw HttpError.notFound('file', fileId);
    return file;
  }

  /** `GET /files/status/{file_id}`. */
  async status(fileId: string, userId: string): Promise<FileProcessingStatus> {
    return toProcessingStatus(await this.get(fileId, userId));
  }

  /** `GET /files/list`: the caller's files, newest first. */
  async list(userId: string): Promise<FileList> {
    const files = await this.#deps.repositories.files.list(userId);
    return { files: files.map(toFileInfo), total: files.length };
  }

  /** `DELETE /files/{file_id}`: stops its processing, then forgets its text, bytes and record. */
  async delete(fileId: string, userId: string): Promise<FileDeleted> {
    const file = await this.get(fileId, userId);
    const { repositories, blobs, queue } = this.#deps;
    await queue.cancel(file.id);
    await repositories.files.delete(file.id);
    await repositories.chunks.deleteFile(file.id);
    await blobs.delete(file.blob_key);
    return { file_id: file.id, deleted: true };
  }

  /**
   * The caller's chunks that best match a query, best first, each with its file's name; only the
   * given files when `fileIds` is set (others' ids find nothing).
   */
  async search(
    userId: string,
    query: string,
    options: { fileIds?: readonly string[]; limit?: number } = {},
  ): Promise<FileSearchHit[]> {
    const { files, chunks } = this.#deps.repositories;
    const hits = await chunks.search({
      user_id: userId,
      query,
      ...(options.fileIds ? { file_ids: options.fileIds } : {}),
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    });
    const names = new Map<string, string>();
    const out: FileSearchHit[] = [];
    for (const hit of hits) {
      if (!names.has(hit.file_id)) {
        const file = await files.get(hit.file_id);
        if (!file || file.user_id !== userId) continue;
        names.set(hit.file_id, file.filename);
      }
      out.push({ ...hit, filename: names.get(hit.file_id) as string });
    }
    return out;
  }
}
