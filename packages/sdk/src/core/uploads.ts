/**
 * @module Files to upload from whatever a caller has: a `Blob` or `File`, bytes (`Uint8Array`, Node's
 * `Buffer`, `ArrayBuffer`), a `ReadableStream` or async iterable of bytes, a `Response`, or in Node a
 * file path.
 */

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

/**
 * A multipart body that reports how much of it the network has taken, for `onUploadProgress`. The body
 * is a stream (so the call is not retried); `fetch` pulls it as it sends.
 */
export async function progressBody(
  form: FormData,
  onProgress: (progress: UploadProgress) => void,
): Promise<{ body: ReadableStream<Uint8Array>; contentType: string; total: number }> {
  const encoded = new Response(form);
  const contentType = encoded.headers.get('content-type') ?? 'multipart/form-data';
  const blob = await encoded.blob();
  const total = blob.size;
  const reader = blob.stream().getReader();
  let loaded = 0;
  onProgress({ loaded, total });
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      loaded += value.byteLength;
      controller.enqueue(value);
      onProgress({ loaded, total });
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { body, contentType, total };
}
