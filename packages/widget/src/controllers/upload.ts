import type { Attachment, UploadDescriptor } from '@cartrita/contracts';

/** Makes the request object an upload uses; tests pass a fake. */
export type XhrFactory = () => XMLHttpRequest;

/**
 * Sends a file's bytes to an attachment's signed upload URL (its `upload_descriptor`, passed apart) with
 * `XMLHttpRequest`, because `fetch` reports no upload progress. POST sends a multipart body with the
 * field `file`; PUT sends the bytes as they are. The URL carries its own signature, so no
 * `Authorization` header is sent. Resolves with the attachment the server returns (without its
 * descriptor); rejects on a non-2xx status, a network error or an abort.
 */
export const uploadWithProgress = (
  attachment: Attachment,
  { url, method, headers }: UploadDescriptor,
  file: Blob,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
  createXhr: XhrFactory = () => new XMLHttpRequest(),
): Promise<Attachment> =>
  new Promise((resolve, reject) => {
    const xhr = createXhr();
    const abort = () => xhr.abort();
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', abort);
    // Fires after `load`, `error` and `abort` alike.
    xhr.onloadend = () => signal.removeEventListener('abort', abort);
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(new Error(`The upload of ${attachment.name} failed with status ${xhr.status}`));
        return;
      }
      let answer: Partial<Attachment> = {};
      try {
        answer = JSON.parse(xhr.responseText) as Partial<Attachment>;
      } catch {
        // A storage service may answer with no JSON; the announced attachment stands.
      }
      const { upload_descriptor: _done, ...uploaded } = { ...attachment, ...answer } as Attachment;
      resolve(uploaded as Attachment);
    };
    // Our abort rejects with the signal's reason; one we did not ask for (the page stopping) fails like
    // a lost connection.
    const fail = () =>
      reject(
        signal.aborted ? signal.reason : new Error(`The upload of ${attachment.name} failed: network error`),
      );
    xhr.onerror = fail;
    xhr.onabort = fail;
    let body: Blob | FormData = file;
    if (method !== 'PUT') {
      body = new FormData();
      body.append('file', file, attachment.name);
    }
    xhr.send(body);
  });
