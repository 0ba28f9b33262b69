/**
 * @module Files attached to the next message: limits checked before anything is sent, two-phase
 * uploads with per-file progress, and removal before sending.
 */
import type { Attachment, UploadDescriptor } from '@cartrita/contracts';
import type { ChatKit } from '@cartrita/sdk/chatkit';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { uploadWithProgress, type XhrFactory } from './upload.js';

/** Upload limits: bytes per file, accepted types (`image/png`, `image/*`, `.pdf`), files per message. */
export interface AttachmentLimits {
  /** One limit for every file, or one per type pattern (`{'image/*': 5e6, '.pdf': 2e7}`; the first match counts). */
  maxBytes?: number | Readonly<Record<string, number>> | undefined;
  accept?: readonly string[] | undefined;
  maxCount?: number | undefined;
}

/** One file on its way to the next message. */
export interface Upload {
  /** A local key, stable while the file is listed. */
  readonly key: number;
  readonly file: File;
  /** From 0 to 1. */
  progress: number;
  status: 'uploading' | 'done' | 'error';
  /** The server's attachment, once announced. */
  attachment?: Attachment | undefined;
  /** Aborts the upload. */
  readonly abort: AbortController;
}

/** A file refused before upload, and why. */
export interface Rejection {
  name: string;
  reason: 'tooLarge' | 'badType' | 'tooMany';
  /** The byte limit the file broke, for `tooLarge`. */
  limit?: number | undefined;
}

/** The byte limit for a file: the single limit, or the first type pattern it matches. */
export const limitFor = (
  maxBytes: AttachmentLimits['maxBytes'],
  file: { name: string; type: string },
): number | undefined =>
  typeof maxBytes === 'object'
    ? Object.entries(maxBytes).find(([pattern]) => accepts([pattern], file))?.[1]
    : maxBytes;

/** Options of {@link AttachmentsController}. */
export interface AttachmentsControllerOptions {
  client: () => ChatKit | undefined;
  /** The limits in force: the page's options over the session's capabilities. */
  limits: () => AttachmentLimits;
  /**
   * Direct (one-step) uploads: each file is posted as multipart `file` to this URL, which answers
   * with the attachment. Without it, uploads are two-phase (`attachments.create`, then the bytes).
   */
  uploadUrl?: () => string | undefined;
  /** Makes the upload requests; tests pass a fake. */
  createXhr?: XhrFactory | undefined;
}

/** Whether a file matches one of the accepted types; an empty list accepts everything. */
export const accepts = (
  accept: readonly string[] | undefined,
  file: { name: string; type: string },
): boolean => {
  if (!accept?.length) return true;
  const type = file.type.toLowerCase();
  const name = file.name.toLowerCase();
  return accept.some((pattern) => {
    const p = pattern.trim().toLowerCase();
    if (p.startsWith('.')) return name.endsWith(p);
    if (p.endsWith('/*')) return type.startsWith(p.slice(0, -1));
    return p === type;
  });
};

let nextKey = 0;

/**
 * Holds the uploads of the next message. `add()` refuses files over the limits (see `rejected`),
 * announces the others with `attachments.create` and sends their bytes with progress; `remove()`
 * aborts an upload and deletes its attachment on the server; `take()` hands the finished attachments
 * to a message and clears the list.
 */
export class AttachmentsController implements ReactiveController {
  /** The files listed for the next message. */
  uploads: Upload[] = [];
  /** Files refused by the last `add()`. */
  rejected: Rejection[] = [];

  readonly #host: ReactiveControllerHost;
  readonly #options: AttachmentsControllerOptions;

  constructor(host: ReactiveControllerHost, options: AttachmentsControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Whether every listed upload has finished (failed ones do not count). */
  get settled(): boolean {
    return this.uploads.every((upload) => upload.status !== 'uploading');
  }

  /** The attachments whose upload finished, in order. */
  get finished(): Attachment[] {
    return this.uploads.flatMap((u) => (u.status === 'done' && u.attachment ? [u.attachment] : []));
  }

  hostDisconnected(): void {
    for (const upload of this.uploads) upload.abort.abort();
  }

  /** Lists files and starts uploading the ones within the limits. */
  add(files: Iterable<File>): void {
    const { maxBytes, accept, maxCount = 10 } = this.#options.limits();
    this.rejected = [];
    for (const file of files) {
      const limit = limitFor(maxBytes, file);
      const reason =
        this.uploads.length >= maxCount
          ? 'tooMany'
          : limit !== undefined && file.size > limit
            ? 'tooLarge'
            : accepts(accept, file)
              ? undefined
              : 'badType';
      if (reason) {
        this.rejected.push(
          reason === 'tooLarge' ? { name: file.name, reason, limit } : { name: file.name, reason },
        );
        continue;
      }
      const upload: Upload = {
        key: nextKey++,
        file,
        progress: 0,
        status: 'uploading',
        abort: new AbortController(),
      };
      this.uploads = [...this.uploads, upload];
      void this.#upload(upload);
    }
    this.#host.requestUpdate();
  }

  /** Stops and forgets an upload; an attachment already announced is deleted on the server. */
  async remove(upload: Upload): Promise<void> {
    upload.abort.abort();
    this.uploads = this.uploads.filter((u) => u !== upload);
    this.#host.requestUpdate();
    const id = upload.attachment?.id;
    if (id) {
      try {
        await this.#options.client()?.attachments.delete({ attachment_id: id });
      } catch {
        // Unsent attachments expire on the server anyway.
      }
    }
  }

  /** The finished attachments, for a message being sent; the list is cleared. */
  take(): Attachment[] {
    const done = this.finished;
    this.uploads = [];
    this.rejected = [];
    this.#host.requestUpdate();
    return done;
  }

  #send(upload: Upload, attachment: Attachment, descriptor: UploadDescriptor): Promise<Attachment> {
    return uploadWithProgress(
      attachment,
      descriptor,
      upload.file,
      (fraction) => {
        upload.progress = fraction;
        this.#host.requestUpdate();
      },
      upload.abort.signal,
      this.#options.createXhr,
    );
  }

  async #upload(upload: Upload): Promise<void> {
    const { file } = upload;
    const signal = upload.abort.signal;
    try {
      const client = this.#options.client();
      if (!client) throw new Error('Not connected');
      const direct = this.#options.uploadUrl?.();
      if (direct) {
        upload.attachment = await this.#send(
          upload,
          { id: '', type: 'file', name: file.name, mime_type: file.type || 'application/octet-stream' },
          { url: direct, method: 'POST', headers: {} },
        );
        // The endpoint must say which attachment it made.
        if (!upload.attachment.id) throw new Error(`${direct} answered without an attachment id`);
        upload.progress = 1;
        upload.status = 'done';
        this.#host.requestUpdate();
        return;
      }
      const announced = await client.attachments.create(
        { name: file.name, size: file.size, mime_type: file.type || 'application/octet-stream' },
        { signal },
      );
      upload.attachment = announced;
      const descriptor = announced.upload_descriptor;
      if (descriptor) upload.attachment = await this.#send(upload, announced, descriptor);
      upload.progress = 1;
      upload.status = 'done';
    } catch {
      if (signal.aborted) return;
      upload.status = 'error';
    }
    this.#host.requestUpdate();
  }
}
