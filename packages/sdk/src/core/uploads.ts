/**
 * @module Files to upload from whatever a caller has: a `Blob` or `File`, bytes (`Uint8Array`, Node's
 * `Buffer`, `ArrayBuffer`), a `ReadableStream` or async iterable of bytes, a `Response`, or in Node a
 * file path.
 */
import type { StandardSchemaV1, StandardSchemaV1InferOutput } from 'ky';
import { APIPromise, type RawCall } from './api-promise.js';
import type { SchemaRequestOptions, Transport } from './request.js';

/** What an upload takes. */
export type Uploadable =
  | Blob
  | ArrayBuffer
  | ArrayBufferView
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Response;

/** Types by file extension, for files whose type nobody declared (the server checks the bytes anyway). */
const typesByExtension: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  htm: 'text/html',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
};

const typeOfName = (name: string | undefined): string | undefined =>
  name ? typesByExtension[name.split('.').pop()?.toLowerCase() ?? ''] : undefined;

/** Options of {@link toFile}. */
export interface ToFileOptions {
  /** The MIME type to declare (the server checks the bytes themselves either way). */
  type?: string | undefined;
}

/** How far an upload is: bytes handed to the network so far, and of how many. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<Uint8Array> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

const nameFromUrl = (url: string): string | undefined => {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || undefined;
  } catch {
    return undefined;
  }
};

/**
 * A `File` from any {@link Uploadable}, or in Node from a path (read lazily with `fs.openAsBlob`).
 *
 * @example
 * ```ts
 * await client.chatkit.attachments.upload(await toFile('./report.pdf'));
 * await client.chatkit.attachments.upload(await toFile(Buffer.from('hello'), 'hello.txt', { type: 'text/plain' }));
 * ```
 */
export async function toFile(
  value: Uploadable | string,
  name?: string,
  options: ToFileOptions = {},
): Promise<File> {
  if (typeof value === 'string') {
    // A path: only where there is a file system. The specifier is a variable so bundlers leave it out.
    const fs = 'node:fs';
    const { openAsBlob } = (await import(/* @vite-ignore */ fs)) as {
      openAsBlob(path: string, options?: { type?: string }): Promise<Blob>;
    };
    const fileName = name ?? value.split(/[\\/]/).pop() ?? 'upload';
    const type = options.type ?? typeOfName(fileName);
    const blob = await openAsBlob(value, type === undefined ? {} : { type });
    return new File([blob], fileName, { type: blob.type });
  }
  if (
    typeof File !== 'undefined' &&
    value instanceof File &&
    name === undefined &&
    options.type === undefined
  ) {
    return value;
  }
  const typeOf = (fallback: string | undefined) => options.type ?? (fallback || typeOfName(name)) ?? '';
  if (value instanceof Blob) {
    return new File([value], name ?? (value as File).name ?? 'upload', { type: typeOf(value.type) });
  }
  if (value instanceof Response) {
    const blob = await value.blob();
    return new File([blob], name ?? nameFromUrl(value.url) ?? 'upload', {
      type: typeOf(value.headers.get('content-type') ?? undefined),
    });
  }
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const bytes =
      value instanceof ArrayBuffer ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return new File([bytes as BlobPart], name ?? 'upload', { type: typeOf(undefined) });
  }
  const chunks: BlobPart[] = [];
  if (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream) {
    const reader = value.getReader();
    for (;;) {
      const { done, value: chunk } = await reader.read();
      if (done) break;
      chunks.push(chunk as BlobPart);
    }
  } else if (isAsyncIterable(value)) {
    for await (const chunk of value) chunks.push(chunk as BlobPart);
  } else {
    throw new TypeError(
      'toFile: expected a Blob, File, bytes, a ReadableStream, an async iterable, a Response or a path',
    );
  }
  return new File(chunks, name ?? 'upload', { type: typeOf(undefined) });
}

/** The size of the pieces a counted upload body is handed to `fetch` in. */
const PROGRESS_CHUNK_BYTES = 64 * 1024;

/**
 * A body that reports how much of it the network has taken, for runtimes without `XMLHttpRequest`
 * (Node, Bun, Deno): the encoded body is handed to `fetch` as a stream, and each chunk `fetch` pulls
 * is counted. A stream body cannot be sent twice, so such a call is not retried.
 */
export async function progressBody(
  form: FormData | Blob,
  onProgress: (progress: UploadProgress) => void,
): Promise<{ body: ReadableStream<Uint8Array>; contentType: string; total: number }> {
  const encoded = new Response(form);
  const contentType = encoded.headers.get('content-type') ?? 'application/octet-stream';
  const blob = await encoded.blob();
  const total = blob.size;
  let loaded = 0;
  onProgress({ loaded, total });
  // Sliced, not `blob.stream()`: a blob in memory streams as one chunk, which would make progress
  // jump from nothing to everything. A slice of a file-backed blob is read only when pulled.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (loaded >= total) {
        controller.close();
        return;
      }
      const chunk = new Uint8Array(await blob.slice(loaded, loaded + PROGRESS_CHUNK_BYTES).arrayBuffer());
      loaded += chunk.byteLength;
      controller.enqueue(chunk);
      onProgress({ loaded, total });
    },
  });
  return { body, contentType, total };
}

/** A `fetch`-compatible function. */
type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** Statuses whose responses cannot carry a body. */
const bodiless = new Set([204, 205, 304]);

const responseHeaders = (xhr: XMLHttpRequest): Headers => {
  const headers = new Headers();
  for (const line of xhr
    .getAllResponseHeaders()
    .trim()
    .split(/[\r\n]+/)) {
    const at = line.indexOf(':');
    if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return headers;
};

/**
 * A `fetch` made of `XMLHttpRequest`, for uploads in browsers: `fetch` reports no upload progress
 * there, and a streamed request body needs HTTP/2, so the progress events of `xhr.upload` are the
 * only real ones. It takes the `Request` ky builds (its body already encoded) and answers a
 * `Response`; aborting the request's signal aborts the XHR, and a failed connection rejects with a
 * `TypeError` as `fetch` does.
 */
export const xhrFetch =
  (onProgress: (progress: UploadProgress) => void): Fetch =>
  async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const body = request.body === null ? null : await request.blob();
    const total = body?.size ?? 0;
    return new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const signal = request.signal;
      const abort = () => xhr.abort();
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      signal.addEventListener('abort', abort, { once: true });
      xhr.onloadend = () => signal.removeEventListener('abort', abort);
      xhr.open(request.method, request.url);
      xhr.responseType = 'blob';
      xhr.withCredentials = request.credentials === 'include';
      request.headers.forEach((value, name) => {
        xhr.setRequestHeader(name, value);
      });
      xhr.upload.onprogress = (event) => {
        onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : total });
      };
      xhr.upload.onload = () => onProgress({ loaded: total, total });
      xhr.onload = () => {
        const status = xhr.status;
        resolve(
          new Response(bodiless.has(status) ? null : (xhr.response as Blob), {
            status,
            statusText: xhr.statusText,
            headers: responseHeaders(xhr),
          }),
        );
      };
      xhr.onerror = () => reject(new TypeError(`Failed to fetch: ${request.method} ${request.url}`));
      xhr.onabort = () => reject(signal.aborted ? signal.reason : new DOMException('Aborted', 'AbortError'));
      onProgress({ loaded: 0, total });
      xhr.send(body);
    });
  };

/** How a body with upload progress is sent: the call's body, and the headers, options and fetch it adds. */
export interface ProgressSending {
  body: BodyInit;
  headers?: Record<string, string>;
  fetchOptions?: RequestInit;
  fetch?: Fetch;
}

/**
 * How to send `body` so that `onProgress` hears of every chunk the network takes: through
 * `XMLHttpRequest` where there is one (browsers) and the client did not bring its own `fetch`, else
 * as a counted stream; without `onProgress`, as it is. The upload methods spread the answer into
 * their call, so the transport (and a bundle without uploads) carries none of this.
 */
export async function progressSending(
  body: FormData | Blob,
  onProgress: ((progress: UploadProgress) => void) | undefined,
  customFetch: boolean,
): Promise<ProgressSending> {
  if (!onProgress) return { body };
  if (typeof XMLHttpRequest !== 'undefined' && !customFetch) return { body, fetch: xhrFetch(onProgress) };
  const counted = await progressBody(body, onProgress);
  return {
    body: counted.body,
    headers: { 'content-type': counted.contentType },
    // Node's fetch sends a stream body only when told it is sent as it is read.
    fetchOptions: { duplex: 'half' } as RequestInit,
  };
}

/**
 * Like `transport.request()`, for a call whose options take a moment to prepare (a file to read before
 * an upload): the call is sent once they are ready, and a failure to prepare them rejects the call.
 */
export const requestWhenReady = <Schema extends StandardSchemaV1>(
  transport: Transport,
  prepare: Promise<SchemaRequestOptions<Schema>>,
): APIPromise<StandardSchemaV1InferOutput<Schema>> =>
  new APIPromise(
    prepare.then((options) => transport.call(options)) as Promise<
      RawCall<StandardSchemaV1InferOutput<Schema>>
    >,
  );
