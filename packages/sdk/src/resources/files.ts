/**
 * @module @cartrita/sdk/files: files (seed 004, seed 000's upload): upload, follow the processing,
 * list, delete.
 */

import { FileDeleted, FileList, FileProcessingStatus, FileUploadResponse } from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { path } from '../core/path.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteResult } from '../core/route-types.js';
import { progressSending, requestWhenReady, toFile, type Uploadable } from '../core/uploads.js';

/** `client.files.upload()` result: `{file_id, filename, content_type, size, status, message}`. */
export type FileUploadResult = RouteResult<'files.upload'>;
/** `client.files.status()` result: `{file_id, filename, status, progress, chunks_created, error}`. */
export type FileStatusResult = RouteResult<'files.status'>;
/** `client.files.list()` result: `{files, total}`, newest first. */
export type FileListResult = RouteResult<'files.list'>;
/** `client.files.delete()` result: `{file_id, deleted: true}`. */
export type FileDeleteResult = RouteResult<'files.delete'>;

/**
 * What {@link Files.upload} sends: a `File` (its name is used) or a `Blob`, bytes (`Uint8Array`,
 * `Buffer`, `ArrayBuffer`), a `ReadableStream` or async iterable of bytes, or a `Response`; `toFile()`
 * makes one from a path in Node.
 */
export type FileUploadSource = Uploadable;

/** How far an upload's bytes are. */
export interface FileUploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  /** Bytes of the file. */
  total: number;
}

/** Options of {@link Files.upload}. */
export interface FileUploadParams extends RequestCallOptions {
  /** The name to send; default the `File`'s own name, else `upload`. */
  filename?: string;
  /** Sent as `conversation_id` (through `POST /api/upload`, which keeps it with the file). */
  conversationId?: string;
  /**
   * Told how many bytes of the request the network has taken, as it takes them: through
   * `XMLHttpRequest` in browsers, by counting the chunks `fetch` reads elsewhere (the call is then not
   * retried). `total` is the size of the whole multipart request. Follow the processing after it with
   * {@link Files.waitUntilProcessed}.
   */
  onProgress?: (progress: FileUploadProgress) => void;
}

/** Options of {@link Files.waitUntilProcessed}. */
export interface FileWaitParams extends RequestCallOptions {
  /** Milliseconds between two status reads; default 500. */
  intervalMs?: number;
  /** Told each status read whose status or progress differs from the last one's. */
  onProgress?: (status: FileStatusResult) => void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * `/files`: upload a file, follow its processing (`pending → processing → completed | failed`), list
 * and delete the caller's files. The server reads the type from the bytes; a file of no accepted
 * type is 415, one over the size limit 413.
 *
 * @example
 * ```ts
 * const { file_id } = await client.files.upload(new File(['# Notes'], 'notes.md'));
 * const status = await client.files.waitUntilProcessed(file_id);
 * console.log(status.status, status.chunks_created); // 'completed' 1
 * ```
 */
export class Files extends APIResource {
  /** `POST /files/upload` (or `POST /api/upload` with a `conversationId`): uploads a file. */
  upload(file: FileUploadSource, params: FileUploadParams = {}): APIPromise<FileUploadResult> {
    const { filename, conversationId, onProgress, ...options } = params;
    const form = async () => {
      const upload = await toFile(file, filename ?? (file as File).name);
      const body = new FormData();
      if (conversationId !== undefined) body.append('conversation_id', conversationId);
      body.append('file', upload, upload.name);
      return progressSending(body, onProgress, this.transport.hasOwnFetch);
    };
    return requestWhenReady(
      this.transport,
      form().then((sending) => ({
        method: 'POST' as const,
        path: conversationId === undefined ? '/files/upload' : '/api/upload',
        schema: FileUploadResponse,
        ...options,
        ...sending,
        headers: { ...options.headers, ...sending.headers },
        fetchOptions: { ...options.fetchOptions, ...sending.fetchOptions },
      })),
    );
  }

  /** `GET /files/status/{file_id}`: where a file's processing is. */
  status(fileId: string, options?: RequestCallOptions): Promise<FileStatusResult> {
    return this.transport.request({
      method: 'GET',
      path: path`/files/status/${fileId}`,
      schema: FileProcessingStatus,
      ...options,
    });
  }

  /** `GET /files/list`: the caller's files, newest first. */
  list(options?: RequestCallOptions): Promise<FileListResult> {
    return this.transport.request({ method: 'GET', path: '/files/list', schema: FileList, ...options });
  }

  /** `DELETE /files/{file_id}`: deletes a file, its bytes and its indexed text. */
  delete(fileId: string, options?: RequestCallOptions): Promise<FileDeleteResult> {
    return this.transport.request({
      method: 'DELETE',
      path: path`/files/${fileId}`,
      schema: FileDeleted,
      ...options,
    });
  }

  /**
   * Reads a file's status until it is `completed` or `failed`, and resolves that status (a failed
   * file resolves too: its `error` says why). Stop it with `signal`.
   */
  async waitUntilProcessed(fileId: string, params: FileWaitParams = {}): Promise<FileStatusResult> {
    const { intervalMs = 500, onProgress, ...options } = params;
    let last: FileStatusResult | undefined;
    for (;;) {
      const status = await this.status(fileId, options);
      if (!last || last.status !== status.status || last.progress !== status.progress) onProgress?.(status);
      last = status;
      if (status.status === 'completed' || status.status === 'failed') return status;
      await sleep(intervalMs, options.signal);
    }
  }
}
